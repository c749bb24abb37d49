"""Hysteresis segmentation of an energy curve: hand-worked curves and invariants."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from laps.energy.config import WindowConfig
from laps.errors import ConfigError
from laps.segment.config import Align, SegmentConfig
from laps.segment.functional import HysteresisParams, segment_energy
from laps.segment.stream import HysteresisSegmenter
from laps.types import SegmentSpan

NAN = math.nan
HI, LO, MID = 2.0, 0.0, 0.7  # thr_on 1.0, thr_off 0.5: MID is neither positive nor negative


def params(**kw: Any) -> HysteresisParams:
    base: dict[str, Any] = {
        "thr_on": 1.0, "thr_off": 0.5, "up_count": 2, "down_count": 2, "cooldown_windows": 1,
        "min_len_windows": 2, "max_windows": 0, "align": Align.START, "window_length": 16,
        "stride": 4,
    }  # fmt: skip
    base.update(kw)
    return HysteresisParams(**base)


def run(curve: list[float], **kw: Any) -> list[tuple[int, int]]:
    """Window ranges of the offline result, after checking streaming gives the same."""
    p = params(**kw)
    offline = segment_energy(curve, p)
    seg = HysteresisSegmenter(p)
    streamed = [s for e in curve for s in seg.update(e)] + seg.flush()
    assert streamed == offline
    return [(s.start_window, s.end_window) for s in offline]


def test_step_curve_gives_one_span_including_the_first_high_window() -> None:
    curve = [LO] * 5 + [HI] * 6 + [LO] * 5  # windows 5..10 high
    assert run(curve) == [(5, 11)]


@pytest.mark.parametrize(("align", "start_sample"), [("start", 20), ("center", 28), ("end", 32)])
def test_step_curve_samples_per_alignment(align: str, start_sample: int) -> None:
    curve = [LO] * 5 + [HI] * 6 + [LO] * 5
    (span,) = segment_energy(curve, params(align=Align(align)))
    # windows [5, 11): window 5 starts at sample 20; window 10 ends at 10 * 4 + 16 = 56
    assert span == SegmentSpan(5, 11, start_sample, 56)


def test_single_spike_does_not_start() -> None:
    assert run([LO, LO, HI, LO, LO, HI, LO]) == []


def test_between_thresholds_resets_the_positive_run() -> None:
    assert run([HI, MID, HI, MID, HI, LO, LO]) == []


def test_single_dip_does_not_end() -> None:
    assert run([LO, HI, HI, HI, LO, HI, HI, LO, LO, LO]) == [(1, 7)]


def test_hysteresis_band_keeps_a_segment_open() -> None:
    assert run([LO, HI, HI, MID, MID, MID, HI, LO, LO]) == [(1, 7)]


def test_up_and_down_counts() -> None:
    curve = [LO, HI, HI, HI, LO, LO, LO, LO]
    assert run(curve, up_count=3) == [(1, 4)]
    assert run(curve, up_count=4) == []
    assert run(curve, down_count=4) == [(1, 4)]
    assert run(curve, down_count=5) == [(1, 4)]  # closed by the flush, without the low tail


def test_cooldown_delays_the_next_start() -> None:
    curve = [HI, HI, LO, LO, HI, HI, HI, HI, LO, LO]
    # the end is decided at window 3; cooldown 1 or 0 allows a start at window 4 already
    assert run(curve, cooldown_windows=0) == [(0, 2), (4, 8)]
    assert run(curve, cooldown_windows=1) == [(0, 2), (4, 8)]
    # cooldown 3: starts allowed from window 3 + 3 = 6; the run began at 4 but starts at 6
    assert run(curve, cooldown_windows=3) == [(0, 2), (6, 8)]
    assert run(curve, cooldown_windows=5) == [(0, 2)]  # window 8 (first allowed) is low


def test_min_len() -> None:
    curve = [LO, HI, HI, LO, LO, LO]
    assert run(curve, min_len_windows=2) == [(1, 3)]
    assert run(curve, min_len_windows=3) == []  # no hidden floor: 2 is allowed above
    assert run([LO, HI, LO, LO], up_count=1, min_len_windows=1) == [(1, 2)]


def test_max_duration_splits_a_long_run_into_pieces() -> None:
    curve = [HI] * 10 + [LO] * 4
    assert run(curve, max_windows=3) == [(0, 3), (3, 6), (6, 9)]
    spans = segment_energy(curve, params(max_windows=3, align=Align.END))
    assert [(s.start_sample, s.end_sample) for s in spans] == [(12, 24), (24, 36), (36, 48)]
    # center alignment would overlap the previous span by 4 samples: clamped to its end
    spans = segment_energy(curve, params(max_windows=3, align=Align.CENTER))
    assert [(s.start_sample, s.end_sample) for s in spans] == [(8, 24), (24, 36), (36, 48)]


def test_up_count_longer_than_max_duration() -> None:
    assert run([HI] * 7, up_count=3, max_windows=2, min_len_windows=1) == [(0, 3), (3, 6)]


def test_threshold_zero_tiles_any_positive_curve() -> None:
    """The reference's GTEA setup: thr 0 + 2 s max duration is a periodic segmentation."""
    cfg = SegmentConfig(max_duration_seconds=2.0)
    p = HysteresisParams.from_config(cfg, 0.0, WindowConfig(), target_fps=10.0)
    assert p.max_windows == 5
    energy = np.random.default_rng(7).uniform(0.0, 3.0, 100)  # content does not matter
    spans = segment_energy(energy, p)
    assert [(s.start_window, s.end_window) for s in spans] == [
        (5 * k, 5 * k + 5) for k in range(20)
    ]
    for a, b in zip(spans[:-1], spans[1:], strict=True):
        assert a.end_sample == b.start_sample  # contiguous tiling, 20 samples each
    assert spans[0] == SegmentSpan(0, 5, 8, 32)


