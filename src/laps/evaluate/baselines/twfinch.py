"""TW-FINCH, temporally weighted first-neighbour clustering, on (N, D) window features.

Sarfraz et al., "Temporally-Weighted Hierarchical Clustering for Unsupervised Action
Segmentation", CVPR 2021; written from the paper's description.

Every item (a window, later a cluster) has a feature and a time: window ``i`` is at
``t_i = i / N`` and a cluster at the mean time of its windows. Its *first neighbour* is the
other item with the smallest temporally weighted distance

    W(i, j) = d(x_i, x_j) * |t_i - t_j|,    d = 1 - cosine similarity,

so an item far away in time must be much more similar to be chosen. The first partition
joins ``i`` and ``j`` when ``j`` is ``i``'s first neighbour, ``i`` is ``j``'s, or both share
the same first neighbour: the connected components of the graph with the edges
``i -- first_neighbour(i)`` (two items with the same first neighbour meet through it).
The rule is applied again to the cluster means, level after level, as in FINCH. The
partition with the fewest clusters that still has >= K is then merged one pair at a time
(the item with the smallest first-neighbour distance with its first neighbour, means
recomputed after each merge) until exactly K clusters remain.

Our additions: ``d`` gets ``TIE_EPS`` added, so that windows with identical features
(d = 0 with all of them) choose the temporally nearest one instead of an arbitrary index;
if even the first partition has fewer than K clusters, the single-pair merging starts from
one cluster per window. Clusters are numbered in order of first appearance. A cluster may
come back later in the video, so K clusters can make more than K segments.
Cost: O(N^2 D) per level (rows in chunks of ``CHUNK``), O(M^2 D) per final merge.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components

from laps.evaluate.baselines.matrix import check_features, cosine_matrix

TIE_EPS = 1e-9
CHUNK = 1024


def first_neighbours(
    feats: NDArray[np.float64], times: NDArray[np.float64]
) -> tuple[NDArray[np.int64], NDArray[np.float64]]:
    """Each item's first neighbour under ``W`` and that distance (items >= 2)."""
    n = feats.shape[0]
    nn = np.zeros(n, dtype=np.int64)
    dist = np.zeros(n, dtype=np.float64)
    for a in range(0, n, CHUNK):
        b = min(n, a + CHUNK)
        d = np.maximum(1.0 - cosine_matrix(feats[a:b], feats), 0.0) + TIE_EPS
        w = d * np.abs(times[a:b, None] - times[None, :])
        w[np.arange(b - a), np.arange(a, b)] = np.inf
        nn[a:b] = np.argmin(w, axis=1)
        dist[a:b] = w[np.arange(b - a), nn[a:b]]
    return nn, dist


def first_neighbour_partition(nn: NDArray[np.int64]) -> NDArray[np.int64]:
    """Connected components of ``i -- nn[i]``, numbered by first appearance."""
    n = nn.size
    graph = coo_matrix((np.ones(n), (np.arange(n), nn)), shape=(n, n))
    _, comp = connected_components(graph, directed=True, connection="weak")
    return first_appearance(comp)


def first_appearance(labels: NDArray[np.int64]) -> NDArray[np.int64]:
    """Relabel to 0, 1, 2, ... in order of first occurrence."""
    _, first, inverse = np.unique(labels, return_index=True, return_inverse=True)
    rank = np.argsort(np.argsort(first))
    return rank[inverse].astype(np.int64)


def cluster_means(
    x: NDArray[np.float64], t: NDArray[np.float64], labels: NDArray[np.int64]
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Mean feature and mean time of every cluster ``0 .. labels.max()``."""
    m = int(labels.max()) + 1
    counts = np.bincount(labels, minlength=m).astype(np.float64)
    sums = np.zeros((m, x.shape[1]))
    np.add.at(sums, labels, x)
    return sums / counts[:, None], np.bincount(labels, weights=t, minlength=m) / counts


def finch_levels(x: NDArray[np.float64], t: NDArray[np.float64], k: int) -> NDArray[np.int64]:
    """The coarsest first-neighbour partition with at least K clusters (or singletons)."""
    labels = np.arange(x.shape[0], dtype=np.int64)
    feats, times = x, t
    while feats.shape[0] > k:
        level = first_neighbour_partition(first_neighbours(feats, times)[0])
        m = int(level.max()) + 1
        if m < k:
            break
        labels = level[labels]
        if m == feats.shape[0]:  # cannot happen (each item joins its neighbour); no loop
            break
        feats, times = cluster_means(x, t, labels)
    return labels


def merge_to_k(
    x: NDArray[np.float64], t: NDArray[np.float64], labels: NDArray[np.int64], k: int
) -> NDArray[np.int64]:
    """Merge the closest first-neighbour pair, one at a time, until K clusters remain."""
    labels = labels.copy()
    while int(labels.max()) + 1 > k:
        feats, times = cluster_means(x, t, labels)
        nn, dist = first_neighbours(feats, times)
        i = int(np.argmin(dist))
        keep, gone = sorted((i, int(nn[i])))
        labels[labels == gone] = keep
        labels[labels > gone] -= 1
    return labels


def twfinch_labels(x: ArrayLike, k: int) -> NDArray[np.int64]:
    """TW-FINCH cluster of every window.

    Args:
        x: (N, D) finite features, one row per window, in time order.
        k: clusters wanted, 1 <= K <= N.

    Returns:
        (N,) int64 cluster ids in 0 .. K-1, numbered by first appearance.

    Raises:
        ConfigError: bad shape, non-finite rows or K out of range.
    """
    a = check_features(x, k, "twfinch")
    n = a.shape[0]
    if k == n:
        return np.arange(n, dtype=np.int64)
    t = np.arange(n, dtype=np.float64) / n
    return first_appearance(merge_to_k(a, t, finch_levels(a, t, k), k))
