"""Configuration of the segmenters (``segment.method``) and of their thresholds."""

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
    CONTENT = "content"  # idle / active states, then evidence-scaled cuts (a tiling)
    PERIODIC = "periodic"  # a cut every segment.periodic.every_s (a baseline)
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


class ContentConfig(StageConfig):
    """The ``content`` segmenter (laps.segment.content): activity layer, then change points.

    Units: steps are sampled-frame intervals (0.1 s at 10 fps); activity is a normalised
    speed per step (pixels / half the short side of the processing frame).
    """

    threshold: float = Field(
        4.0, ge=0, description="minimum change evidence of a cut (two-sample statistic)"
    )
    on: float = Field(0.008, ge=0, description="smoothed activity that starts motion")
    off: float = Field(0.0053, ge=0, description="smoothed activity below which motion may end")
    min_idle: int = Field(8, ge=1, description="steps a still stretch lasts to be idle")
    min_active: int = Field(3, ge=1, description="steps a motion lasts to end an idle stretch")
    smooth: int = Field(5, ge=1, description="centred moving median of the activity, steps (odd)")
    pattern: int = Field(
        15, ge=1, description="steps the hand's motion pattern is averaged over (odd)"
    )
    half_width: int = Field(12, ge=1, le=100, description="steps compared on each side of a cut")
    min_distance: int = Field(3, ge=1, le=3, description="guard between cuts, steps (<= 0.3 s)")
    pool: int = Field(1, ge=1, description="cells averaged as pool x pool neighbourhoods (odd)")
    top_k: int = Field(4, ge=1, description="fastest grid cells averaged into the activity")
    warmup: int = Field(50, ge=1, description="steps before the per-cell noise floors adapt")
    floor_rate: float = Field(0.02, ge=0, description="per-cell floor tracker step (log units)")
    floor_quantile: float = Field(
        0.2, gt=0, lt=1, description="quantile of each cell's speed taken as its floor"
    )
    direction_rate: float = Field(0.002, ge=0, le=1, description="EMA rate of cell directions")
    max_directedness: float = Field(
        0.6, ge=0, le=1, description="cells moving one way more than this are background (1 = off)"
    )
    sigma0: float = Field(0.003, gt=0, description="spread floor of the change evidence")

    @model_validator(mode="after")
    def _consistent(self) -> ContentConfig:
        if self.off > self.on:
            raise ValueError(f"segment.content.off must be <= on ({self.on}), got {self.off}")
        for name in ("smooth", "pattern", "pool"):
            if getattr(self, name) % 2 == 0:
                raise ValueError(f"segment.content.{name} must be odd, got {getattr(self, name)}")
        return self


class PeriodicConfig(StageConfig):
    """The ``periodic`` baseline: a rate prior that ignores the content."""

    every_s: float = Field(1.2, gt=0, description="seconds between cuts")


class SegmentConfig(StageConfig):
    """Segmenter choice, hysteresis state machine parameters and threshold source.

    With ``method: change`` the threshold is the minimum change score of a boundary
    (``threshold`` if given, else the calibration file's, else ``change_threshold``);
    the hysteresis fields then do not apply.
    """

    method: SegmentMethod = Field(
        SegmentMethod.CHANGE,
        description="change | content | hysteresis | periodic (docs/ACCURACY.md)",
    )
    content: ContentConfig = Field(
        default_factory=ContentConfig, description="content: its parameters"
    )
    periodic: PeriodicConfig = Field(
        default_factory=PeriodicConfig, description="periodic: its parameters"
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