def test_nan_windows_neither_start_nor_end_but_count_for_length() -> None:
    assert run([HI, NAN, HI, LO, LO]) == [(0, 3)]  # NaN inside the positive run
    assert run([LO, HI, HI, LO, NAN, LO]) == [(1, 3)]  # NaN inside the negative run
    assert run([LO, HI, HI, NAN, NAN, LO, LO]) == [(1, 5)]  # NaN before it is kept
    # max duration 3 ends at the NaN window; the second piece ends by max duration at the
    # low window 5 (end 1 is tested before the hysteresis end), so it includes it
    assert run([HI, HI, NAN, HI, HI, LO], max_windows=3) == [(0, 3), (3, 6)]
    assert run([NAN] * 6) == []


def test_flush_closes_an_open_segment() -> None:
    assert run([LO, HI, HI, HI]) == [(1, 4)]
    assert run([LO, HI, HI, HI, LO]) == [(1, 4)]  # the trailing low window is not included
    assert run([LO, HI, HI, LO], min_len_windows=3) == []


def test_params_from_config() -> None:
    cfg = SegmentConfig(hysteresis_ratio=0.9, max_duration_seconds=2.0, up_count=3)
    p = HysteresisParams.from_config(cfg, 2.0, WindowConfig(length=8, stride=2), 12.0)
    assert (p.thr_on, p.thr_off, p.up_count) == (2.0, pytest.approx(1.8), 3)
    assert p.max_windows == 12  # 2 s * 12 fps / stride 2
    assert (p.window_length, p.stride, p.align) == (8, 2, Align.CENTER)
    off = HysteresisParams.from_config(SegmentConfig(), 1.0, WindowConfig(), 10.0)
    assert off.max_windows == 0
    tiny = SegmentConfig(max_duration_seconds=0.01)
    assert HysteresisParams.from_config(tiny, 1.0, WindowConfig(), 10.0).max_windows == 1
    with pytest.raises(ConfigError, match="target_fps"):
        HysteresisParams.from_config(cfg, 1.0, WindowConfig(), 0.0)


