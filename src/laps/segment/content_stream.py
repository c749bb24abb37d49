"""Streaming content segmenter: windows' residual tokens in, labelled tiling spans out.

``update(tokens)`` takes one window's (T - 1, 3N) tokens
(:func:`laps.segment.motion.residual_steps`; None for a failed window) and returns the spans
that became final; ``flush(n_samples)`` closes the rest. Spans tile the stream and carry the
label ``idle`` or ``active``. The steps, in order:

    window tokens -> StepFeatures (mean over overlapping windows, final after T steps)
      -> ActivityMeter (activity, hand velocity) -> CentredMean -> Debounce (idle/active)
      -> pattern (hand features averaged over ``pattern`` steps)
      -> evidence of a change at every sample (patterns before / after)
      -> PeakPicker (cuts) -> kept where both sides are active -> spans

The delay is bounded: about ``T + warmup`` steps at the start (the floors' warm-up), then
``T + max(smooth/2 + max(min_idle, min_active), pattern/2 + half_width) + min_distance``
steps.
:func:`segment_content` runs the same objects over a whole sequence, so batch equals stream.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from numpy.typing import ArrayLike, NDArray

from laps.segment.activity_stream import ActivityMeter, CentredMean, Debounce
from laps.segment.change_stream import StepFeatures
from laps.segment.content import ACTIVE, IDLE, ContentParams
from laps.segment.motion import evidence, hand_features
from laps.segment.peaks import PeakPicker
from laps.segment.tiling import span_windows
from laps.types import SegmentSpan

FloatArray = NDArray[np.float64]


class EvidenceScores:
    """Hand features per step -> change evidence per sample (sample s: steps s-h.. | s..s+h)."""

    def __init__(self, half_width: int, sigma0: float) -> None:
        self.h, self.sigma0 = half_width, sigma0
        self._feats: list[FloatArray] = []
        self.n_steps = 0
        self.n_scores = 0

    def update(self, hands: list[FloatArray]) -> list[float]:
        """Append step features; return the scores now computable."""
        out = []
        for f in hands:
            self._feats.append(f)
            self.n_steps += 1
            if len(self._feats) > 2 * self.h:
                self._feats.pop(0)
            s = self.n_steps - self.h  # sample s needs steps [s - h, s + h)
            if s >= 0:
                out.append(self._score() if s >= self.h else 0.0)
        self.n_scores += len(out)
        return out

    def flush(self, n_samples: int) -> list[float]:
        """Samples within h of the end lack context: 0 (as at the start)."""
        out = [0.0] * max(0, n_samples - self.n_scores)
        self.n_scores += len(out)
        return out

    def _score(self) -> float:
        h = self.h
        before, after = np.array(self._feats[:h]), np.array(self._feats[h:])
        return evidence(before, after, self.sigma0)


class ContentSegmenter:
    """Idle/active states and evidence-scaled cuts -> tiling labelled spans, streaming."""

    def __init__(self, params: ContentParams, window_length: int, stride: int) -> None:
        p = self.p = params
        self.length, self.stride = window_length, stride
        self.steps = StepFeatures(stride)
        self.meter = ActivityMeter(p)
        self.smoother = CentredMean(p.smooth, median=True)
        self.debounce = Debounce(p.on, p.off, p.min_idle, p.min_active)
        self.pattern = CentredMean(p.pattern)
        self.evidence = EvidenceScores(p.half_width, p.sigma0)
        self.picker = PeakPicker(p.threshold, p.min_distance)
        self.states: list[bool] = []  # final state of every step so far
        self.activity: list[float] = []  # smoothed activity of every step (for export)
        self.scores: list[float] = []  # change evidence of every sample (for export)
        self.measured: list[tuple[float, FloatArray]] = []  # raw activity, hand per step
        self._peaks: list[int] = []  # released cuts not yet turned into spans
        self._start = 0  # first sample of the open span

    def update(self, tokens: NDArray[np.floating] | None) -> list[SegmentSpan]:
        """Feed one window's tokens; return the spans now decided."""
        return self._advance(self.steps.add(tokens), final=False)

    def flush(self, n_samples: int) -> list[SegmentSpan]:
        """End of stream (``n_samples`` sampled frames): close every remaining span."""
        nw = self.steps.n_windows
        n_steps = (nw - 1) * self.stride + self.length - 1 if nw else 0
        spans = self._advance(self.steps.flush(n_steps), final=True, n_samples=n_samples)
        return spans + [self.close_open(n_samples)]

    def close_open(self, n_samples: int) -> SegmentSpan:
        """The open span, ended at the end of the stream (after the final decisions)."""
        return self._span(self._start, max(n_samples, self._start + 1))

    def earliest_open_sample(self) -> int:
        """First sample of the span still open (a later span starts no earlier)."""
        return self._start

    def _advance(
        self, feats: list[FloatArray], final: bool, n_samples: int = 0
    ) -> list[SegmentSpan]:
        measured = [m for f in feats for m in self.meter.add(f)]
        if final:
            measured += self.meter.flush()
        return self.decide(measured, final, n_samples)

    def decide(
        self, measured: list[tuple[float, FloatArray]], final: bool, n_samples: int = 0
    ) -> list[SegmentSpan]:
        """Measured steps (activity, hand velocity) in order -> the spans now final.

        The part after the activity meter; :func:`recut_steps` feeds it stored steps.
        """
        self.measured.extend(measured)
        smoothed = self.smoother.update([a for a, _ in measured])
        smoothed += self.smoother.flush() if final else []
        self.activity.extend(smoothed)
        self.states.extend(self.debounce.update(smoothed))
        if final:
            self.states.extend(self.debounce.flush())
        patterns = self.pattern.update([hand_features(h) for _, h in measured])
        patterns += self.pattern.flush() if final else []
        scores = self.evidence.update(patterns)
        if final:
            scores += self.evidence.flush(max(n_samples, self.evidence.n_steps))
        self.scores.extend(scores)
        self._peaks.extend(self.picker.update(scores) + (self.picker.flush() if final else []))
        return self._cut(len(self.states) if not final else None)

    def _cut(self, known: int | None) -> list[SegmentSpan]:
        """Spans ending before the last step whose state and cuts are both final."""
        horizon = len(self.states)
        if known is not None:  # a cut's fate needs the states min_distance steps past it
            horizon = min(known - self.p.min_distance, self.picker.horizon())
        spans = []
        for b in self._boundaries(horizon):
            if b > self._start:
                spans.append(self._span(self._start, b))
                self._start = b
        return spans

    def _boundaries(self, horizon: int) -> list[int]:
        """State switches and kept cuts in ``(start, horizon)``, in order."""
        st, g = self.states, self.p.min_distance
        lo = self._start + 1
        switches = [s for s in range(lo, min(horizon, len(st))) if st[s] != st[s - 1]]
        keep = []
        for c in self._peaks:
            if c >= horizon:
                continue
            near_switch = any(abs(c - s) < g for s in self._switches_near(c, g))
            if 0 < c < len(st) and st[c] and st[c - 1] and not near_switch:
                keep.append(c)
        self._peaks = [c for c in self._peaks if c >= horizon]
        return sorted(set(switches) | {c for c in keep if c >= lo})

    def _switches_near(self, c: int, g: int) -> list[int]:
        st = self.states
        lo, hi = max(1, c - g + 1), min(len(st), c + g)
        return [s for s in range(lo, hi) if st[s] != st[s - 1]]

    def _span(self, a: int, b: int) -> SegmentSpan:
        w0, w1 = span_windows(a, b, self.length, self.stride, self.steps.n_windows)
        state = self.states[min(a, len(self.states) - 1)] if self.states else False
        return SegmentSpan(w0, w1, a, b, label=ACTIVE if state else IDLE)


