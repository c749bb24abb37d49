"""Change scores and peak picking: hand-worked cases and invariants on random scores."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.signal import find_peaks

from laps.errors import ConfigError
from laps.segment.change import (
    ChangeParams,
    PeakPicker,
    change_scores,
    cosine_change,
    is_peak,
    pick_boundaries,
)


def piecewise(lengths: list[int], directions: list[list[float]], noise: float = 0.0, seed=0):
    """(S, D) step features constant on runs of the given lengths; the change samples."""
    rng = np.random.default_rng(seed)
    rows = [
        np.tile(np.asarray(d, dtype=float), (n, 1))
        for n, d in zip(lengths, directions, strict=True)
    ]
    x = np.vstack(rows)
    changes = np.cumsum(lengths)[:-1].tolist()
    return x + noise * rng.normal(size=x.shape), changes


# --- cosine_change -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        ([0.0, 0.0], [1.0, 2.0], 0.0),  # no motion before: no direction, no change
        ([1.0, 2.0], [0.0, 0.0], 0.0),
        ([0.0, 0.0], [0.0, 0.0], 0.0),
        ([1.0, 2.0], [1.0, 2.0], 0.0),
        ([1.0, 2.0], [3.0, 6.0], 0.0),  # scale-free
        ([1.0, 2.0], [-1.0, -2.0], 2.0),
        ([1.0, 0.0], [0.0, 5.0], 1.0),
    ],
)
def test_cosine_change_edge_cases(a: list[float], b: list[float], expected: float) -> None:
    assert cosine_change(np.asarray(a), np.asarray(b)) == pytest.approx(expected, abs=1e-12)


@settings(max_examples=100, deadline=None)
@given(st.integers(0, 2**32 - 1))
def test_cosine_change_is_symmetric_and_in_range(seed: int) -> None:
    rng = np.random.default_rng(seed)
    a, b = rng.normal(size=(2, 5))
    c = cosine_change(a, b)
    assert 0.0 <= c <= 2.0 + 1e-12
    assert c == pytest.approx(cosine_change(b, a), abs=1e-12)


# --- change_scores -----------------------------------------------------------------------


def test_scores_peak_exactly_at_the_planted_changes() -> None:
    dirs = [[1.0, 0.0, 0.0], [0.0, 1.0, 0.0], [-1.0, -1.0, 0.0], [0.0, 0.0, 2.0]]
    x, changes = piecewise([20, 15, 25, 18], dirs)
    h = 4
    scores = change_scores(x, h)
    assert scores.shape == (len(x),)
    for c in changes:
        assert int(np.argmax(scores[c - h : c + h + 1])) == h  # the maximum sits on c
        assert is_peak(scores, c)
    assert scores[changes[0]] == pytest.approx(1.0)  # 90 degrees
    assert scores[changes[1]] == pytest.approx(1 + 1 / math.sqrt(2))  # 135 degrees
    far = [s for s in range(len(x)) if min(abs(s - c) for c in changes) >= h]
    assert np.allclose(scores[far], 0.0)  # constant features on both sides: no change


def test_an_exact_reversal_saturates_on_a_plateau_around_the_change() -> None:
    # before and after sums point in opposite directions for |s - c| < h / 2: score 2 there
    x, (c,) = piecewise([20, 20], [[0.0, 1.0], [0.0, -1.0]])
    scores = change_scores(x, 4)
    assert np.flatnonzero(scores == 2.0).tolist() == [c - 1, c, c + 1]
    (b,) = pick_boundaries(scores, ChangeParams(0.5, 4, 7))
    assert abs(b - c) <= 1


def test_noisy_changes_are_found_by_the_picker() -> None:
    dirs = [[1.0, 0.2], [-0.3, 1.0], [0.5, -1.0], [1.0, 0.2]]
    x, changes = piecewise([30, 22, 27, 30], dirs, noise=0.1, seed=3)
    scores = change_scores(x, 4)
    assert pick_boundaries(scores, ChangeParams(0.3, 4, 7)) == changes


@pytest.mark.parametrize("h", [1, 3, 6])
def test_samples_without_context_score_zero(h: int) -> None:
    x = np.random.default_rng(h).normal(size=(40, 3))
    scores = change_scores(x, h)
    n = len(x)
    assert np.all(scores[:h] == 0.0)
    assert np.all(scores[n - h + 1 :] == 0.0)
    assert np.all(scores[h : n - h + 1] > 0.0)  # random directions: some change everywhere


def test_scores_of_a_short_sequence_are_all_zero() -> None:
    x = np.random.default_rng(0).normal(size=(5, 2))
    assert np.all(change_scores(x, 3) == 0.0)
    assert change_scores(np.zeros((0, 2)), 3).shape == (0,)


def test_scores_reject_a_flat_sequence() -> None:
    with pytest.raises(ValueError, match="expected"):
        change_scores(np.zeros(10), 2)


# --- ChangeParams ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "kw",
    [
        {"threshold": -0.1},
        {"threshold": math.nan},
        {"threshold": math.inf},
        {"threshold": 0.1, "half_width": 0},
        {"threshold": 0.1, "half_width": -2},
        {"threshold": 0.1, "half_width": True},
        {"threshold": 0.1, "half_width": 2.0},
        {"threshold": 0.1, "min_distance": 0},
        {"threshold": 0.1, "min_distance": False},
    ],
)
def test_params_reject_bad_values(kw: dict[str, Any]) -> None:
    with pytest.raises(ConfigError):
        ChangeParams(**kw)


def test_params_accept_the_edges() -> None:
    p = ChangeParams(0.0, 1, 1)
    assert (p.threshold, p.half_width, p.min_distance) == (0.0, 1, 1)


# --- peak picking ------------------------------------------------------------------------


def candidates(scores: np.ndarray, p: ChangeParams) -> list[int]:
    """Every local maximum at least as high as the threshold."""
    return [s for s in range(len(scores)) if is_peak(scores, s) and scores[s] >= p.threshold]


score_lists = st.lists(
    st.one_of(st.floats(0.0, 2.0), st.sampled_from([0.0, 0.5, 1.0])), max_size=120
)
param_sets = st.builds(
    ChangeParams, st.floats(0.0, 1.0), st.just(4), st.integers(1, 12)
) | st.builds(ChangeParams, st.just(0.0), st.just(4), st.integers(1, 12))


@settings(max_examples=150, deadline=None)
@given(score_lists, param_sets)
def test_boundaries_are_high_enough_separated_peaks(values: list[float], p: ChangeParams) -> None:
    scores = np.asarray(values)
    bounds = pick_boundaries(scores, p)
    cands = candidates(scores, p)
    assert bounds == sorted(set(bounds))
    assert set(bounds) <= set(cands)
    assert all(b - a >= p.min_distance for a, b in zip(bounds[:-1], bounds[1:], strict=True))
    # a candidate is dropped only for a kept one, at least as high, closer than min_distance
    for c in set(cands) - set(bounds):
        assert any(abs(d - c) < p.min_distance and scores[d] >= scores[c] for d in bounds)
    if cands:  # the first of the highest candidates always stays
        top = max(cands, key=lambda s: (scores[s], -s))
        assert top in bounds
    else:
        assert bounds == []


@pytest.mark.parametrize("seed", range(8))
def test_peaks_equal_scipy_find_peaks(seed: int) -> None:
    # an independent implementation of the same rule (height, distance; no ties or plateaus
    # in continuous random data)
    rng = np.random.default_rng(seed)
    x = np.cumsum(rng.normal(size=600)) * 0.1 + rng.normal(size=600) * 0.3
    x -= x.min()
    for r in (1, 4, 9, 15):
        thr = float(np.quantile(x, rng.uniform(0.1, 0.9)))
        want = find_peaks(x, height=thr, distance=r)[0].tolist()
        assert pick_boundaries(x, ChangeParams(thr, 4, r)) == want


@settings(max_examples=100, deadline=None)
@given(score_lists, st.integers(1, 12))
def test_a_threshold_above_every_score_gives_nothing(values: list[float], r: int) -> None:
    scores = np.asarray(values)
    top = float(scores.max()) if scores.size else 0.0
    assert pick_boundaries(scores, ChangeParams(top + 1e-9, 4, r)) == []


def stream(scores: np.ndarray, p: ChangeParams, cuts: list[int]) -> list[int]:
    picker, out, start = PeakPicker(p.threshold, p.min_distance), [], 0
    for end in [*cuts, len(scores)]:
        out += picker.update(scores[start:end].tolist())
        start = end
    return out + picker.flush()


@settings(max_examples=100, deadline=None)
@given(score_lists, param_sets, st.lists(st.integers(0, 120), max_size=10))
def test_streamed_chunks_equal_the_batch(values: list[float], p: ChangeParams, cuts) -> None:
    scores = np.asarray(values)
    cuts = sorted(c for c in cuts if c <= len(scores))
    assert stream(scores, p, cuts) == pick_boundaries(scores, p)


@pytest.mark.parametrize("chunk", [1, 7, 1500, 5000])
def test_long_stream_in_chunks_equals_the_batch(chunk: int) -> None:
    rng = np.random.default_rng(11)
    scores = np.convolve(np.abs(rng.normal(size=5000)), np.ones(5) / 5, mode="same")
    p = ChangeParams(0.8, 4, 7)
    expected = pick_boundaries(scores, p)
    assert len(expected) > 100
    cuts = list(range(chunk, len(scores), chunk))
    assert stream(scores, p, cuts) == expected


def test_peaks_are_released_with_a_bounded_delay() -> None:
    scores = np.zeros(200)
    scores[50], scores[120] = 1.0, 0.9
    picker = PeakPicker(0.1, 9)
    assert picker.update(scores[:55].tolist()) == []  # 50 + 9 not seen yet
    assert picker.update(scores[55:70].tolist()) == [50]
    assert picker.update(scores[70:].tolist()) == [120]
    assert picker.flush() == []


def test_plateau_counts_once_at_its_first_sample() -> None:
    scores = np.asarray([0.0, 0.0, 1.0, 1.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0])
    assert pick_boundaries(scores, ChangeParams(0.5, 4, 2)) == [2]


def test_of_two_close_peaks_the_higher_stays_ties_keep_the_earlier() -> None:
    z = [0.0] * 6
    higher_later = np.asarray(z + [0.8] + [0.0] * 2 + [1.0] + z)
    assert pick_boundaries(higher_later, ChangeParams(0.1, 4, 5)) == [9]
    assert pick_boundaries(higher_later, ChangeParams(0.1, 4, 3)) == [6, 9]
    tie = np.asarray(z + [1.0, 0.0, 0.0, 1.0] + z)
    assert pick_boundaries(tie, ChangeParams(0.1, 4, 5)) == [6]


def test_a_chain_of_rising_peaks_keeps_the_far_ends() -> None:
    # A < B < C, each closer than r to the next, A and C r apart: greedy by height keeps C,
    # drops B, then A is free again
    scores = np.zeros(40)
    scores[[10, 15, 20]] = [0.5, 0.7, 0.9]
    assert pick_boundaries(scores, ChangeParams(0.1, 4, 7)) == [10, 20]
