import numpy as np
import pytest

from laps.evaluate.boundaries import boundaries_from_segments, boundary_score, match_count


def test_hand_worked_case():
    true = [2.0, 5.0, 9.0]
    pred = [2.3, 2.4, 6.5, 9.1]
    s = boundary_score(true, pred, tolerance_s=0.5)
    # 2.3 and 2.4 both near 2.0 but only one may match; 6.5 is 1.5 s from 5.0.
    assert s.n_matched == 2
    assert s.precision == pytest.approx(2 / 4)
    assert s.recall == pytest.approx(2 / 3)
    assert s.f1 == pytest.approx(2 * 0.5 * (2 / 3) / (0.5 + 2 / 3))


def test_one_to_one_beats_greedy():
    # Greedy nearest-first would pair 1.0 with 1.4 and leave 1.8 unmatched.
    assert match_count(np.array([1.0, 1.8]), np.array([1.4, 0.7]), 0.45) == 2


def test_perfect_and_empty():
    assert boundary_score([1, 2], [1, 2], 0.1).f1 == 1.0
    assert boundary_score([1, 2], [], 0.1).f1 == 0.0
    assert boundary_score([], [1.0], 0.1).precision == 0.0


def test_boundaries_exclude_video_ends():
    segs = [(0.0, 2.0), (2.0, 5.0), (6.0, 10.0)]
    assert boundaries_from_segments(segs, duration_s=10.0).tolist() == [2.0, 5.0, 6.0]


def test_against_brute_force_random():
    rng = np.random.default_rng(0)
    for _ in range(50):
        t = np.sort(rng.uniform(0, 10, rng.integers(0, 6)))
        p = np.sort(rng.uniform(0, 10, rng.integers(0, 6)))
        assert match_count(t, p, 0.7) == _brute(list(t), list(p), 0.7)


def _brute(t, p, tol):
    if not t or not p:
        return 0
    best = _brute(t[1:], p, tol)
    for j, x in enumerate(p):
        if abs(x - t[0]) <= tol:
            best = max(best, 1 + _brute(t[1:], p[:j] + p[j + 1 :], tol))
    return best
