"""Tiling segmenters across stream gaps: one fresh inner segmenter per piece of stream.

A gap in a live stream (:meth:`PiecewiseTiling.break_at`) ends a *piece*: the open span is
closed at the gap and a fresh inner segmenter starts at the first window after it, its
windows and samples offset to the run's. Spans tile each piece: the first span after a gap
starts at the gap; a piece in which no window completed gets no span. The ``change`` and
``content`` segmenters share this; they differ in their inner stream and their tokens.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any, Protocol

import numpy as np
from numpy.typing import NDArray

from laps.segment.base import ThresholdChoice, WindowInput
from laps.types import SegmentSpan


class _Steps(Protocol):
    @property
    def n_windows(self) -> int:
        """Windows fed so far."""
        ...


class TilingStream(Protocol):
    """The inner streaming segmenter of one piece (e.g. ``ChangeSegmenter``)."""

    @property
    def stride(self) -> int:
        """Samples between window starts."""
        ...

    @property
    def steps(self) -> _Steps:
        """The per-step feature averager (its window count)."""
        ...

    @property
    def scores(self) -> list[float]:
        """Per-sample score so far."""
        ...

    def update(self, tokens: NDArray[np.floating] | None) -> list[SegmentSpan]:
        """One window's tokens; the spans now decided."""
        ...

    def flush(self, n_samples: int) -> list[SegmentSpan]:
        """End of the piece; the remaining spans."""
        ...

    def earliest_open_sample(self) -> int:
        """First sample of the open span."""
        ...


class PiecewiseTiling:
    """Base of the tiling segmenters: pieces, offsets and the per-sample score export."""

    method = ""
    tiles = True
    choice: ThresholdChoice | None = None

    def __init__(self) -> None:
        self.inner = self.new_inner()
        self._w0 = 0  # first window of the current piece (inner's window 0)
        self._piece_start = 0  # first sample of the current piece (a gap's end)
        self._scores: list[float] = []  # per-sample scores of finished pieces

    def new_inner(self) -> TilingStream:
        """A fresh inner segmenter (one per piece)."""
        raise NotImplementedError

    def tokens(self, window: WindowInput) -> NDArray[np.floating] | None:
        """The window's per-step features for the inner segmenter; None when it has none."""
        raise NotImplementedError

    def finished_piece(self, inner: TilingStream) -> None:
        """Hook: a piece ended (subclasses collect what they export)."""

    def feed(self, window: WindowInput) -> list[SegmentSpan]:
        """One window in order; the spans now decided."""
        return self._shift(self.inner.update(self.tokens(window)))

    def finish(self, n_samples: int) -> list[SegmentSpan]:
        """End of stream: the last spans."""
        return self._close_piece(n_samples)

    def break_at(self, next_window: int, end_sample: int) -> list[SegmentSpan]:
        """A stream gap before sample ``end_sample``: close the piece, start the next one."""
        spans = self._close_piece(end_sample)
        self._w0, self._piece_start = next_window, end_sample
        s0 = next_window * self.inner.stride
        self._scores.extend([0.0] * (s0 - len(self._scores)))  # samples in no window
        self.inner = self.new_inner()
        return spans

    def earliest_open_window(self) -> int | None:
        """A window at or before the open segment's first sample."""
        return self._sample(self.inner.earliest_open_sample()) // self.inner.stride

    def check_checkpoint(self, checkpoint: dict[str, Any] | None) -> None:
        """Nothing to check unless a subclass reads a calibration file."""

    def energy_thresholds(self) -> tuple[float, float] | None:
        """Tiling segmenters do not threshold the energy."""
        return None

    def _close_piece(self, n_samples: int) -> list[SegmentSpan]:
        s0 = self._w0 * self.inner.stride
        if self.inner.steps.n_windows == 0 and (self._w0 or self._piece_start):
            return []  # a piece after a gap without a single window: nothing to say
        spans = self._shift(self.inner.flush(n_samples - s0))
        self._scores.extend(self.inner.scores)
        self.finished_piece(self.inner)
        return spans

    def _sample(self, local: int) -> int:
        """A sample of the current piece in run numbering (its first span starts at the gap)."""
        return self._piece_start if local == 0 else local + self._w0 * self.inner.stride

    def _shift(self, spans: list[SegmentSpan]) -> list[SegmentSpan]:
        if not (self._w0 or self._piece_start):
            return spans
        s0 = self._w0 * self.inner.stride
        return [
            replace(
                s,
                start_window=s.start_window + self._w0,
                end_window=s.end_window + self._w0,
                start_sample=self._sample(s.start_sample),
                end_sample=s.end_sample + s0,
            )
            for s in spans
        ]
