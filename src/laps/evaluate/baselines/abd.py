"""ABD, action boundary detection by feature similarity, on (N, D) window features.

Du et al., "Fast and Unsupervised Action Boundary Detection for Action Segmentation",
CVPR 2022; written from the paper's description.

1. Smooth the features with a centred box of ``L = floor(alpha * N / K)`` windows (the
   paper's average filter; its kernel and NMS window both scale with the mean action length
   ``N / K``).
2. Cosine similarity of adjacent smoothed features, ``s_t = cos(g_t, g_{t+1})``.
3. Non-maximum suppression of minima with the same window: ``t + 1`` is a candidate cut
   when ``s_t`` is the smallest value within ``max(1, L // 2)`` windows on either side (the first
   of equal minima; a flat stretch, where nothing changes, gives none).
4. Bottom-up refinement: while more than K segments remain, merge the ADJACENT pair whose
   mean features (of the unsmoothed input) have the highest cosine similarity; the merged
   mean is the exact mean of the union. (The LAPS re-implementation merged any pair,
   adjacent or not, so its K "segments" overlapped in time.)

``alpha``: the paper's sensitivity study (its Table 6, as quoted in the LAPS notes) found
0.4 best on Breakfast (F1 52.3); the LAPS authors ran 0.5. We default to 0.4.

Localisation: the box filter turns a step in the features into a ramp L windows wide, and
the adjacent-similarity minimum can lie anywhere on it (where the ramp's angular speed
peaks, which depends on the feature norms), so a cut is placed within +- L // 2 windows of
the change; the refinement keeps the positions.

Documented behaviour beyond the paper: when step 3 yields fewer than K - 1 cuts (e.g.
constant features), the longest segment is split at its middle until there are K; so the
result always has exactly K segments for ``1 <= K <= N``.
"""

from __future__ import annotations

import math

import numpy as np
from numpy.typing import ArrayLike, NDArray

from laps.errors import ConfigError
from laps.evaluate.baselines.matrix import adjacent_cosine, check_features, cosine_matrix


def abd_window(n: int, k: int, alpha: float) -> int:
    """L = max(1, floor(alpha * N / K)), the smoothing and NMS window, in windows."""
    if not (math.isfinite(alpha) and alpha > 0):
        raise ConfigError(f"abd.alpha: expected a number > 0, got {alpha!r}; e.g. 0.4")
    return max(1, math.floor(alpha * n / k))


def box_smooth(x: NDArray[np.float64], length: int) -> NDArray[np.float64]:
    """Centred moving mean over ``[t - L // 2, t + L // 2]``, truncated at both ends."""
    n, h = x.shape[0], length // 2
    csum = np.concatenate([np.zeros((1, x.shape[1])), np.cumsum(x, axis=0)])
    lo = np.maximum(np.arange(n) - h, 0)
    hi = np.minimum(np.arange(n) + h + 1, n)
    return (csum[hi] - csum[lo]) / (hi - lo)[:, None]


def nms_minima(sim: NDArray[np.float64], length: int) -> NDArray[np.int64]:
    """Cuts ``t + 1`` where ``sim[t]`` is the first minimum of its ``+- L // 2`` window.

    The half-width is at least 1, so a candidate is always a local minimum; with L = 1 (K
    close to N) a zero half-width would make every window its own flat neighbourhood.
    """
    h, n = max(1, length // 2), sim.size
    cuts = []
    for t in range(n):
        left, right = sim[max(0, t - h) : t], sim[t + 1 : t + h + 1]
        if left.size and sim[t] >= left.min():
            continue
        if right.size and sim[t] > right.min():
            continue
        hood = sim[max(0, t - h) : t + h + 1]
        if sim[t] < hood.max():  # a flat neighbourhood has no change point
            cuts.append(t + 1)
    return np.asarray(cuts, dtype=np.int64)


def split_to_k(cuts: NDArray[np.int64], n: int, k: int) -> NDArray[np.int64]:
    """Add cuts at the middle of the longest segment until there are K segments."""
    bounds = [0, *sorted(int(c) for c in cuts), n]
    while len(bounds) - 1 < k:
        lengths = np.diff(bounds)
        i = int(np.argmax(lengths))  # k <= n: the longest has >= 2 windows
        bounds.insert(i + 1, bounds[i] + int(lengths[i]) // 2)
    return np.asarray(bounds[1:-1], dtype=np.int64)


def merge_adjacent(x: NDArray[np.float64], cuts: NDArray[np.int64], k: int) -> NDArray[np.int64]:
    """Merge the most similar adjacent segments (cosine of means) until K remain."""
    bounds = [0, *(int(c) for c in cuts), x.shape[0]]
    sums = [x[a:b].sum(axis=0) for a, b in zip(bounds[:-1], bounds[1:], strict=True)]
    sims = list(adjacent_cosine(np.asarray(sums)))  # cosine ignores the 1/count of a mean
    while len(sums) > k:
        i = int(np.argmax(sims))
        sums[i] = sums[i] + sums.pop(i + 1)
        del bounds[i + 1], sims[i]
        if i > 0:
            sims[i - 1] = _cos(sums[i - 1], sums[i])
        if i < len(sums) - 1:
            sims[i] = _cos(sums[i], sums[i + 1])
    return np.asarray(bounds[1:-1], dtype=np.int64)


def _cos(a: NDArray[np.float64], b: NDArray[np.float64]) -> float:
    return float(cosine_matrix(a[None, :], b[None, :])[0, 0])


def abd_boundaries(x: ArrayLike, k: int, alpha: float = 0.4) -> NDArray[np.int64]:
    """ABD's K - 1 cuts on window features: segment ``j`` is windows ``[c_{j-1}, c_j)``.

    Args:
        x: (N, D) finite features, one row per window, in time order.
        k: segments wanted, 1 <= K <= N.
        alpha: window scale, see the module docstring.

    Returns:
        (K - 1,) sorted window indices in [1, N - 1] where a new segment starts.

    Raises:
        ConfigError: bad shape, non-finite rows, K out of range or alpha <= 0.
    """
    a = check_features(x, k, "abd")
    length = abd_window(a.shape[0], k, alpha)
    sim = adjacent_cosine(box_smooth(a, length))
    cuts = split_to_k(nms_minima(sim, length), a.shape[0], k)
    return merge_adjacent(a, cuts, k)
