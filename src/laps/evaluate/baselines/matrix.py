"""Feature matrices for the clustering baselines: input checks and cosine similarity.

Convention for rows without mass (a window without motion can have an all-zero HOF): two
zero rows are identical (similarity 1), a zero row and any other row are unrelated
(similarity 0). Without it, stretches of stillness would look like a boundary at every
window.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

from laps.errors import ConfigError

_TINY = 1e-12


def check_features(x: ArrayLike, k: int, method: str) -> NDArray[np.float64]:
    """``x`` as a finite (N, D) float64 matrix with ``1 <= k <= N``.

    Raises:
        ConfigError: wrong shape, NaN or infinite entries, or K out of range.
    """
    a = np.asarray(x, dtype=np.float64)
    if a.ndim != 2 or a.shape[0] == 0 or a.shape[1] == 0:
        raise ConfigError(
            f"{method}: expected features of shape (N, D) with N, D >= 1, got {a.shape}; "
            "pass one feature row per window"
        )
    bad = np.flatnonzero(~np.isfinite(a).all(axis=1))
    if bad.size:
        raise ConfigError(
            f"{method}: expected finite features, got NaN/inf in {bad.size} rows (first "
            f"{bad[:5].tolist()}); drop or impute those windows first"
        )
    if isinstance(k, bool) or not isinstance(k, int | np.integer) or not 1 <= k <= a.shape[0]:
        raise ConfigError(
            f"{method}: expected 1 <= K <= N = {a.shape[0]} windows, got K = {k!r}; lower K "
            "(or segments_per_minute) or use a longer video / smaller window.stride"
        )
    return a


def unit_rows(x: NDArray[np.float64]) -> tuple[NDArray[np.float64], NDArray[np.bool_]]:
    """Rows scaled to unit L2 norm (zero rows stay zero) and the mask of zero rows."""
    n = np.linalg.norm(x, axis=1, keepdims=True)
    zero = n[:, 0] <= _TINY
    return np.where(zero[:, None], 0.0, x / np.maximum(n, _TINY)), zero


def cosine_matrix(a: NDArray[np.float64], b: NDArray[np.float64]) -> NDArray[np.float64]:
    """(len(a), len(b)) cosine similarities under the zero-row convention."""
    ua, za = unit_rows(a)
    ub, zb = unit_rows(b)
    sim = ua @ ub.T
    sim[za[:, None] & zb[None, :]] = 1.0
    return np.clip(sim, -1.0, 1.0)


def adjacent_cosine(x: NDArray[np.float64]) -> NDArray[np.float64]:
    """(N - 1,) cosine similarity of each row with the next, under the zero-row convention."""
    u, zero = unit_rows(x)
    sim = np.einsum("ij,ij->i", u[:-1], u[1:])
    sim[zero[:-1] & zero[1:]] = 1.0
    return np.clip(sim, -1.0, 1.0)
