"""Hysteresis segmentation of a per-window energy curve (reference section 3.8, with fixes).

This docstring is the contract of :func:`step`, :func:`finish`, :func:`segment_energy` and
:class:`laps.segment.stream.HysteresisSegmenter` (which all share :func:`step`).

**Input.** One energy per window, windows 0, 1, 2, ... in order; ``NaN`` marks a window
without an energy (a failed window). A window is *positive* when ``e >= thr_on`` and
*negative* when ``e < thr_off`` (``thr_off = ratio * thr_on <= thr_on``); NaN is neither.

**Per window w, in this order** (the reference's order of operations):

1. If ``cooldown_left > 0`` it is decremented.
2. *Inactive:* positive -> ``pos_run += 1`` (remembering the run's first window), NaN ->
   unchanged, anything else -> ``pos_run = 0``. If ``cooldown_left == 0`` and
   ``pos_run >= up_count`` the segment starts; w is the *deciding* window.
   Its ``start_window`` is the first window of the positive run (``w - up_count + 1``
   without NaNs), but not earlier than the first window at which the cooldown allowed a
   start. Fix: the reference started at the deciding window and lost the first
   above-threshold window.
3. *Active* (the deciding window included): ``seg_len = w - start_window + 1``, the span's
   length so far (fix: the reference counted from the deciding window, so its
   max-duration segments were not max_windows long).

   * End 1 (max duration): ``max_windows > 0 and seg_len >= max_windows`` ->
     ``end_window = w + 1``. The counters are not updated on this path.
   * Else end 2 (hysteresis): negative -> ``neg_run += 1`` (remembering the run's first
     window), NaN -> unchanged, else ``neg_run = 0``. ``neg_run >= down_count`` ->
     ``end_window`` = first window of that negative run: the trailing windows below
     ``thr_off`` are not part of the segment.
   * On an end the span ``[start_window, end_window)`` is kept iff its length is
     ``>= min_len_windows`` (no hidden floor of 3, unlike the reference), then
     ``cooldown_left = cooldown_windows`` and both runs are reset.
4. *Flush* (end of the curve): an active segment ends at ``end_window`` = the first window
   of its trailing negative run if ``neg_run > 0``, else the number of windows seen; kept
   iff its length is ``>= min_len_windows``.

Because the decrement comes first, ``cooldown_windows = c`` blocks starts only at the
``c - 1`` windows after the ending window (1 behaves like 0), as in the reference; a run
that began inside the cooldown still counts for ``up_count``.

A NaN window leaves the runs unchanged but counts for ``seg_len`` and the cooldown. A span
never ends before its start is decided, so it can be longer than ``max_windows`` when
``up_count`` (or NaNs inside the positive run) exceed it.

**Samples.** Window w covers samples ``[w * stride, w * stride + T)``. With
``s0 = start_window * stride``, ``start_sample`` is ``s0`` (align ``start``),
``s0 + T // 2`` (``center``) or ``s0 + T - stride`` (``end``);
``end_sample = (end_window - 1) * stride + T``, the end of the span's last window. Adjacent
windows share ``T - stride`` samples, so a span starting right after the previous one could
overlap it in samples; its ``start_sample`` is then raised to the previous span's
``end_sample``. Spans are therefore sorted and disjoint in windows and in samples, and
``end_sample > start_sample`` always.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, replace

import numpy as np
from numpy.typing import NDArray

from laps.segment.config import Align
from laps.segment.params import HysteresisParams
from laps.types import SegmentSpan

__all__ = [
    "HysteresisParams",
    "HysteresisState",
    "earliest_open_window",
    "finish",
    "make_span",
    "segment_energy",
    "step",
]


@dataclass(frozen=True, slots=True)
class HysteresisState:
    """Everything the state machine remembers between windows.

    Attributes:
        next_window: index of the next window (= windows seen).
        active: a segment is open.
        cooldown_left: windows of cooldown left.
        free_from: first window at which the cooldown allows a start.
        pos_run: positive windows in a row (inactive only).
        run_start: first window of that positive run.
        neg_run: negative windows in a row (active only).
        neg_start: first window of that negative run.
        start_window: first window of the open segment.
        last_end_sample: ``end_sample`` of the last emitted span (0 before any).
    """

    next_window: int = 0
    active: bool = False
    cooldown_left: int = 0
    free_from: int = 0
    pos_run: int = 0
    run_start: int = 0
    neg_run: int = 0
    neg_start: int = 0
    start_window: int = 0
    last_end_sample: int = 0


def make_span(
    start_window: int, end_window: int, params: HysteresisParams, not_before: int = 0
) -> SegmentSpan:
    """The span of windows ``[start_window, end_window)`` in samples (see module docstring).

    Args:
        start_window: first window.
        end_window: one past the last window.
        params: alignment, window length and stride.
        not_before: ``start_sample`` is raised to this (the previous span's end).
    """
    t, stride = params.window_length, params.stride
    offset = {Align.START: 0, Align.CENTER: t // 2, Align.END: t - stride}[params.align]
    start = max(start_window * stride + offset, not_before)
    return SegmentSpan(start_window, end_window, start, (end_window - 1) * stride + t)


def _close(
    s: HysteresisState, w: int, end_window: int, params: HysteresisParams
) -> tuple[HysteresisState, SegmentSpan | None]:
    span = None
    if end_window - s.start_window >= params.min_len_windows:
        span = make_span(s.start_window, end_window, params, s.last_end_sample)
    new = replace(
        s,
        active=False,
        cooldown_left=params.cooldown_windows,
        free_from=w + max(params.cooldown_windows, 1),
        pos_run=0,
        neg_run=0,
        last_end_sample=s.last_end_sample if span is None else span.end_sample,
    )
    return new, span


def _track_start(s: HysteresisState, w: int, e: float, p: HysteresisParams) -> HysteresisState:
    if math.isnan(e):
        pass
    elif e >= p.thr_on:
        s = replace(s, pos_run=s.pos_run + 1, run_start=w if s.pos_run == 0 else s.run_start)
    elif s.pos_run:
        s = replace(s, pos_run=0)
    if s.cooldown_left == 0 and s.pos_run >= p.up_count:
        start = max(s.run_start, s.free_from)
        s = replace(s, active=True, start_window=start, pos_run=0, neg_run=0)
    return s


def _track_end(
    s: HysteresisState, w: int, e: float, p: HysteresisParams
) -> tuple[HysteresisState, SegmentSpan | None]:
    if p.max_windows > 0 and w - s.start_window + 1 >= p.max_windows:
        return _close(s, w, w + 1, p)
    if math.isnan(e):
        pass
    elif e < p.thr_off:
        s = replace(s, neg_run=s.neg_run + 1, neg_start=w if s.neg_run == 0 else s.neg_start)
    elif s.neg_run:
        s = replace(s, neg_run=0)
    if s.neg_run >= p.down_count:
        return _close(s, w, s.neg_start, p)
    return s, None


def step(
    state: HysteresisState, energy: float, params: HysteresisParams
) -> tuple[HysteresisState, SegmentSpan | None]:
    """Advance the state machine by one window.

    Args:
        state: the state after the previous window (``HysteresisState()`` to begin).
        energy: this window's energy, NaN when unknown.
        params: the parameters.

    Returns:
        The new state and the span that ended at this window, if one was kept.
    """
    w = state.next_window
    e = float(energy)
    s = replace(state, next_window=w + 1, cooldown_left=max(state.cooldown_left - 1, 0))
    if not s.active:
        s = _track_start(s, w, e, params)
    if s.active:
        return _track_end(s, w, e, params)
    return s, None


def finish(state: HysteresisState, params: HysteresisParams) -> SegmentSpan | None:
    """Close the open segment at the end of the curve (see module docstring, step 4).

    Returns:
        The final span, or None when no segment was open or it is too short.
    """
    if not state.active:
        return None
    end_window = state.neg_start if state.neg_run > 0 else state.next_window
    if end_window - state.start_window < params.min_len_windows:
        return None
    return make_span(state.start_window, end_window, params, state.last_end_sample)


def earliest_open_window(state: HysteresisState) -> int | None:
    """First already-seen window that a span emitted later may still contain.

    Returns:
        ``start_window`` of the open segment, the would-be start of a pending positive run,
        or None when no later span can reach back into the windows seen so far.
    """
    if state.active:
        return state.start_window
    if state.pos_run > 0:
        candidate = max(state.run_start, state.free_from)
        return candidate if candidate < state.next_window else None
    return None


def segment_energy(
    energy: Sequence[float] | NDArray[np.floating], params: HysteresisParams
) -> list[SegmentSpan]:
    """Segment a whole energy curve (offline; equal to streaming it and flushing).

    Args:
        energy: (n,) per-window energies, NaN for failed windows.
        params: the parameters.

    Returns:
        The kept spans, sorted and disjoint.
    """
    values = np.asarray(energy, dtype=np.float64)
    if values.ndim != 1:
        raise ValueError(
            f"segment_energy: expected a 1-D energy curve, got shape {values.shape}; "
            "pass one energy per window"
        )
    state = HysteresisState()
    spans: list[SegmentSpan] = []
    for e in values.tolist():
        state, span = step(state, e, params)
        if span is not None:
            spans.append(span)
    last = finish(state, params)
    if last is not None:
        spans.append(last)
    return spans
