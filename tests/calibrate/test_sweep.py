"""Supervised threshold search against ground-truth boundaries."""

import numpy as np
import pytest

from laps.calibrate.sweep import (
    Truth,
    predicted_segments,
    score_threshold,
    supervised_sweep,
    threshold_candidates,
    uniform_curve,
    with_threshold,
)
from laps.errors import ConfigError
from laps.segment.functional import HysteresisParams

FPS, T, STRIDE = 10.0, 16, 4
PARAMS = HysteresisParams(thr_on=1.0, thr_off=0.95, window_length=T, stride=STRIDE)


def _curve(name: str, active: list[tuple[float, float]], seconds: float, seed: int, level: float):
    """Energy high (``level``) for windows whose centre is inside an active interval."""
    rng = np.random.default_rng(seed)
    n = int((seconds * FPS - T) // STRIDE + 1)
    centre = (np.arange(n) * STRIDE + T / 2) / FPS
    on = np.zeros(n, dtype=bool)
    for a, b in active:
        on |= (centre >= a) & (centre < b)
    energy = np.where(on, level, 0.2) + rng.uniform(-0.05, 0.05, n)
    return uniform_curve(name, energy, FPS, T, STRIDE, seconds)


ACTIVE = {
    "a": [(5.0, 12.0), (20.0, 26.0), (40.0, 50.0)],
    "b": [(3.0, 9.0), (15.0, 30.0), (44.0, 52.0)],
}


@pytest.fixture
def data() -> tuple[list, dict[str, Truth]]:
    curves = [_curve(k, v, 60.0, i, 1.0 + 0.5 * i) for i, (k, v) in enumerate(ACTIVE.items())]
    truths = {k: Truth(v, 60.0) for k, v in ACTIVE.items()}
    return curves, truths


def test_uniform_curve_times() -> None:
    c = uniform_curve("x", np.zeros(5), FPS, T, STRIDE)
    assert c.sample_time.size == 4 * STRIDE + T and c.sample_time[10] == 1.0
    assert c.end_s == pytest.approx((4 * STRIDE + T) / FPS)


def test_predicted_segments_follow_the_energy(data) -> None:
    curves, _ = data
    segs = predicted_segments(curves[0], with_threshold(PARAMS, 0.6, 0.95))
    assert len(segs) == 3
    for (a, b), (ta, tb) in zip(segs, ACTIVE["a"], strict=True):
        assert abs(a - ta) <= 1.0 and abs(b - tb) <= 1.5


def test_supervised_sweep_recovers_a_separating_threshold(data) -> None:
    curves, truths = data
    sweep = supervised_sweep(curves, truths, PARAMS, hysteresis_ratio=0.95, tolerance_s=1.5)
    k = sweep.joint()
    thr = sweep.thresholds[k]
    f1 = sweep.f1.mean(axis=0)
    assert 0.2 < thr < 1.0  # above the rest level (0.2 +- 0.05), below the weaker motion
    assert f1[k] == pytest.approx(1.0) and np.all(f1[:k] < 1.0)  # the smallest perfect one
    assert f1[0] < 0.5  # at the lowest energy everything merges into one segment
    assert sweep.f1.shape == (2, sweep.thresholds.size) and sweep.thresholds.size <= 60
    at = score_threshold(curves, truths, PARAMS, thr, 0.95, 1.5)
    assert np.allclose(at[:, 0], 1.0)
    # each video's own best is also a perfect threshold, and the strong video's can be higher
    for i, own in enumerate(sweep.per_video()):
        assert sweep.f1[i, own] == pytest.approx(1.0)


def test_ties_prefer_precision_then_the_smallest_threshold(data) -> None:
    curves, truths = data
    sweep = supervised_sweep(curves, truths, PARAMS, hysteresis_ratio=0.95, tolerance_s=1.5)
    f1 = sweep.f1.mean(axis=0)
    best = np.flatnonzero(f1 == f1.max())
    prec = sweep.precision.mean(axis=0)[best]
    assert sweep.joint() == best[np.flatnonzero(prec == prec.max())[0]]


def test_candidates_and_errors(data) -> None:
    curves, truths = data
    cand = threshold_candidates(curves, 10)
    assert cand.size <= 10 and np.all(np.diff(cand) > 0)
    nan_curve = uniform_curve("n", np.full(10, np.nan), FPS, T, STRIDE)
    with pytest.raises(ConfigError, match="finite energies"):
        threshold_candidates([nan_curve])
    with pytest.raises(ConfigError, match="ground truth for every video"):
        supervised_sweep(curves, {"a": truths["a"]}, PARAMS, hysteresis_ratio=0.95)
    with pytest.raises(ConfigError, match="at least one video"):
        supervised_sweep([], truths, PARAMS, hysteresis_ratio=0.95)
    with pytest.raises(ConfigError, match="--tolerance"):
        supervised_sweep(curves, truths, PARAMS, hysteresis_ratio=0.95, tolerance_s=0)
