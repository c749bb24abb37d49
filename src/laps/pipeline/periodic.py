"""``segment.method=periodic``: a cut every ``segment.periodic.every_s`` seconds.

A rate prior, not a method: the baseline every accuracy table shows beside the real
segmenters. It is also the smallest complete segmenter, the example docs/ARCHITECTURE.md
walks through: an inner stream (``update`` / ``flush`` / ``earliest_open_sample``), an
adapter on :class:`~laps.pipeline.pieces.PiecewiseTiling`, one registry line.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import NDArray

from laps.config import PipelineConfig
from laps.pipeline.pieces import PiecewiseTiling
from laps.segment.base import ThresholdChoice, WindowInput
from laps.segment.change_stream import StepFeatures
from laps.segment.tiling import span_windows
from laps.types import SegmentSpan


class PeriodicStream:
    """Cuts every ``period`` samples; a span is final once the next one has begun."""

    def __init__(self, period: int, length: int, stride: int) -> None:
        self.period, self.length, self.stride = period, length, stride
        self.steps = StepFeatures(stride)  # used for its window count only
        self.scores: list[float] = []
        self._start = 0

    def update(self, tokens: NDArray[np.floating] | None) -> list[SegmentSpan]:
        """One more window (its tokens are ignored); the spans now complete."""
        self.steps.add(None)
        seen = (self.steps.n_windows - 1) * self.stride + self.length  # samples so far
        return self._cut(seen)

    def flush(self, n_samples: int) -> list[SegmentSpan]:
        """End of the piece: the remaining spans up to ``n_samples``."""
        self.scores = [0.0] * n_samples
        last = max(n_samples, self._start + 1)
        return self._cut(n_samples) + [self.span(self._start, last)]

    def earliest_open_sample(self) -> int:
        """First sample of the open span."""
        return self._start

    def _cut(self, upto: int) -> list[SegmentSpan]:
        spans = []
        while self._start + self.period < upto:
            spans.append(self.span(self._start, self._start + self.period))
            self._start += self.period
        return spans

    def span(self, a: int, b: int) -> SegmentSpan:
        """Samples ``[a, b)`` with the windows centred in them."""
        w0, w1 = span_windows(a, b, self.length, self.stride, self.steps.n_windows)
        return SegmentSpan(w0, w1, a, b)


class PeriodicSegmenting(PiecewiseTiling):
    """The ``periodic`` method of the segmenter contract."""

    method = "periodic"

    def __init__(self, cfg: PipelineConfig) -> None:
        every = cfg.segment.periodic.every_s
        self.period = max(1, round(every * cfg.video.target_fps))
        self._window = cfg.window
        self.choice = ThresholdChoice(every, "fixed", "segment.periodic.every_s")
        super().__init__()

    def new_inner(self) -> PeriodicStream:
        """A fresh stream for the next piece."""
        return PeriodicStream(self.period, self._window.length, self._window.stride)

    def tokens(self, window: WindowInput) -> NDArray[np.floating] | None:
        """Nothing: a rate prior does not look at the content."""
        return None

    def parameters(self) -> dict[str, Any]:
        """The period, for the outputs."""
        return {"method": self.method, "every_samples": self.period}

    def artifacts(self) -> dict[str, Any]:
        """No extra file."""
        return {}
