"""The ``change`` segmenter inside a run: its threshold, its features, its score export.

Threshold (minimum change score of a boundary): ``segment.threshold`` if given, else
the calibration file's, else ``segment.change_threshold``. The change score is a cosine
distance, free of the energy's scale, so one number carries over between videos; live
runs need no warm-up.

A gap in a live stream (:meth:`ChangeSegmenting.break_at`) ends a *piece*: the open span is
closed at the gap and a fresh :class:`ChangeSegmenter` starts at the first window after it,
its windows and samples offset to the run's. Spans tile each piece: the first span after a
gap starts at the gap; a piece in which no window completed gets no span.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

from laps.config import PipelineConfig
from laps.errors import ConfigError
from laps.export.atomic import write_json_atomic
from laps.pipeline.encode import Latents
from laps.pipeline.thresholding import (
    CHANGE_METHOD,
    ThresholdChoice,
    ThresholdedSegmenter,
    calibration_record,
    check_calibration_checkpoint,
)
from laps.segment.change import ChangeParams
from laps.segment.change_stream import ChangeSegmenter
from laps.segment.config import ChangeFeatures, SegmentMethod
from laps.segment.threshold import read_calibration
from laps.types import SegmentSpan

logger = logging.getLogger(__name__)

SCORES_FILE = "change_scores.json"


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


class ChangeSegmenting:
    """Adapter with the run's segmenter interface around :class:`ChangeSegmenter`."""

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
        self.inner = ChangeSegmenter(self.params, cfg.window.length, cfg.window.stride)
        self._w0 = 0  # first window of the current piece (inner's window 0)
        self._piece_start = 0  # first sample of the current piece (a gap's end)
        self._scores: list[float] = []  # per-sample scores of finished pieces
        logger.info(
            "change segmenter: %s features, score >= %.4g (%s)",
            self.features.value,
            self.choice.value,
            self.choice.method,
        )

    def check_checkpoint(self, checkpoint: dict[str, Any] | None) -> None:
        """Refuse a calibration file made with another checkpoint than the run's."""
        if self.choice.calibration is not None:
            check_calibration_checkpoint(self.choice.calibration, checkpoint)

    def tokens(
        self, velocities: NDArray[np.floating] | None, latents: object
    ) -> NDArray[np.floating] | None:
        """The window's (T - 1, D) step features; None when it has none (failed, gated)."""
        if self.features is ChangeFeatures.VELOCITY:
            return None if velocities is None else velocities.reshape(len(velocities), -1)
        if not isinstance(latents, Latents):
            return None
        return latents.prequant if self.features is ChangeFeatures.PREQUANT else latents.quantized

    def feed(
        self, velocities: NDArray[np.floating] | None, latents: object, energy: float | None
    ) -> list[SegmentSpan]:
        """One window in order (its energy is not used); return the spans now decided."""
        return self._shift(self.inner.update(self.tokens(velocities, latents)))

    def finish(self, n_samples: int, folder: Path) -> list[SegmentSpan]:
        """End of stream: the last spans; the per-sample scores go to ``folder``."""
        spans = self._close_piece(n_samples)
        self.write_scores(folder)
        return spans

    def break_at(self, next_window: int, end_sample: int) -> list[SegmentSpan]:
        """A stream gap before sample ``end_sample``: close the piece, start the next one."""
        spans = self._close_piece(end_sample)
        self._w0, self._piece_start = next_window, end_sample
        s0 = next_window * self.inner.stride
        self._scores.extend([0.0] * (s0 - len(self._scores)))  # samples in no window
        self.inner = ChangeSegmenter(self.params, self._window.length, self._window.stride)
        return spans

    def earliest_open_window(self) -> int | None:
        """A window at or before the open segment's first sample."""
        return self._sample(self.inner.earliest_open_sample()) // self.inner.stride

    def _close_piece(self, n_samples: int) -> list[SegmentSpan]:
        s0 = self._w0 * self.inner.stride
        if self.inner.steps.n_windows == 0 and (self._w0 or self._piece_start):
            return []  # a piece after a gap without a single window: nothing to say
        spans = self._shift(self.inner.flush(n_samples - s0))
        self._scores.extend(self.inner.scores)
        return spans

    def _sample(self, local: int) -> int:
        """A sample of the current piece in run numbering (its first span starts at the gap)."""
        return self._piece_start if local == 0 else local + self._w0 * self.inner.stride

    def _shift(self, spans: list[SegmentSpan]) -> list[SegmentSpan]:
        if not (self._w0 or self._piece_start):
            return spans
        s0 = self._w0 * self.inner.stride
        return [
            SegmentSpan(
                s.start_window + self._w0,
                s.end_window + self._w0,
                self._sample(s.start_sample),
                s.end_sample + s0,
            )
            for s in spans
        ]

    def write_scores(self, folder: Path) -> None:
        """``change_scores.json``: the score of every sample, for offline calibration."""
        write_json_atomic(
            folder / SCORES_FILE,
            {
                "features": self.features.value,
                "half_width": self.params.half_width,
                "min_distance": self.params.min_distance,
                "threshold": self.params.threshold,
                "scores": [round(float(s), 7) for s in self._scores],
            },
        )


def make_segmenter(
    cfg: PipelineConfig, live: bool, has_encoder: bool
) -> ChangeSegmenting | ThresholdedSegmenter:
    """The run's segmenter for ``segment.method``."""
    if cfg.segment.method is SegmentMethod.CHANGE:
        return ChangeSegmenting(cfg, has_encoder)
    return ThresholdedSegmenter(cfg, live)
