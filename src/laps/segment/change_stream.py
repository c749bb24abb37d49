"""Streaming change-point segmenter: windows' token features in, segment spans out.

``update(tokens)`` takes one window's (T - 1, D) step features (None for a failed window)
and returns the spans that became final; ``flush(n_samples)`` closes the last one. Spans
tile the stream: every sample belongs to exactly one segment. The result equals
:func:`segment_changes` over the whole sequence (tested), with a delay of about
``h + 2 r + T`` samples.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from numpy.typing import NDArray

from laps.segment.change import ChangeParams, PeakPicker, cosine_change
from laps.segment.tiling import span_windows
from laps.types import SegmentSpan


class StepFeatures:
    """Mean token feature of every frame step over the windows that saw it."""

    def __init__(self, stride: int) -> None:
        self.stride = stride
        self._sum: dict[int, NDArray[np.float64]] = {}
        self._count: dict[int, int] = {}
        self.n_final = 0  # steps [0, n_final) are final
        self.n_windows = 0

    def add(self, tokens: NDArray[np.floating] | None) -> list[NDArray[np.float64]]:
        """Add the next window's tokens; return the step features that became final."""
        start = self.n_windows * self.stride
        self.n_windows += 1
        if tokens is not None:
            t = np.asarray(tokens, dtype=np.float64).reshape(len(tokens), -1)
            for k, row in enumerate(t):
                s = start + k
                self._sum[s] = self._sum[s] + row if s in self._sum else row.copy()
                self._count[s] = self._count.get(s, 0) + 1
        return self._take(self.n_windows * self.stride)  # later windows start after these

    def flush(self, n_steps: int = 0) -> list[NDArray[np.float64]]:
        """Every remaining step, at least up to ``n_steps`` (the stream ended)."""
        last = max(self._sum, default=self.n_final - 1)
        return self._take(max(last + 1, self.n_final, n_steps))

    def _take(self, upto: int) -> list[NDArray[np.float64]]:
        out = []
        for s in range(self.n_final, upto):
            if s in self._sum:
                out.append(self._sum.pop(s) / self._count.pop(s))
            else:
                out.append(np.zeros(0))  # no window saw this step (failed windows)
        self.n_final = max(self.n_final, upto)
        return out


class ChangeSegmenter:
    """Step features -> change scores -> boundaries -> tiling spans, all streaming."""

    def __init__(self, params: ChangeParams, window_length: int, stride: int) -> None:
        self.p = params
        self.length, self.stride = window_length, stride
        self.steps = StepFeatures(stride)
        self.picker = PeakPicker(params.threshold, params.min_distance)
        self._feats: list[NDArray[np.float64]] = []  # the last 2h step features
        self._n_steps = 0
        self.scores: list[float] = []  # change score of every sample so far (for export)
        self._start = 0  # first sample of the open segment

    def update(self, tokens: NDArray[np.floating] | None) -> list[SegmentSpan]:
        """Feed one window's step features; return the spans now decided."""
        return self._advance(self.steps.add(tokens), final=False)

    def flush(self, n_samples: int) -> list[SegmentSpan]:
        """End of stream (``n_samples`` sampled frames): close every remaining span."""
        nw = self.steps.n_windows  # the windows saw steps [0, n_steps), failed or not
        n_steps = (nw - 1) * self.stride + self.length - 1 if nw else 0
        spans = self._advance(self.steps.flush(n_steps), final=True, n_samples=n_samples)
        end = max(n_samples, self._start + 1)
        spans.append(self._span(self._start, end))
        return spans

    def earliest_open_sample(self) -> int:
        """First sample of the segment still open (a later span starts no earlier)."""
        return self._start

    def _advance(
        self, feats: list[NDArray[np.float64]], final: bool, n_samples: int = 0
    ) -> list[SegmentSpan]:
        new_scores = []
        h = self.p.half_width
        for f in feats:
            self._feats.append(f)
            self._n_steps += 1
            if len(self._feats) > 2 * h:
                self._feats.pop(0)
            # sample s = n_steps - h is now scorable: it needs steps [s - h, s + h)
            s = self._n_steps - h
            if s >= 0:
                new_scores.append(self._score() if s >= h else 0.0)
        if final:  # samples within h of the end lack context: 0, as in the batch scores
            n = max(self._n_steps, n_samples)  # one score per sample
            new_scores += [0.0] * (n - len(self.scores) - len(new_scores))
        self.scores.extend(new_scores)
        bounds = self.picker.update(new_scores)
        if final:
            bounds += self.picker.flush()
        return self._cut(bounds)

    def _score(self) -> float:
        h = self.p.half_width
        before = [f for f in self._feats[:h] if f.size]
        after = [f for f in self._feats[h:] if f.size]
        if not before or not after:
            return 0.0
        return cosine_change(np.sum(before, axis=0), np.sum(after, axis=0))

    def _cut(self, bounds: Sequence[int]) -> list[SegmentSpan]:
        spans = []
        for b in bounds:
            if b > self._start:
                spans.append(self._span(self._start, b))
                self._start = b
        return spans

    def _span(self, a: int, b: int) -> SegmentSpan:
        """Windows whose centre lies in [a, b) (at least one) and the samples."""
        w0, w1 = span_windows(a, b, self.length, self.stride, self.steps.n_windows)
        return SegmentSpan(w0, w1, a, b)


def segment_changes(
    tokens: Sequence[NDArray[np.floating] | None],
    params: ChangeParams,
    window_length: int,
    stride: int,
    n_samples: int,
) -> tuple[list[SegmentSpan], NDArray[np.float64]]:
    """Batch: spans and per-sample change scores of a whole sequence of windows."""
    seg = ChangeSegmenter(params, window_length, stride)
    spans = [s for t in tokens for s in seg.update(t)] + seg.flush(n_samples)
    return spans, np.asarray(seg.scores, dtype=np.float64)
