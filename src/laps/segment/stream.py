"""Streaming hysteresis segmenter: one energy in, the spans it closes out.

The semantics are those of :mod:`laps.segment.functional` (its module docstring is the
contract); this class only holds the state, so ``update`` over a curve followed by ``flush``
returns exactly :func:`laps.segment.functional.segment_energy` of that curve.
"""

from __future__ import annotations

import math
from dataclasses import replace

from laps.segment.functional import (
    HysteresisParams,
    HysteresisState,
    earliest_open_window,
    finish,
    step,
)
from laps.types import SegmentSpan


class HysteresisSegmenter:
    """Causal hysteresis state machine over per-window energies.

    Args:
        params: thresholds, debouncing, cooldown, lengths and alignment.
    """

    def __init__(self, params: HysteresisParams) -> None:
        self.params = params
        self._state = HysteresisState()

    @property
    def active(self) -> bool:
        """A segment is open."""
        return self._state.active

    @property
    def next_window(self) -> int:
        """Index of the next window ``update`` expects (= windows seen so far)."""
        return self._state.next_window

    @property
    def earliest_open_window(self) -> int | None:
        """First already-seen window a later span may still contain (None: no such window).

        Data of windows before it (frames, codes) can be released by the caller.
        """
        return earliest_open_window(self._state)

    @property
    def lookback_windows(self) -> int:
        """How many of the most recent windows a later span may still reach back into.

        ``next_window - earliest_open_window``, 0 when no seen window can be part of a later
        span. It grows without bound while a segment without max duration stays open.
        """
        first = earliest_open_window(self._state)
        return 0 if first is None else self._state.next_window - first

    def update(self, energy: float | None) -> list[SegmentSpan]:
        """Feed the next window's energy.

        Args:
            energy: the window's (smoothed) energy; NaN or None for a failed window.

        Returns:
            The span that ended at this window, if it was kept (zero or one span).
        """
        e = math.nan if energy is None else float(energy)
        self._state, span = step(self._state, e, self.params)
        return [] if span is None else [span]

    def flush(self) -> list[SegmentSpan]:
        """End of stream: close the open segment (if long enough), then reset.

        Returns:
            Zero or one span.
        """
        span = finish(self._state, self.params)
        self.reset()
        return [] if span is None else [span]

    def break_at(self, next_window: int, end_sample: int) -> list[SegmentSpan]:
        """A gap in the stream: close the open segment, restart at ``next_window``.

        The open segment ends as at a flush; when it was still going at the last window
        before the gap (no trailing negative run) it lasts until the gap, ``end_sample``
        (the first sample after it). Counters, cooldown and pending runs start afresh.

        Args:
            next_window: the first window after the gap (windows cut by it are not fed).
            end_sample: the first sample after the gap.

        Returns:
            Zero or one span.
        """
        span = finish(self._state, self.params)
        if span is not None and span.end_window == self._state.next_window:
            span = replace(span, end_sample=max(span.end_sample, end_sample))
        self._state = HysteresisState(next_window=next_window)
        return [] if span is None else [span]

    def reset(self) -> None:
        """Forget everything (a new stream starting at window 0)."""
        self._state = HysteresisState()
