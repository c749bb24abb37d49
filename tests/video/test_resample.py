from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from laps.errors import ConfigError
from laps.video.resample import Resampler, select_samples


def _stream(times: np.ndarray, fps: float) -> np.ndarray:
    r = Resampler(fps)
    return np.array([i for i, t in enumerate(times) if r.update(float(t))], dtype=np.int64)


def _reference(times: np.ndarray, fps: float) -> list[int]:
    """The definition, literally: for each tick, the first frame at or after it."""
    rel = [float(t - times[0]) for t in times]
    picked: set[int] = set()
    k = 0
    while k / fps - 1e-6 <= rel[-1]:
        picked.add(next(i for i, t in enumerate(rel) if t >= k / fps - 1e-6))
        k += 1
    return sorted(picked)


def test_30_to_10_fps_picks_every_third_frame() -> None:
    times = np.arange(90) / 30
    np.testing.assert_array_equal(select_samples(times, 10), np.arange(0, 90, 3))


def test_25_to_10_fps_picks_first_frame_at_or_after_each_tick() -> None:
    times = np.arange(26) / 25
    np.testing.assert_array_equal(
        select_samples(times, 10), [0, 3, 5, 8, 10, 13, 15, 18, 20, 23, 25]
    )


def test_slower_source_emits_every_frame_once() -> None:
    times = np.arange(20) / 5
    np.testing.assert_array_equal(select_samples(times, 10), np.arange(20))
    np.testing.assert_array_equal(_stream(times, 10), np.arange(20))


def test_ticks_are_relative_to_the_first_frame() -> None:
    times = 1000.0 + np.arange(90) / 30
    np.testing.assert_array_equal(select_samples(times, 10), np.arange(0, 90, 3))


def test_gap_skips_ticks_without_duplicating() -> None:
    times = np.array([0.0, 0.1, 0.2, 0.9, 1.0, 1.05, 1.1])
    np.testing.assert_array_equal(select_samples(times, 10), [0, 1, 2, 3, 4, 6])


def test_empty_input() -> None:
    assert select_samples(np.zeros(0), 10).size == 0


@pytest.mark.parametrize("fps", [0.0, -5.0, float("nan"), float("inf")])
def test_bad_rate_raises_config_error(fps: float) -> None:
    with pytest.raises(ConfigError, match="target_fps"):
        select_samples(np.arange(3.0), fps)
    with pytest.raises(ConfigError, match="target_fps"):
        Resampler(fps)


def test_reset_starts_a_new_grid() -> None:
    r = Resampler(10)
    assert [r.update(t) for t in (0.0, 0.05, 0.1)] == [True, False, True]
    r.reset()
    assert r.update(5.0) and not r.update(5.05)


@settings(max_examples=300, deadline=None, database=None)
@given(
    gaps=st.lists(st.floats(min_value=1e-4, max_value=0.5), min_size=1, max_size=200),
    start=st.floats(min_value=-100, max_value=1e4),
    fps=st.sampled_from([1.0, 5.0, 7.5, 10.0, 12.0, 15.0, 24.0, 29.97, 30.0, 60.0]),
)
def test_streaming_equals_batch_on_random_vfr(gaps: list[float], start: float, fps: float) -> None:
    times = start + np.concatenate([[0.0], np.cumsum(gaps)])
    batch = select_samples(times, fps)
    np.testing.assert_array_equal(_stream(times, fps), batch)
    np.testing.assert_array_equal(batch, _reference(times, fps))
    assert batch[0] == 0
    assert np.all(np.diff(batch) > 0)
