"""Otsu threshold, calibration files and the live warm-up threshold."""

from __future__ import annotations

import json
import math
import random
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from laps.errors import ConfigError
from laps.segment.threshold import (
    WarmupThreshold,
    otsu_threshold,
    read_calibration,
    threshold_from_energies,
)

NAN = math.nan


def _bimodal(seed: int, n_low: int = 600, n_high: int = 200) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    return rng.normal(1.0, 0.15, n_low), rng.normal(4.0, 0.3, n_high)


@pytest.mark.parametrize("seed", range(5))
def test_bimodal_threshold_separates_the_modes(seed: int) -> None:
    low, high = _bimodal(seed)
    thr = otsu_threshold(np.r_[low, high])
    assert low.max() < thr <= high.min()
    assert 1.5 < thr < 3.5  # near the middle of the gap, not at an edge of a mode


def test_two_point_masses() -> None:
    assert otsu_threshold([0.0, 0.0, 0.0, 10.0, 10.0, 10.0]) == pytest.approx(5.0)
    assert otsu_threshold([0.0] * 9 + [10.0]) == pytest.approx(5.0)


def test_unequal_modes_without_gap() -> None:
    rng = np.random.default_rng(3)
    x = np.r_[rng.uniform(0, 1, 900), rng.uniform(1, 3, 100)]
    thr = otsu_threshold(x)
    assert 0.5 < thr < 2.0
    counts = (x < thr).sum(), (x >= thr).sum()
    assert counts[0] > counts[1] > 0


def test_constant_nan_and_empty() -> None:
    assert otsu_threshold([2.5] * 10) == 2.5
    assert otsu_threshold([2.5, NAN, math.inf, 2.5]) == 2.5
    low, high = _bimodal(0)
    with_nan = np.r_[low, NAN, high, NAN, -math.inf]
    assert otsu_threshold(with_nan) == otsu_threshold(np.r_[low, high])
    with pytest.raises(ConfigError, match="at least one finite value"):
        otsu_threshold([])
    with pytest.raises(ConfigError, match="--threshold"):
        otsu_threshold([NAN, NAN])
    with pytest.raises(ConfigError, match="bins >= 2"):
        otsu_threshold([1.0, 2.0], bins=1)


@settings(max_examples=200, deadline=None, derandomize=True)
@given(
    st.lists(st.floats(-1e6, 1e6, allow_nan=False), min_size=1, max_size=200),
    st.integers(2, 300),
    st.randoms(use_true_random=False),
)
def test_otsu_properties(values: list[float], bins: int, rnd: random.Random) -> None:
    thr = otsu_threshold(values, bins)
    lo, hi = min(values), max(values)
    if lo == hi:
        assert thr == lo
    else:
        assert lo < thr <= hi  # both classes non-empty under `e >= thr`
    shuffled = list(values)
    rnd.shuffle(shuffled)
    assert otsu_threshold(shuffled, bins) == thr


def test_threshold_from_energies_logs_flat_input(caplog: pytest.LogCaptureFixture) -> None:
    low, high = _bimodal(1)
    assert threshold_from_energies(np.r_[low, NAN, high]) == otsu_threshold(np.r_[low, high])
    with caplog.at_level("WARNING"):
        assert threshold_from_energies([0.0, 0.0, NAN]) == 0.0
    assert "all 2 energies equal 0" in caplog.text
    with pytest.raises(ConfigError):
        threshold_from_energies([NAN])


def test_warmup_waits_for_n_finite_energies() -> None:
    low, high = _bimodal(2, 30, 20)
    values = np.r_[low, high][np.random.default_rng(0).permutation(50)]
    warm = WarmupThreshold(50)
    for v in values[:25]:
        assert warm.update(float(v)) is None
        assert warm.update(NAN) is None  # not counted
        assert warm.update(None) is None
    assert warm.n_seen == 25
    results = [warm.update(float(v)) for v in values[25:]]
    assert results[:-1] == [None] * 24
    assert results[-1] == otsu_threshold(values)
    assert warm.value == results[-1]


@settings(max_examples=100, deadline=None, derandomize=True)
@given(
    st.integers(1, 20),
    st.lists(st.one_of(st.floats(0, 100), st.just(NAN)), max_size=60),
)
def test_warmup_value_is_frozen_once_returned(n: int, values: list[float]) -> None:
    warm = WarmupThreshold(n)
    first: float | None = None
    finite_seen: list[float] = []
    for v in values:
        if first is None and math.isfinite(v):
            finite_seen.append(v)
        out = warm.update(v)
        if first is None and out is not None:
            first = out
            assert len(finite_seen) >= n
            assert max(finite_seen) > min(finite_seen)  # a flat warm-up never freezes
            assert len(finite_seen) == n or max(finite_seen[:-1]) == min(finite_seen[:-1])
            assert out == otsu_threshold(finite_seen)
        elif first is not None:
            assert out == first
        else:
            assert len(finite_seen) < n or max(finite_seen) == min(finite_seen)
    warm.reset()
    assert warm.value is None and warm.n_seen == 0


def test_warmup_keeps_observing_a_static_scene() -> None:
    warm = WarmupThreshold(5)
    assert all(warm.update(0.0) is None for _ in range(20))  # static: no two classes yet
    assert warm.update(1.0) == otsu_threshold([0.0] * 20 + [1.0])
    assert 0.0 < warm.value <= 1.0  # type: ignore[operator]


def test_warmup_validation() -> None:
    with pytest.raises(ConfigError, match="warmup_windows"):
        WarmupThreshold(0)


def _write(tmp_path: Path, doc: object) -> Path:
    path = tmp_path / "calib.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    return path


def test_read_calibration_dotted_key(tmp_path: Path) -> None:
    doc = {"quantized_token_diff_best": {"best_f1": {"thr": 1.9326171875}, "best_j": {}}}
    path = _write(tmp_path, doc)
    assert read_calibration(path, "quantized_token_diff_best.best_f1.thr") == 1.9326171875
    assert read_calibration(_write(tmp_path, {"threshold": 3})) == 3.0


def test_read_calibration_errors(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="cannot read"):
        read_calibration(tmp_path / "missing.json")
    bad = tmp_path / "bad.json"
    bad.write_text("{not json", encoding="utf-8")
    with pytest.raises(ConfigError, match="expected JSON"):
        read_calibration(bad)
    path = _write(tmp_path, {"best": {"f1": 1.0, "j": 2.0}, "n": 3})
    with pytest.raises(
        ConfigError, match=r"no 'threshold' at the top level; keys present: best, n"
    ):
        read_calibration(path)
    with pytest.raises(ConfigError, match=r"no 'thr' at best; keys present: f1, j"):
        read_calibration(path, "best.thr")
    with pytest.raises(ConfigError, match="expected an object at best.f1"):
        read_calibration(path, "best.f1.thr")
    for value in ("1.0", True, None, -1.0, [1.0]):
        with pytest.raises(ConfigError, match="expected a finite number >= 0"):
            read_calibration(_write(tmp_path, {"threshold": value}))
