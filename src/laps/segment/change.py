"""Boundaries where the latent action sequence changes (the ``change`` segmenter).

A window of ``T`` samples gives ``T - 1`` tokens, one per frame step (velocities of step
``s`` move sample ``s`` to ``s + 1``). Windows overlap, so every step is seen by several
windows; its feature is the mean of their tokens. The change score at sample ``s``
compares the mean feature of the ``h`` steps before ``s`` with that of the ``h`` steps
from ``s`` on: ``1 - cosine``, a scale-free number in [0, 2]. Boundaries are local maxima
of that score of at least a threshold, at least ``r`` steps apart, the highest kept first
(:mod:`laps.segment.peaks`).

Why not the hysteresis state machine: a window (1.6 s) is longer than many primitives, so
an energy per window cannot localise a change inside it; the per-step sequence can, at the
sampling resolution (0.1 s). See docs/ACCURACY.md for the measurements behind this.

Everything here is causal with a bounded delay, so :mod:`laps.segment.change_stream`
can run it on a live stream; the batch functions below feed the same objects.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

from laps.errors import ConfigError
from laps.segment.peaks import PeakPicker, is_peak, pick_peaks

__all__ = ["ChangeParams", "PeakPicker", "change_scores", "cosine_change", "is_peak"]


@dataclass(frozen=True, slots=True)
class ChangeParams:
    """Parameters of the change-point segmenter, in steps (sampled-frame intervals).

    Attributes:
        threshold: minimum change score of a boundary (>= 0).
        half_width: ``h``, steps averaged on each side of a candidate boundary.
        min_distance: ``r``, minimum steps between boundaries.
    """

    threshold: float
    half_width: int = 4
    min_distance: int = 9

    def __post_init__(self) -> None:
        if not (np.isfinite(self.threshold) and self.threshold >= 0):
            raise ConfigError(
                f"change threshold: expected a finite number >= 0, got {self.threshold}; "
                "set segment.threshold or recalibrate"
            )
        for name, value in (("half_width", self.half_width), ("min_distance", self.min_distance)):
            if isinstance(value, bool) or not isinstance(value, int) or value < 1:
                raise ConfigError(
                    f"segment.change_{name}: expected an integer >= 1, got {value!r}; fix it"
                )


def cosine_change(before: NDArray[np.float64], after: NDArray[np.float64]) -> float:
    """``1 - cos(before, after)``; 0 when either side has no direction (no motion)."""
    na, nb = float(np.linalg.norm(before)), float(np.linalg.norm(after))
    if na <= 1e-12 or nb <= 1e-12:
        return 0.0
    return float(1.0 - np.dot(before, after) / (na * nb))


def change_scores(steps: ArrayLike, half_width: int) -> NDArray[np.float64]:
    """(S,) change score at every sample ``s`` of a (S, D) step-feature sequence.

    Samples closer than ``half_width`` to either end score 0 (not enough context).
    """
    x = np.asarray(steps, dtype=np.float64)
    if x.ndim != 2:
        raise ValueError(f"change_scores: expected (steps, features), got shape {x.shape}")
    n, h = len(x), half_width
    csum = np.vstack([np.zeros((1, x.shape[1])), np.cumsum(x, axis=0)])
    out = np.zeros(n, dtype=np.float64)
    for s in range(h, n - h + 1):
        out[s] = cosine_change(csum[s] - csum[s - h], csum[s + h] - csum[s]) if s < n else 0.0
    return out


def pick_boundaries(scores: ArrayLike, params: ChangeParams) -> list[int]:
    """Batch peak picking over a whole score sequence (same result as streaming it)."""
    return pick_peaks(scores, params.threshold, params.min_distance)
