"""Cosine k-means (reference 6.3): standardise, L2-normalise rows, k-means; K by silhouette."""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
from numpy.typing import NDArray
from sklearn.cluster import KMeans
from sklearn.metrics import calinski_harabasz_score, davies_bouldin_score, silhouette_score
from sklearn.preprocessing import StandardScaler, normalize

from laps.errors import LapsError

N_INIT = 10


@dataclass(frozen=True)
class Clustering:
    """One k-means fit on the normalised embeddings.

    Attributes:
        k: number of clusters.
        labels: ``(n,)`` cluster of each row.
        centres: ``(k, d)`` L2-normalised cluster centres.
        metrics: silhouette (cosine), Calinski-Harabasz, Davies-Bouldin (NaN when undefined).
    """

    k: int
    labels: NDArray[np.int64]
    centres: NDArray[np.float64]
    metrics: dict[str, float] = field(default_factory=dict)


def prepare(x: NDArray[np.floating]) -> NDArray[np.float64]:
    """Standardise each dimension, then L2-normalise each row (cosine geometry)."""
    scaled = StandardScaler().fit_transform(np.asarray(x, dtype=np.float64))
    return normalize(scaled)


def cluster_metrics(x: NDArray[np.float64], labels: NDArray[np.int64]) -> dict[str, float]:
    """Silhouette (cosine), Calinski-Harabasz and Davies-Bouldin; NaN when undefined."""
    n_labels = len(np.unique(labels))
    if not 2 <= n_labels <= len(x) - 1:
        return {"silhouette": math.nan, "calinski_harabasz": math.nan, "davies_bouldin": math.nan}
    return {
        "silhouette": float(silhouette_score(x, labels, metric="cosine")),
        "calinski_harabasz": float(calinski_harabasz_score(x, labels)),
        "davies_bouldin": float(davies_bouldin_score(x, labels)),
    }


def check_k(k: int, n: int) -> None:
    """Raise :class:`LapsError` unless 2 <= k <= n."""
    if k < 2:
        raise LapsError(f"--k: expected at least 2 clusters, got {k}; pass --k 2 or more")
    if n < k:
        raise LapsError(
            f"expected at least K={k} segments, got {n}; pass a smaller --k or more runs"
        )


def fit_kmeans(x: NDArray[np.float64], k: int, seed: int) -> Clustering:
    """k-means on already-normalised rows ``x`` (see :func:`prepare`)."""
    check_k(k, len(x))
    km = KMeans(n_clusters=k, n_init=N_INIT, random_state=seed).fit(x)
    labels = km.labels_.astype(np.int64)
    centres = normalize(km.cluster_centers_)
    return Clustering(k, labels, centres, cluster_metrics(x, labels))


def select_k(
    x: NDArray[np.float64], k_range: tuple[int, int], seed: int
) -> tuple[Clustering, dict[int, float]]:
    """The fit with the highest silhouette over ``k_range`` (inclusive, capped at n - 1).

    Returns:
        The best clustering and the silhouette of every K tried.

    Raises:
        LapsError: when there are too few segments for the smallest K.
    """
    lo, hi = k_range
    hi = min(hi, len(x) - 1)
    if hi < lo:
        raise LapsError(
            f"expected more than {lo} segments to choose K in {lo}..{k_range[1]}, got {len(x)}; "
            "pass more runs or a smaller --k-range"
        )
    fits = [fit_kmeans(x, k, seed) for k in range(lo, hi + 1)]
    scores = {f.k: f.metrics["silhouette"] for f in fits}
    best = max(fits, key=lambda f: -math.inf if math.isnan(s := scores[f.k]) else s)
    return best, scores


def representatives(
    x: NDArray[np.float64], fit: Clustering, top: int = 3
) -> list[list[tuple[int, float]]]:
    """Per cluster, the ``top`` rows closest to its centre: (row, cosine distance)."""
    dist = 1.0 - np.einsum("nd,nd->n", x, fit.centres[fit.labels])
    out = []
    for c in range(fit.k):
        rows = np.flatnonzero(fit.labels == c)
        order = rows[np.argsort(dist[rows], kind="stable")[:top]]
        out.append([(int(r), float(dist[r])) for r in order])
    return out
