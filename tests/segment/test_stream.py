"""Streaming hysteresis segmenter: equals the offline function, bounded look-back."""

from __future__ import annotations

import math

from hypothesis import given, settings
from hypothesis import strategies as st

from laps.segment.config import Align
from laps.segment.functional import HysteresisParams, segment_energy
from laps.segment.stream import HysteresisSegmenter
from laps.types import SegmentSpan

NAN = math.nan

energies = st.lists(
    st.one_of(st.sampled_from([0.0, 0.7, 2.0, 0.5, 1.0]), st.floats(0, 3), st.just(NAN)),
    max_size=100,
)
param_sets = st.builds(
    HysteresisParams,
    thr_on=st.just(1.0),
    thr_off=st.sampled_from([0.5, 1.0]),
    up_count=st.integers(1, 4),
    down_count=st.integers(1, 4),
    cooldown_windows=st.integers(0, 5),
    min_len_windows=st.integers(1, 5),
    max_windows=st.integers(0, 7),
    align=st.sampled_from(list(Align)),
    window_length=st.integers(4, 16),
    stride=st.integers(1, 4),
)


def _stream(seg: HysteresisSegmenter, curve: list[float]) -> list[SegmentSpan]:
    out: list[SegmentSpan] = []
    for e in curve:
        out.extend(seg.update(None if math.isnan(e) else e))  # None is a failed window too
    return out + seg.flush()


@settings(max_examples=400, deadline=None, derandomize=True)
@given(energies, param_sets)
def test_stream_equals_batch(curve: list[float], p: HysteresisParams) -> None:
    seg = HysteresisSegmenter(p)
    assert _stream(seg, curve) == segment_energy(curve, p)
    assert not seg.active and seg.next_window == 0  # flush resets
    assert _stream(seg, curve) == segment_energy(curve, p)


@settings(max_examples=200, deadline=None, derandomize=True)
@given(energies, energies, param_sets)
def test_reset_starts_a_new_stream(
    junk: list[float], curve: list[float], p: HysteresisParams
) -> None:
    seg = HysteresisSegmenter(p)
    for e in junk:
        seg.update(e)
    seg.reset()
    assert _stream(seg, curve) == segment_energy(curve, p)


@settings(max_examples=400, deadline=None, derandomize=True)
@given(energies, param_sets)
def test_lookback_bounds_every_later_span(curve: list[float], p: HysteresisParams) -> None:
    seg = HysteresisSegmenter(p)
    bound = 0  # windows before `bound` were declared releasable
    for e in curve:
        for span in seg.update(e):
            assert span.start_window >= bound
        first = seg.earliest_open_window
        new_bound = seg.next_window if first is None else first
        assert new_bound >= bound  # the releasable prefix never shrinks
        assert seg.lookback_windows == seg.next_window - new_bound
        assert seg.lookback_windows > 0 or not seg.active
        bound = new_bound
    for span in seg.flush():
        assert span.start_window >= bound


def test_active_and_lookback_by_hand() -> None:
    p = HysteresisParams(thr_on=1.0, thr_off=0.5, up_count=2, down_count=2)
    seg = HysteresisSegmenter(p)
    trace = []
    for e in [0.0, 2.0, 2.0, 2.0, 0.0, 0.0, 0.0]:
        spans = seg.update(e)
        trace.append(
            (seg.active, seg.lookback_windows, [(s.start_window, s.end_window) for s in spans])
        )
    assert trace == [
        (False, 0, []),
        (False, 1, []),  # window 1 may become the start of a span
        (True, 2, []),  # started at window 2, first window 1
        (True, 3, []),
        (True, 4, []),
        (False, 0, [(1, 4)]),
        (False, 0, []),
    ]
    assert seg.flush() == []
