"""Per-window energy and offline causal smoothing."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from laps.energy.config import EnergyMode, EnergySource, Smoothing
from laps.energy.functional import (
    causal_ma,
    ema,
    point_speeds,
    smooth,
    token_energy,
    velocity_energy,
    window_energy,
)
from laps.errors import ConfigError

NAN = math.nan
series = st.lists(
    st.one_of(st.floats(-1e6, 1e6, allow_nan=False), st.just(NAN)), min_size=0, max_size=60
)


def test_velocity_energy_is_mean_point_step_norm() -> None:
    vel = np.zeros((2, 2, 2), dtype=np.float32)
    vel[0, 0] = (3, 4)  # 5
    vel[1, 1] = (0, -2)  # 2
    assert velocity_energy(vel) == pytest.approx(7 / 4)
    np.testing.assert_allclose(point_speeds(vel), [[5, 0], [0, 2]])


@pytest.mark.parametrize("shape", [(4, 3), (4, 3, 3), (0, 3, 2)])
def test_velocity_energy_rejects_bad_shapes(shape: tuple[int, ...]) -> None:
    with pytest.raises(ValueError, match=r"\(L, N, 2\)"):
        velocity_energy(np.zeros(shape))


def test_token_energy_modes() -> None:
    z = np.array([[0.0, 0.0], [3.0, 4.0], [3.0, 4.0]])
    assert token_energy(z, EnergyMode.L2_MEAN) == pytest.approx(10 / 3)
    # differences: (3, 4) -> 5 and (0, 0) -> 0
    assert token_energy(z, EnergyMode.TOKEN_DIFF_L2_MEAN) == pytest.approx(2.5)
    assert token_energy(z, "token_diff_l2_mean") == pytest.approx(2.5)


def test_token_diff_with_one_token_falls_back_to_l2_mean() -> None:
    z = np.array([[3.0, 4.0]])
    assert token_energy(z, EnergyMode.TOKEN_DIFF_L2_MEAN) == pytest.approx(5.0)


def test_token_energy_errors() -> None:
    with pytest.raises(ConfigError, match="energy.mode"):
        token_energy(np.ones((2, 3)), "bogus")
    with pytest.raises(ValueError, match=r"\(L, D\)"):
        token_energy(np.ones((1, 2, 3)), EnergyMode.L2_MEAN)


def test_window_energy_dispatch() -> None:
    vel = np.full((3, 5, 2), [3.0, 4.0])
    pre = np.array([[1.0, 0.0], [1.0, 0.0]])
    q = np.array([[0.0, 2.0], [0.0, 0.0]])
    for mode in EnergyMode:  # velocity ignores the mode
        assert window_energy(EnergySource.VELOCITY, mode, velocities=vel) == pytest.approx(5.0)
    mode = EnergyMode.L2_MEAN
    assert window_energy("prequant", mode, velocities=vel, prequant=pre, quantized=q) == 1.0
    assert window_energy("quantized", mode, velocities=vel, prequant=pre, quantized=q) == 1.0
    assert window_energy("quantized", "token_diff_l2_mean", velocities=vel, quantized=q) == 2.0


@pytest.mark.parametrize("source", [EnergySource.PREQUANT, EnergySource.QUANTIZED])
def test_latent_source_without_latents_asks_for_a_checkpoint(source: EnergySource) -> None:
    vel = np.zeros((3, 5, 2))
    with pytest.raises(ConfigError, match=f"energy.source={source.value} needs --checkpoint"):
        window_energy(source, EnergyMode.L2_MEAN, velocities=vel)


def test_window_energy_unknown_source() -> None:
    with pytest.raises(ConfigError, match="expected one of velocity, prequant, quantized"):
        window_energy("flow", EnergyMode.L2_MEAN, velocities=np.zeros((1, 1, 2)))


def test_ema_by_hand_with_nan() -> None:
    out = ema([NAN, 2.0, 4.0, NAN, 8.0], alpha=0.5)
    np.testing.assert_allclose(out, [NAN, 2.0, 3.0, NAN, 5.5])


def test_causal_ma_by_hand_with_nan() -> None:
    out = causal_ma([1.0, 3.0, NAN, 5.0, 7.0], window=2)
    np.testing.assert_allclose(out, [1.0, 2.0, NAN, 4.0, 6.0])


def test_smooth_none_is_a_copy() -> None:
    x = np.array([1.0, NAN, 3.0])
    out = smooth(x, Smoothing.NONE)
    np.testing.assert_array_equal(out, x)
    out[0] = 9.0
    assert x[0] == 1.0


def test_smoothing_parameter_errors() -> None:
    with pytest.raises(ConfigError, match="0 < alpha <= 1, got 0.0"):
        ema([1.0], 0.0)
    with pytest.raises(ConfigError, match=">= 1, got 0"):
        causal_ma([1.0], 0)
    with pytest.raises(ConfigError, match="energy.smoothing"):
        smooth([1.0], "median")
    with pytest.raises(ValueError, match="1-D"):
        ema(np.ones((2, 2)), 0.5)


@settings(max_examples=80, deadline=None, derandomize=True)
@given(series, st.floats(0.01, 1.0), st.integers(1, 6))
def test_nan_windows_are_skipped_by_the_state(x: list[float], alpha: float, w: int) -> None:
    arr = np.array(x, dtype=np.float64)
    finite = ~np.isnan(arr)
    for method in Smoothing:
        full = smooth(arr, method, alpha, w)
        np.testing.assert_array_equal(np.isnan(full), ~finite)
        np.testing.assert_array_equal(full[finite], smooth(arr[finite], method, alpha, w))


@settings(max_examples=80, deadline=None, derandomize=True)
@given(series, st.floats(0.01, 1.0), st.integers(1, 6))
def test_smoothed_values_stay_within_the_range_seen(x: list[float], alpha: float, w: int) -> None:
    arr = np.array(x, dtype=np.float64)
    for method in (Smoothing.EMA, Smoothing.MA):
        out = smooth(arr, method, alpha, w)
        for t in np.flatnonzero(~np.isnan(arr)):
            seen = arr[: t + 1][~np.isnan(arr[: t + 1])]
            tol = 1e-9 * (1 + np.abs(seen).max())
            assert seen.min() - tol <= out[t] <= seen.max() + tol


def test_alpha_one_and_window_one_are_identity() -> None:
    x = np.array([3.0, NAN, -1.0, 7.5])
    np.testing.assert_array_equal(ema(x, 1.0), x)
    np.testing.assert_array_equal(causal_ma(x, 1), x)
