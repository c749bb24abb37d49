"""Streaming smoother equals the offline smoothing, NaNs included."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from laps.energy.config import EnergyConfig, Smoothing
from laps.energy.functional import smooth
from laps.energy.stream import CausalSmoother
from laps.errors import ConfigError

series = st.lists(st.one_of(st.floats(-1e6, 1e6, allow_nan=False), st.just(math.nan)), max_size=80)


@settings(max_examples=150, deadline=None, derandomize=True)
@given(series, st.sampled_from(list(Smoothing)), st.floats(0.01, 1.0), st.integers(1, 8))
def test_stream_equals_batch(x: list[float], method: Smoothing, alpha: float, w: int) -> None:
    smoother = CausalSmoother(method, alpha, w)
    streamed = np.array([smoother.update(v) for v in x], dtype=np.float64)
    np.testing.assert_array_equal(streamed, smooth(np.array(x, dtype=np.float64), method, alpha, w))


@pytest.mark.parametrize("method", list(Smoothing))
def test_reset_forgets_history(method: Smoothing) -> None:
    smoother = CausalSmoother(method, 0.3, 3)
    for v in (10.0, 20.0, 30.0):
        smoother.update(v)
    smoother.reset()
    assert smoother.update(1.0) == 1.0


def test_nan_returns_nan_and_keeps_state() -> None:
    smoother = CausalSmoother(Smoothing.EMA, 0.5)
    assert smoother.update(2.0) == 2.0
    assert math.isnan(smoother.update(math.nan))
    assert smoother.update(4.0) == 3.0


def test_from_config_and_validation() -> None:
    cfg = EnergyConfig(smoothing=Smoothing.MA, ma_window=2)
    smoother = CausalSmoother.from_config(cfg)
    assert [smoother.update(v) for v in (1.0, 3.0, 5.0)] == [1.0, 2.0, 4.0]
    with pytest.raises(ConfigError, match="alpha"):
        CausalSmoother(Smoothing.EMA, alpha=1.5)
    with pytest.raises(ConfigError, match="ma_window"):
        CausalSmoother(Smoothing.MA, window=0)
