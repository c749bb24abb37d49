"""Per-pair quantities to per-window ones, on the pipeline's windows.

Window ``w`` covers samples ``[w * stride, w * stride + T)`` (as
:class:`laps.window.builder.WindowBuilder`), hence the ``T - 1`` pairs
``(k, k + 1)`` for ``k`` in ``[w * stride, w * stride + T - 1)``. Trailing samples that do
not fill a window belong to none, as in the pipeline.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from laps.evaluate.baselines.config import HofNorm

_TINY = 1e-12  # a histogram with less mass than this is a window without motion


def window_starts(n_samples: int, length: int, stride: int) -> NDArray[np.int64]:
    """First sample of every complete window."""
    if n_samples < length:
        return np.zeros(0, dtype=np.int64)
    return np.arange((n_samples - length) // stride + 1, dtype=np.int64) * stride


def window_pair_mean(
    per_pair: NDArray[np.floating], starts: NDArray[np.int64], length: int
) -> NDArray[np.float64]:
    """Mean of a per-pair quantity over each window's ``length - 1`` pairs.

    Args:
        per_pair: (S - 1, ...) one row per sample pair.
        starts: (N,) window start samples.
        length: T, samples per window.

    Returns:
        (N, ...) float64.
    """
    x = np.asarray(per_pair, dtype=np.float64)
    csum = np.concatenate([np.zeros((1, *x.shape[1:])), np.cumsum(x, axis=0)])
    return (csum[starts + length - 1] - csum[starts]) / (length - 1)


def normalise_rows(x: NDArray[np.float64], norm: HofNorm | str) -> NDArray[np.float64]:
    """Rows scaled to unit L1 or L2 norm; rows without mass stay zero."""
    norm = HofNorm(norm)
    if norm is HofNorm.NONE:
        return x.copy()
    ord_ = 1 if norm is HofNorm.L1 else 2
    n = np.linalg.norm(x, ord=ord_, axis=1, keepdims=True)
    return np.where(n > _TINY, x / np.maximum(n, _TINY), 0.0)


def hof_features(
    window_hof: NDArray[np.float64], norm: HofNorm | str, magnitude_weight: float
) -> NDArray[np.float64]:
    """The per-window descriptor: normalised HOF, then ``magnitude_weight * mean |flow|``.

    The magnitude comes from the unnormalised histogram (its row sum is the window's flow
    energy), so it survives the normalisation that makes the HOF scale-free.
    """
    energy = window_hof.sum(axis=1, keepdims=True)
    return np.hstack([normalise_rows(window_hof, norm), magnitude_weight * energy])


def boundary_samples(
    boundary_windows: NDArray[np.int64], length: int, stride: int
) -> NDArray[np.int64]:
    """The sample where a cut between windows ``b - 1`` and ``b`` is placed.

    Midway between the two windows' centres: ``b * stride + (T - stride) // 2``. A change of
    content at that sample is where windows ``b - 1`` and ``b`` differ most, the change a
    feature-based method detects there.
    """
    return np.asarray(boundary_windows, dtype=np.int64) * stride + (length - stride) // 2
