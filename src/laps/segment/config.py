"""Configuration of the hysteresis segmenter and of its threshold."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path

from pydantic import Field, model_validator

from laps._model import StageConfig


class Align(StrEnum):
    """Where in the first window a segment starts (reference section 3.8)."""

    START = "start"
    CENTER = "center"
    END = "end"


class SegmentMethod(StrEnum):
    """How windows become segments."""

    CHANGE = "change"  # boundaries where the latent action sequence changes (a tiling)
    HYSTERESIS = "hysteresis"  # the reference: spans of high window energy


class ChangeFeatures(StrEnum):
    """Per-step features of the change segmenter."""

    AUTO = "auto"  # prequant with a tokenizer, else velocity
    VELOCITY = "velocity"
    PREQUANT = "prequant"
    QUANTIZED = "quantized"


class ThresholdMethod(StrEnum):
    """Where thr_on comes from."""

    AUTO = "auto"  # fixed if given, else calibration if given, else otsu (file) / warmup (live)
    FIXED = "fixed"
    CALIBRATION = "calibration"
    OTSU = "otsu"
    WARMUP = "warmup"


class SegmentConfig(StageConfig):
    """Segmenter choice, hysteresis state machine parameters and threshold source.

    With ``method: change`` the threshold is the minimum change score of a boundary
    (``threshold`` if given, else the calibration file's, else ``change_threshold``);
    the hysteresis fields then do not apply.
    """

    method: SegmentMethod = Field(
        SegmentMethod.CHANGE, description="change | hysteresis (see docs/ACCURACY.md)"
    )
    change_features: ChangeFeatures = Field(
        ChangeFeatures.AUTO, description="change: auto | velocity | prequant | quantized"
    )
    change_half_width: int = Field(4, ge=1, le=100, description="change: steps per side")
    change_min_distance: int = Field(9, ge=1, le=1000, description="change: steps between cuts")
    change_threshold: float = Field(
        0.005, ge=0, description="change: minimum score when no threshold or calibration is given"
    )

    threshold: float | None = Field(None, ge=0, description="thr_on; None = from method")
    threshold_method: ThresholdMethod = Field(ThresholdMethod.AUTO, description="see docs")
    calibration: Path | None = Field(None, description="calibration JSON with a threshold")
    calibration_key: str = Field("threshold", description="dotted key of thr_on in that JSON")
    warmup_windows: int = Field(
        75, ge=5, description="live: windows observed before the threshold is fixed"
    )
    hysteresis_ratio: float = Field(0.95, gt=0, le=1, description="thr_off = ratio * thr_on")
    up_count: int = Field(2, ge=1, description="windows >= thr_on in a row to start")
    down_count: int = Field(2, ge=1, description="windows < thr_off in a row to end")
    cooldown_windows: int = Field(1, ge=0, description="windows after an end before a start")
    min_len_windows: int = Field(2, ge=1, description="shorter segments are discarded")
    max_duration_seconds: float = Field(0.0, ge=0, description="force an end; 0 = off")
    align: Align = Field(Align.CENTER, description="start | center | end")

    @model_validator(mode="after")
    def _method_has_input(self) -> SegmentConfig:
        if self.threshold_method is ThresholdMethod.FIXED and self.threshold is None:
            raise ValueError(
                "segment.threshold_method=fixed needs segment.threshold (--threshold X)"
            )
        if self.threshold_method is ThresholdMethod.CALIBRATION and self.calibration is None:
            raise ValueError(
                "segment.threshold_method=calibration needs segment.calibration "
                "(--calibration calib.json)"
            )
        return self
