"""Pseudo-label specs, the vectorised threshold sweep and aggregation."""

import numpy as np
import pytest

from laps.calibrate.calibration import (
    Aggregate,
    LabelSpec,
    Objective,
    aggregate,
    candidates,
    label_threshold,
    parse_label_spec,
    pseudo_labels,
    sweep_threshold,
)
from laps.errors import ConfigError
from laps.segment.threshold import otsu_threshold


@pytest.mark.parametrize(
    ("text", "spec"),
    [
        ("auto", LabelSpec("auto")),
        (" AUTO ", LabelSpec("auto")),
        ("quantile:0.7", LabelSpec("quantile", 0.7)),
        ("quantile:0", LabelSpec("quantile", 0.0)),
        ("value:0.01", LabelSpec("value", 0.01)),
    ],
)
def test_parse_label_spec(text: str, spec: LabelSpec) -> None:
    assert parse_label_spec(text) == spec
    assert parse_label_spec(str(spec)) == spec


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("median", "expected a label spec"),
        ("quantile", "expected a label spec"),
        ("quantile:x", "expected a number after 'quantile:'"),
        ("quantile:1.5", "0 <= q <= 1"),
        ("value:-1", "finite value >= 0"),
        ("value:nan", "finite value >= 0"),
        ("value:", "expected a number"),
    ],
)
def test_bad_label_specs(text: str, fragment: str) -> None:
    with pytest.raises(ConfigError, match=fragment) as err:
        parse_label_spec(text)
    assert "quantile:Q" in str(err.value)  # the fix is in the message


def test_label_thresholds() -> None:
    proxy = np.array([0.0, 0.1, 0.2, np.nan, 5.0, 5.1, 5.2])
    assert label_threshold(proxy, LabelSpec("auto")) == otsu_threshold(proxy)
    assert label_threshold(proxy, LabelSpec("quantile", 0.5)) == pytest.approx(2.6)
    assert label_threshold(proxy, LabelSpec("value", 1.0)) == 1.0
    labels = pseudo_labels(proxy, label_threshold(proxy, LabelSpec("auto")))
    assert labels.tolist() == [False, False, False, False, True, True, True]
    with pytest.raises(ConfigError, match="no proxy|finite proxy"):
        label_threshold([np.nan, np.nan], LabelSpec("auto"))


def test_candidates_are_values_and_midpoints() -> None:
    assert candidates([3.0, 1.0, 1.0, 2.0]).tolist() == [1.0, 1.5, 2.0, 2.5, 3.0]
    many = candidates(np.arange(10_000.0), max_candidates=100)
    assert many.size <= 100 and many[0] == 0 and many[-1] == 9999


def test_hand_worked_sweep() -> None:
    # energies 1..6; labels positive for 4, 5, 6 and (noise) 2
    energy = np.array([1.0, 2.0, 3.0, 4.0, 5.0, 6.0])
    labels = np.array([0, 1, 0, 1, 1, 1], dtype=bool)
    s = sweep_threshold(energy, labels)
    # tau = 4 (or 3.5): TP 3 FP 0 FN 1 -> F1 6/7; tau = 2 (or 1.5): TP 4 FP 1 -> F1 8/9
    assert s.best_f1.thr == 1.5 and s.best_f1.f1 == pytest.approx(8 / 9)
    assert (s.best_f1.tp, s.best_f1.fp, s.best_f1.fn, s.best_f1.tn) == (4, 1, 0, 1)
    # J: tau 1.5 -> 1 - 1/2 = 0.5; tau 3.5 -> 3/4 - 0 = 0.75
    assert s.best_j.thr == 3.5 and s.best_j.youden_j == pytest.approx(0.75)
    assert s.best_j.precision == 1.0 and s.best_j.recall == 0.75 and s.best_j.fpr == 0.0
    assert s.best_j.accuracy == pytest.approx(5 / 6)
    assert s.best(Objective.F1) is s.best_f1 and s.best(Objective.YOUDEN) is s.best_j


def test_ties_go_to_the_smallest_threshold() -> None:
    # perfectly separable: every tau in (1, 2] is perfect; the smallest candidate is 1.5
    s = sweep_threshold([1.0, 1.0, 2.0, 2.0], [False, False, True, True])
    assert s.best_f1.thr == 1.5 and s.best_j.thr == 1.5 and s.best_f1.f1 == 1.0


def test_ge_convention_counts_equal_values_as_positive() -> None:
    s = sweep_threshold([0.0, 1.0, 1.0], [False, True, True])
    k = int(np.flatnonzero(s.thresholds == 1.0)[0])
    assert s.tp[k] == 2 and s.fp[k] == 0  # energy >= tau, like the segmenter


def _brute(x: np.ndarray, y: np.ndarray, thr: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    tp = np.array([np.sum((x >= t) & y) for t in thr])
    fp = np.array([np.sum((x >= t) & ~y) for t in thr])
    return tp, fp


@pytest.mark.parametrize("seed", range(5))
def test_vectorised_sweep_equals_brute_force(seed: int) -> None:
    rng = np.random.default_rng(seed)
    n = int(rng.integers(5, 300))
    x = np.round(rng.gamma(2.0, 1.0, n), 1)  # rounding makes ties
    y = rng.random(n) < 1 / (1 + np.exp(-(x - 2)))
    y[:2] = [True, False]
    x[rng.random(n) < 0.05] = np.nan
    s = sweep_threshold(x, y)
    keep = np.isfinite(x)
    tp, fp = _brute(x[keep], y[keep], s.thresholds)
    assert np.array_equal(s.tp, tp) and np.array_equal(s.fp, fp)
    f1 = 2 * tp / (2 * tp + fp + (y[keep].sum() - tp))
    j = tp / y[keep].sum() - fp / (~y[keep]).sum()
    assert s.best_f1.thr == s.thresholds[np.argmax(f1)]
    assert s.best_j.thr == s.thresholds[np.argmax(j)]
    assert s.best_f1.f1 == pytest.approx(f1.max())


def test_sweep_errors() -> None:
    with pytest.raises(ConfigError, match="both positive and negative"):
        sweep_threshold([1.0, 2.0], [True, True])
    with pytest.raises(ConfigError, match="one label per energy"):
        sweep_threshold([1.0, 2.0], [True])
    with pytest.raises(ConfigError, match="both positive and negative"):
        sweep_threshold([np.nan, np.nan], [True, False])


def test_aggregate() -> None:
    assert aggregate([1.0, 2.0, 10.0, np.nan], Aggregate.MEDIAN) == 2.0
    assert aggregate([1.0, 2.0, 9.0], Aggregate.MEAN) == 4.0
    with pytest.raises(ConfigError, match="pooled"):
        aggregate([1.0], Aggregate.POOLED)
    with pytest.raises(ConfigError, match="at least one"):
        aggregate([np.nan], Aggregate.MEDIAN)
