"""Choose thr_on, then run the hysteresis segmenter with it, losing no window.

Policies (``segment.threshold_method``):

* ``fixed``: ``segment.threshold``.
* ``calibration``: read from a calibration JSON (``segment.calibration``).
* ``otsu``: Otsu on the whole energy curve of the source; segments come out at the end.
* ``warmup``: Otsu on the first ``warmup_windows`` finite energies, then held fixed (live).
* ``auto``: fixed if a threshold is given, else calibration if a file is given, else otsu
  for offline runs and warmup for live ones.

Energies seen before the threshold is known are buffered and replayed into the segmenter
once it is, so every window is segmented with the same threshold.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

import numpy as np

from laps.config import PipelineConfig
from laps.segment.config import ThresholdMethod
from laps.segment.functional import HysteresisParams
from laps.segment.stream import HysteresisSegmenter
from laps.segment.threshold import WarmupThreshold, read_calibration, threshold_from_energies
from laps.types import SegmentSpan

logger = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class ThresholdChoice:
    """The threshold a run used and where it came from (recorded in the manifest)."""

    value: float
    method: str
    detail: str


def resolve_method(cfg: PipelineConfig, live: bool) -> ThresholdMethod:
    """Turn ``auto`` into a concrete method."""
    seg = cfg.segment
    if seg.threshold_method is not ThresholdMethod.AUTO:
        return seg.threshold_method
    if seg.threshold is not None:
        return ThresholdMethod.FIXED
    if seg.calibration is not None:
        return ThresholdMethod.CALIBRATION
    return ThresholdMethod.WARMUP if live else ThresholdMethod.OTSU


class ThresholdedSegmenter:
    """Streaming segmenter whose threshold may only become known later in the stream."""

    def __init__(self, cfg: PipelineConfig, live: bool) -> None:
        self.cfg = cfg
        self.method = resolve_method(cfg, live)
        self.choice: ThresholdChoice | None = None
        self._segmenter: HysteresisSegmenter | None = None
        self._buffer: list[float] = []
        self._warmup = WarmupThreshold(cfg.segment.warmup_windows)
        if self.method is ThresholdMethod.FIXED:
            assert cfg.segment.threshold is not None  # resolve_method guarantees it
            self._fix(cfg.segment.threshold, "segment.threshold")
        elif self.method is ThresholdMethod.CALIBRATION:
            path = cfg.segment.calibration
            assert path is not None
            value = read_calibration(path, cfg.segment.calibration_key)
            self._fix(value, f"{path}:{cfg.segment.calibration_key}")

    def _fix(self, value: float, detail: str) -> list[SegmentSpan]:
        self.choice = ThresholdChoice(float(value), self.method.value, detail)
        logger.info("threshold %.6g (%s: %s)", value, self.method.value, detail)
        params = HysteresisParams.from_config(
            self.cfg.segment, float(value), self.cfg.window, self.cfg.video.target_fps
        )
        self._segmenter = HysteresisSegmenter(params)
        spans: list[SegmentSpan] = []
        for e in self._buffer:
            spans.extend(self._segmenter.update(e))
        self._buffer.clear()
        return spans

    def update(self, energy: float | None) -> list[SegmentSpan]:
        """Feed one window's (smoothed) energy; None means the window failed."""
        e = float("nan") if energy is None else float(energy)
        if self._segmenter is not None:
            return self._segmenter.update(e)
        self._buffer.append(e)
        if self.method is ThresholdMethod.WARMUP:
            value = self._warmup.update(e)
            if value is not None:
                n = self.cfg.segment.warmup_windows
                return self._fix(value, f"otsu over the first {n} windows")
        return []

    def earliest_open_window(self) -> int | None:
        """First seen window a later span may contain (0 while the threshold is unknown)."""
        if self._segmenter is None:
            return 0 if self._buffer else None
        return self._segmenter.earliest_open_window

    def flush(self) -> list[SegmentSpan]:
        """End of stream: fix a still-unknown threshold on all energies, close segments."""
        spans: list[SegmentSpan] = []
        if self._segmenter is None:
            values = np.asarray(self._buffer, dtype=np.float64)
            finite = values[np.isfinite(values)]
            if finite.size == 0:
                logger.warning("no finite energy in this source: no segments")
                self._buffer.clear()
                self.choice = ThresholdChoice(float("nan"), self.method.value, "no energy")
                return []
            detail = f"otsu over all {finite.size} windows"
            spans.extend(self._fix(threshold_from_energies(finite), detail))
        assert self._segmenter is not None
        spans.extend(self._segmenter.flush())
        return spans
