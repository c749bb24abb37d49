"""TW-FINCH on synthetic features: planted structure, exactly K clusters, clear errors."""

import numpy as np
import pytest
from planted import planted

from laps.errors import ConfigError
from laps.evaluate.baselines import twfinch_labels
from laps.evaluate.baselines.twfinch import first_neighbour_partition

CUTS = [37, 80, 121, 160]


def _cuts(labels: np.ndarray) -> list[int]:
    return (np.flatnonzero(np.diff(labels)) + 1).tolist()


def test_recovers_planted_clusters():
    labels = twfinch_labels(planted(CUTS, 200), 5)
    assert _cuts(labels) == CUTS
    assert labels[[0, 40, 90, 130, 199]].tolist() == [0, 1, 2, 3, 4]


@pytest.mark.parametrize("seed", [1, 2])
def test_exactly_k_clusters_and_deterministic(seed):
    x = planted(CUTS, 200, noise=0.3, seed=seed)
    for k in (1, 2, 5, 12, 200):
        labels = twfinch_labels(x, k)
        assert sorted(set(labels.tolist())) == list(range(k))
        assert np.array_equal(labels, twfinch_labels(x.copy(), k))


def test_first_neighbour_rule_joins_shared_neighbours():
    # 0 -> 1, 1 -> 0 (mutual), 2 -> 1 (shares 0's neighbour), 3 -> 4, 4 -> 3
    assert first_neighbour_partition(np.array([1, 0, 1, 4, 3])).tolist() == [0, 0, 0, 1, 1]


def test_constant_features_still_give_k_clusters():
    labels = twfinch_labels(np.ones((60, 3)), 4)
    assert sorted(set(labels.tolist())) == [0, 1, 2, 3]


@pytest.mark.parametrize("k", [0, 11])
def test_k_out_of_range_raises(k):
    with pytest.raises(ConfigError, match="expected 1 <= K <= N"):
        twfinch_labels(np.ones((10, 3)), k)


def test_nan_rows_raise():
    x = planted(CUTS, 200)
    x[3] = np.inf
    with pytest.raises(ConfigError, match="NaN/inf"):
        twfinch_labels(x, 5)