def segment_content(
    tokens: Sequence[NDArray[np.floating] | None],
    params: ContentParams,
    window_length: int,
    stride: int,
    n_samples: int,
) -> list[SegmentSpan]:
    """Batch: the labelled spans of a whole sequence of windows' tokens (= streaming it)."""
    seg = ContentSegmenter(params, window_length, stride)
    return [s for t in tokens for s in seg.update(t)] + seg.flush(n_samples)


def recut_steps(
    activity: ArrayLike,
    hand: ArrayLike,
    params: ContentParams,
    n_samples: int,
) -> list[tuple[int, int, bool]]:
    """Re-decide a run from its stored steps (``content_steps.json``) with other parameters.

    Only the parameters after the activity meter apply (``on``, ``off``, ``min_idle``,
    ``min_active``, ``smooth``, ``pattern``, ``half_width``, ``threshold``,
    ``min_distance``, ``sigma0``). Returns ``(start_sample, end_sample, active)`` tiles.
    """
    seg = ContentSegmenter(params, 1, 1)
    acts = np.asarray(activity, dtype=np.float64).ravel()
    hands = np.asarray(hand, dtype=np.float64).reshape(len(acts), 2)
    measured = [(float(a), h) for a, h in zip(acts, hands, strict=True)]
    spans = seg.decide(measured, final=False)
    spans += seg.decide([], final=True, n_samples=n_samples) + [seg.close_open(n_samples)]
    return [(s.start_sample, s.end_sample, s.label == ACTIVE) for s in spans]