@pytest.mark.parametrize(
    ("kw", "match"),
    [
        ({"thr_on": 1.0, "thr_off": 2.0}, "thr_off <= thr_on"),
        ({"thr_on": NAN}, "finite"),
        ({"up_count": 0}, "up_count"),
        ({"down_count": 0}, "down_count"),
        ({"cooldown_windows": -1}, "cooldown_windows"),
        ({"min_len_windows": 0}, "min_len_windows"),
        ({"max_windows": -1}, "max duration"),
        ({"stride": 20}, "stride"),
        ({"align": "middle"}, "align"),
    ],
)
def test_params_validation(kw: dict[str, Any], match: str) -> None:
    with pytest.raises(ConfigError, match=match):
        params(**kw)


def test_negative_threshold_is_rejected_by_from_config() -> None:
    with pytest.raises(ConfigError, match="thr_off <= thr_on"):
        HysteresisParams.from_config(SegmentConfig(), -1.0, WindowConfig(), 10.0)


def test_rejects_non_1d_curves() -> None:
    with pytest.raises(ValueError, match="1-D"):
        segment_energy(np.zeros((2, 3)), params())


energies = st.lists(
    st.one_of(st.sampled_from([LO, MID, HI, 0.5, 1.0]), st.floats(0, 3), st.just(NAN)),
    max_size=80,
)
param_sets = st.builds(
    params,
    up_count=st.integers(1, 4),
    down_count=st.integers(1, 4),
    cooldown_windows=st.integers(0, 4),
    min_len_windows=st.integers(1, 5),
    max_windows=st.integers(0, 6),
    align=st.sampled_from(list(Align)),
    window_length=st.integers(4, 16),
    stride=st.integers(1, 4),
)


def _negative(e: float, p: HysteresisParams) -> bool:
    return not math.isnan(e) and e < p.thr_off


@settings(max_examples=300, deadline=None, derandomize=True)
@given(energies, param_sets)
def test_invariants(curve: list[float], p: HysteresisParams) -> None:
    spans = segment_energy(curve, p)
    for s in spans:
        assert s.end_window - s.start_window >= p.min_len_windows
        assert 0 <= s.start_window < s.end_window <= len(curve)
        assert s.end_sample == (s.end_window - 1) * p.stride + p.window_length
        first = curve[s.start_window]
        assert math.isnan(first) or first >= p.thr_on
        # no down_count negatives in a row (NaN skipped) inside a span; a max-duration end
        # takes the deciding window whatever its energy, so it is left out of the check
        by_max = p.max_windows and s.end_window - s.start_window >= p.max_windows
        run_len = 0
        for e in curve[s.start_window : s.end_window - 1 if by_max else s.end_window]:
            run_len = run_len + 1 if _negative(e, p) else (run_len if math.isnan(e) else 0)
            assert run_len < p.down_count
        if p.max_windows and not any(math.isnan(e) for e in curve):
            assert s.end_window - s.start_window <= max(p.max_windows, p.up_count)
    for a, b in zip(spans[:-1], spans[1:], strict=False):
        assert a.end_window <= b.start_window
        assert a.end_sample <= b.start_sample


@settings(max_examples=200, deadline=None, derandomize=True)
@given(energies, param_sets)
def test_cooldown_one_equals_cooldown_zero(curve: list[float], p: HysteresisParams) -> None:
    """Decrement-before-test (reference order) makes a cooldown of 1 a no-op."""
    from dataclasses import replace

    zero = segment_energy(curve, replace(p, cooldown_windows=0))
    assert zero == segment_energy(curve, replace(p, cooldown_windows=1))


@settings(max_examples=200, deadline=None, derandomize=True)
@given(st.lists(st.sampled_from([LO, MID, HI]), max_size=60), param_sets)
def test_every_debounced_window_is_covered(curve: list[float], p: HysteresisParams) -> None:
    """Without cooldown, max duration or min length, a window that completes up_count
    positives in a row always lies in a span."""
    from dataclasses import replace

    p = replace(p, cooldown_windows=0, max_windows=0, min_len_windows=1)
    covered = {w for s in segment_energy(curve, p) for w in range(s.start_window, s.end_window)}
    for w in range(p.up_count - 1, len(curve)):
        if all(e >= p.thr_on for e in curve[w - p.up_count + 1 : w + 1]):
            assert w in covered
