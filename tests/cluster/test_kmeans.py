import numpy as np
import pytest
from sklearn.metrics import adjusted_rand_score

from laps.cluster.kmeans import fit_kmeans, prepare, representatives, select_k
from laps.errors import LapsError


def planted(k: int, per: int = 12, dim: int = 16, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    centres = rng.standard_normal((k, dim)) * 10
    truth = np.repeat(np.arange(k), per)
    return centres[truth] + rng.standard_normal((k * per, dim)) * 0.1, truth


def test_kmeans_recovers_planted_clusters() -> None:
    x, truth = planted(4)
    fit = fit_kmeans(prepare(x), 4, seed=0)
    assert adjusted_rand_score(truth, fit.labels) == 1.0
    assert fit.metrics["silhouette"] > 0.9
    assert fit.metrics["davies_bouldin"] < 0.2
    assert np.allclose(np.linalg.norm(fit.centres, axis=1), 1.0)


def test_kmeans_is_deterministic_per_seed() -> None:
    x, _ = planted(3, seed=1)
    a, b = fit_kmeans(prepare(x), 5, seed=3), fit_kmeans(prepare(x), 5, seed=3)
    assert np.array_equal(a.labels, b.labels)


@pytest.mark.parametrize("k", [3, 5])
def test_select_k_finds_planted_k(k: int) -> None:
    x, truth = planted(k, seed=k)
    fit, scores = select_k(prepare(x), (2, 8), seed=0)
    assert fit.k == k
    assert sorted(scores) == list(range(2, 9))
    assert adjusted_rand_score(truth, fit.labels) == 1.0


def test_select_k_caps_range_at_n_minus_one() -> None:
    x, _ = planted(2, per=3)
    _, scores = select_k(prepare(x), (2, 20), seed=0)
    assert max(scores) == 5


def test_too_few_segments_for_k() -> None:
    x, _ = planted(2, per=2)
    with pytest.raises(LapsError, match="expected at least K=6 segments, got 4"):
        fit_kmeans(prepare(x), 6, seed=0)
    with pytest.raises(LapsError, match="expected more than 4 segments"):
        select_k(prepare(x), (4, 6), seed=0)


def test_representatives_are_closest_to_centre() -> None:
    x, _ = planted(3)
    xn = prepare(x)
    fit = fit_kmeans(xn, 3, seed=0)
    reps = representatives(xn, fit, top=3)
    assert [len(r) for r in reps] == [3, 3, 3]
    for c, rows in enumerate(reps):
        dists = [d for _, d in rows]
        assert dists == sorted(dists)
        assert all(fit.labels[r] == c for r, _ in rows)
        others = 1 - xn[fit.labels == c] @ fit.centres[c]
        assert dists[0] == pytest.approx(others.min())
