"""Greedy (reference) vs one-to-one boundary matching, and independent implementations."""

import warnings

import mir_eval
import numpy as np
import pytest
from ruptures.metrics import precision_recall

from laps.evaluate.boundaries import (
    boundaries_from_segments,
    boundary_score,
    greedy_boundary_score,
    greedy_match_count,
    prf,
    reference_boundaries,
)


def test_greedy_takes_nearest_and_loses_a_pair_one_to_one_keeps():
    true, pred = np.array([1.0, 2.0]), np.array([0.3, 1.6])
    # 1.0 takes its nearest, 1.6 (0.6 s); 2.0 is then left with 0.3 (1.7 s): one hit.
    assert greedy_match_count(true, pred, 0.75) == 1
    # One-to-one pairs 1.0-0.3 (0.7 s) and 2.0-1.6 (0.4 s).
    assert boundary_score(true, pred, 0.75).n_matched == 2
    g = greedy_boundary_score(true, pred, 0.75)
    assert (g.precision, g.recall, g.f1) == (0.5, 0.5, 0.5)


def test_greedy_prediction_used_only_by_a_hit():
    # 1.0's nearest (3.0) is too far and stays free for 3.2.
    assert greedy_match_count(np.array([1.0, 3.2]), np.array([3.0]), 0.5) == 1


def test_reference_boundaries_keep_repeats_and_drop_video_ends():
    segs = [(0.0, 2.0), (2.0, 5.0), (6.0, 10.0)]
    assert reference_boundaries(segs, 10.0).tolist() == [2.0, 2.0, 5.0, 6.0]
    assert boundaries_from_segments(segs, 10.0).tolist() == [2.0, 5.0, 6.0]


def test_greedy_counts_repeated_boundaries_twice():
    gt = reference_boundaries([(0, 2), (2, 5), (5, 10)], 10.0)  # 2, 2, 5, 5
    pred = reference_boundaries([(0, 2.1), (2.1, 10)], 10.0)  # 2.1, 2.1
    s = greedy_boundary_score(gt, pred, 0.5)
    assert (s.n_true, s.n_pred, s.n_matched) == (4, 2, 2)
    assert (s.precision, s.recall) == (1.0, 0.5)


def test_greedy_edge_cases_of_the_reference():
    s = greedy_boundary_score([], [], 1.0)
    assert (s.precision, s.recall, s.f1) == (1.0, 1.0, 1.0)
    s = greedy_boundary_score([], [3.0], 1.0)
    assert (s.precision, s.recall, s.f1) == (1.0, 0.0, 0.0)
    s = greedy_boundary_score([3.0], [], 1.0)
    assert (s.precision, s.recall, s.f1) == (0.0, 0.0, 0.0)


def test_one_to_one_edge_cases():
    assert prf(0, 0, 0) == (1.0, 1.0, 1.0)
    assert prf(0, 2, 0) == (0.0, 1.0, 0.0)
    assert prf(3, 0, 0) == (0.0, 0.0, 0.0)


def test_decimal_times_at_the_tolerance_count():
    # 1.1 - 0.6 is 0.5000000000000001 in floats.
    assert boundary_score([1.1], [0.6], 0.5).n_matched == 1
    assert greedy_match_count(np.array([1.1]), np.array([0.6]), 0.5) == 1


def _contiguous(bkps, n):
    edges = [0, *bkps, n]
    return [(float(a), float(b)) for a, b in zip(edges[:-1], edges[1:], strict=True)]


def _separated_case(rng, n=1000, margin=10):
    """True cuts >= 50 apart, at most one prediction within 15 of each, FPs far away."""
    true = sorted(rng.choice(np.arange(50, n - 49, 50), size=rng.integers(1, 8), replace=False))
    pred = [int(t + rng.integers(-15, 16)) for t in true if rng.random() < 0.7]
    pred += [int(t + 25) for t in true if rng.random() < 0.3]
    return [int(t) for t in true], sorted(set(pred)), n


@pytest.mark.parametrize("seed", range(40))
def test_agrees_with_ruptures_on_separated_cases(seed):
    true, pred, n = _separated_case(np.random.default_rng(seed))
    margin = 10
    rp, rr = precision_recall([*true, n], [*pred, n], margin=margin)
    # ruptures: |d| < margin on integers, i.e. |d| <= margin - 0.5 here.
    tol = margin - 0.5
    gt_segs, pred_segs = _contiguous(true, n), _contiguous(pred, n)
    one = boundary_score(
        boundaries_from_segments(gt_segs, n), boundaries_from_segments(pred_segs, n), tol
    )
    greedy = greedy_boundary_score(
        reference_boundaries(gt_segs, n), reference_boundaries(pred_segs, n), tol
    )
    for s in (one, greedy):
        assert s.precision == pytest.approx(rp)
        assert s.recall == pytest.approx(rr)


def _random_intervals(rng, duration):
    cuts = np.sort(rng.uniform(0.5, duration - 0.5, rng.integers(1, 12)))
    edges = np.concatenate(([0.0], cuts, [duration]))
    return np.stack([edges[:-1], edges[1:]], axis=1)


@pytest.mark.parametrize("seed", range(40))
def test_one_to_one_agrees_with_mir_eval(seed):
    rng = np.random.default_rng(100 + seed)
    duration, window = 30.0, float(rng.uniform(0.2, 3.0))
    ref, est = _random_intervals(rng, duration), _random_intervals(rng, duration)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        mp, mr, mf = mir_eval.segment.detection(ref, est, window=window, trim=True)
    ours = boundary_score(
        boundaries_from_segments(map(tuple, ref), duration),
        boundaries_from_segments(map(tuple, est), duration),
        window,
    )
    assert (ours.precision, ours.recall, ours.f1) == pytest.approx((mp, mr, mf))
