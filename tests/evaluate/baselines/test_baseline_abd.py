"""ABD on synthetic features: planted cuts found, exactly K segments, clear errors."""

import numpy as np
import pytest
from planted import planted

from laps.errors import ConfigError
from laps.evaluate.baselines import abd_boundaries
from laps.evaluate.baselines.abd import abd_window, box_smooth, nms_minima, split_to_k

CUTS = [37, 80, 121, 160]


def _near(found: np.ndarray, planted_cuts: list[int], tol: int) -> bool:
    return found.size == len(planted_cuts) and bool(np.all(np.abs(found - planted_cuts) <= tol))


@pytest.mark.parametrize("alpha", [0.1, 0.4])
def test_recovers_planted_boundaries_within_half_a_smoothing_window(alpha):
    # The box filter turns each step into a ramp L windows wide; the adjacent-similarity
    # minimum lies somewhere on that ramp, so ABD localises a cut to +- L // 2 windows.
    x = planted(CUTS, 200)
    half = abd_window(200, 5, alpha) // 2
    cuts = abd_boundaries(x, 5, alpha)
    assert _near(cuts, CUTS, half)
    assert cuts.tolist() == abd_boundaries(x.copy(), 5, alpha).tolist()


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_exactly_k_segments_under_heavy_noise(seed):
    x = planted(CUTS, 200, noise=0.3, seed=seed)
    for k in (1, 3, 5, 9):
        cuts = abd_boundaries(x, k)
        assert cuts.size == k - 1 and np.all(np.diff(cuts) > 0)
        assert cuts.size == 0 or (cuts.min() >= 1 and cuts.max() <= 199)


def test_merges_only_adjacent_segments():
    # A B A: the two A blocks are identical but not neighbours; K = 3 keeps both cuts.
    rng = np.random.default_rng(5)
    a, b = rng.uniform(0, 1, 16), rng.uniform(0, 1, 16)
    x = planted([50, 100], 150, means=np.stack([a, b, a]))
    assert _near(abd_boundaries(x, 3), [50, 100], abd_window(150, 3, 0.4) // 2)


def test_constant_features_split_evenly():
    assert abd_boundaries(np.ones((100, 4)), 4).tolist() == [25, 50, 75]


def test_smoothing_and_nms_pieces():
    x = np.arange(5, dtype=float)[:, None]
    assert box_smooth(x, 3)[:, 0].tolist() == [0.5, 1.0, 2.0, 3.0, 3.5]
    sim = np.array([1.0, 0.9, 0.5, 0.9, 1.0, 1.0, 1.0, 0.2, 1.0])
    assert nms_minima(sim, 4).tolist() == [3, 8]
    assert nms_minima(np.ones(10), 4).size == 0
    assert nms_minima(np.array([1.0, 0.5, 1.0, 0.4, 1.0]), 1).tolist() == [2, 4]  # L = 1
    assert split_to_k(np.array([], dtype=np.int64), 10, 3).tolist() == [
        2,
        5,
    ]  # the first of equal longest


@pytest.mark.parametrize("k", [0, -1, 11])
def test_k_out_of_range_raises(k):
    with pytest.raises(ConfigError, match="expected 1 <= K <= N"):
        abd_boundaries(np.ones((10, 3)), k)


def test_nan_rows_and_bad_shapes_raise():
    x = planted(CUTS, 200)
    x[7, 2] = np.nan
    with pytest.raises(ConfigError, match="NaN/inf in 1 rows"):
        abd_boundaries(x, 5)
    with pytest.raises(ConfigError, match=r"shape \(N, D\)"):
        abd_boundaries(np.ones(10), 2)
    with pytest.raises(ConfigError, match="alpha"):
        abd_boundaries(np.ones((10, 2)), 2, alpha=0.0)
