"""Boundaries where the latent action sequence changes (the ``change`` segmenter).

A window of ``T`` samples gives ``T - 1`` tokens, one per frame step (velocities of step
``s`` move sample ``s`` to ``s + 1``). Windows overlap, so every step is seen by several
windows; its feature is the mean of their tokens. The change score at sample ``s``
compares the mean feature of the ``h`` steps before ``s`` with that of the ``h`` steps
from ``s`` on: ``1 - cosine``, a scale-free number in [0, 2]. Boundaries are local maxima
of that score whose prominence (height above the higher of the lowest scores within
``r`` steps on either side) reaches a threshold, thinned so that two boundaries are at
least ``r`` steps apart (of two closer peaks the higher stays; ties keep the earlier).

Why not the hysteresis state machine: a window (1.6 s) is longer than many primitives, so
an energy per window cannot localise a change inside it; the per-step sequence can, at the
sampling resolution (0.1 s). See docs/ACCURACY.md for the measurements behind this.

Everything here is causal with a bounded delay, so :mod:`laps.segment.change_stream`
can run it on a live stream; the batch functions below feed the same objects.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

from laps.errors import ConfigError


@dataclass(frozen=True, slots=True)
class ChangeParams:
    """Parameters of the change-point segmenter, in steps (sampled-frame intervals).

    Attributes:
        threshold: minimum prominence of a boundary's change score (>= 0).
        half_width: ``h``, steps averaged on each side of a candidate boundary.
        min_distance: ``r``, minimum steps between boundaries (and prominence radius).
    """

    threshold: float
    half_width: int = 4
    min_distance: int = 7

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


def prominence(scores: NDArray[np.float64], s: int, radius: int) -> float:
    """Height of ``scores[s]`` above the higher of the minima within ``radius`` each side."""
    left = scores[max(0, s - radius) : s + 1].min()
    right = scores[s : s + radius + 1].min()
    return float(scores[s] - max(left, right))


def is_peak(scores: NDArray[np.float64], s: int) -> bool:
    """A local maximum: above the previous value, not below the next (plateaus: first)."""
    return 0 < s < len(scores) - 1 and scores[s] > scores[s - 1] and scores[s] >= scores[s + 1]


class PeakPicker:
    """Sequential peak picking with a minimum distance; feed scores in order, then flush.

    A peak is decided once ``min_distance`` more scores have arrived, so the delay is
    bounded; the batch result is the same as feeding everything at once.
    """

    def __init__(self, params: ChangeParams) -> None:
        self.p = params
        self._scores: list[float] = []
        self._offset = 0  # index of self._scores[0]
        self._checked = 0  # next index to test as a candidate
        self._pending: tuple[int, float] | None = None

    def update(self, values: Iterable[float]) -> list[int]:
        """Append scores; return boundaries that are now final."""
        self._scores.extend(float(v) for v in values)
        out = self._scan(final=False)
        self._trim()
        return out

    def flush(self) -> list[int]:
        """End of sequence: decide every remaining candidate."""
        out = self._scan(final=True)
        if self._pending is not None:
            out.append(self._pending[0])
            self._pending = None
        return out

    def _scan(self, final: bool) -> list[int]:
        r, out = self.p.min_distance, []
        end = self._offset + len(self._scores)
        arr = np.asarray(self._scores)
        while self._checked < end - (1 if final else r + 1):
            s = self._checked
            self._checked += 1
            if self._pending is not None and s - self._pending[0] >= r:
                out.append(self._pending[0])
                self._pending = None
            i = s - self._offset
            if not is_peak(arr, i) or prominence(arr, i, r) < self.p.threshold:
                continue
            if self._pending is None or arr[i] > self._pending[1]:
                self._pending = (s, float(arr[i]))
        return out

    def _trim(self) -> None:
        keep_from = self._checked - self.p.min_distance - 2
        drop = keep_from - self._offset
        if drop > 1024:  # amortised: trim in blocks
            del self._scores[:drop]
            self._offset += drop


def pick_boundaries(scores: ArrayLike, params: ChangeParams) -> list[int]:
    """Batch peak picking over a whole score sequence (same result as streaming it)."""
    picker = PeakPicker(params)
    return picker.update(np.asarray(scores, dtype=np.float64).tolist()) + picker.flush()
