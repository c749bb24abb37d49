"""The ``change`` segmenter inside a run: its threshold, its features, its score export.

Threshold (minimum change score of a boundary): ``segment.threshold`` if given, else
the calibration file's, else ``segment.change_threshold``. The change score is a cosine
distance, free of the energy's scale, so one number carries over between videos; live
runs need no warm-up.

Gaps in a live stream are handled as for every tiling segmenter
(:mod:`laps.pipeline.pieces`).
"""

from __future__ import annotations

import logging
from typing import Any

import numpy as np
from numpy.typing import NDArray

from laps.config import PipelineConfig
from laps.errors import ConfigError
from laps.export.run_folder.names import CHANGE_SCORES
from laps.pipeline.pieces import PiecewiseTiling
from laps.pipeline.thresholding import (
    CHANGE_METHOD,
    ThresholdChoice,
    calibration_record,
    check_calibration_checkpoint,
)
from laps.segment.base import WindowInput
from laps.segment.change import ChangeParams
from laps.segment.change_stream import ChangeSegmenter
from laps.segment.config import ChangeFeatures
from laps.segment.threshold import read_calibration

logger = logging.getLogger(__name__)

SCORES_FILE = CHANGE_SCORES  # kept under its old name for importers


def change_threshold(cfg: PipelineConfig) -> ThresholdChoice:
    """The change-score threshold a run uses and where it came from."""
    seg = cfg.segment
    if seg.threshold is not None:
        return ThresholdChoice(float(seg.threshold), "fixed", "segment.threshold")
    if seg.calibration is not None:
        value = read_calibration(seg.calibration, seg.calibration_key)
        record = calibration_record(seg.calibration, seg.calibration_key)
        if record.get("method") not in (None, CHANGE_METHOD):
            raise ConfigError(
                f"calibration {seg.calibration}: an energy threshold of the hysteresis "
                f"segmenter (method {record.get('method')}), but this run uses "
                "segment.method=change; recalibrate with `laps calibrate --gt TRAIN_GT` or run "
                "with --set segment.method=hysteresis"
            )
        detail = f"{seg.calibration}:{seg.calibration_key}"
        return ThresholdChoice(value, "calibration", detail, record)
    return ThresholdChoice(seg.change_threshold, "default", "segment.change_threshold")


def resolve_features(cfg: PipelineConfig, has_encoder: bool) -> ChangeFeatures:
    """``auto`` -> prequant with a tokenizer, velocity without."""
    f = cfg.segment.change_features
    if f is ChangeFeatures.AUTO:
        return ChangeFeatures.PREQUANT if has_encoder else ChangeFeatures.VELOCITY
    return f


class ChangeSegmenting(PiecewiseTiling):
    """The ``change`` method of the segmenter contract around :class:`ChangeSegmenter`."""

    method = "change"

    def __init__(self, cfg: PipelineConfig, has_encoder: bool) -> None:
        seg = cfg.segment
        self.choice = change_threshold(cfg)
        self.features = resolve_features(cfg, has_encoder)
        if self.features is not ChangeFeatures.VELOCITY and not has_encoder:
            raise ConfigError(
                f"segment.change_features={self.features.value} needs a tokenizer; pass "
                "--checkpoint, or set segment.change_features=velocity"
            )
        self.params = ChangeParams(
            self.choice.value, seg.change_half_width, seg.change_min_distance
        )
        self._window = cfg.window
        super().__init__()
        logger.info(
            "change segmenter: %s features, score >= %.4g (%s)",
            self.features.value,
            self.choice.value,
            self.choice.method,
        )

    def new_inner(self) -> ChangeSegmenter:
        """A fresh change-point stream for the next piece."""
        return ChangeSegmenter(self.params, self._window.length, self._window.stride)

    def check_checkpoint(self, checkpoint: dict[str, Any] | None) -> None:
        """Refuse a calibration file made with another checkpoint than the run's."""
        if self.choice is not None and self.choice.calibration is not None:
            check_calibration_checkpoint(self.choice.calibration, checkpoint)

    def tokens(self, window: WindowInput) -> NDArray[np.floating] | None:
        """The window's (T - 1, D) step features; None when it has none (failed, gated)."""
        if self.features is ChangeFeatures.VELOCITY:
            v = window.velocities
            return None if v is None else v.reshape(len(v), -1)
        if window.latents is None:
            return None
        lat = window.latents
        return lat.prequant if self.features is ChangeFeatures.PREQUANT else lat.quantized

    def parameters(self) -> dict[str, Any]:
        """Threshold and change-point parameters, for segments.json."""
        assert self.choice is not None
        return {
            "method": self.method,
            "threshold": self.choice.value,
            "threshold_method": self.choice.method,
            "features": self.features.value,
            "half_width": self.params.half_width,
            "min_distance": self.params.min_distance,
        }

    def artifacts(self) -> dict[str, Any]:
        """``change_scores.json``: the score of every sample, for offline calibration."""
        return {
            SCORES_FILE: {
                "features": self.features.value,
                "half_width": self.params.half_width,
                "min_distance": self.params.min_distance,
                "threshold": self.params.threshold,
                "scores": [round(float(s), 7) for s in self._scores],
            }
        }
