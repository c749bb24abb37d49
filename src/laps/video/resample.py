"""Time-based resampling of a frame stream to a target rate, using real timestamps.

Ticks are ``tau_k = k / target_fps`` seconds after the first frame. The sample for tick ``k`` is
the first source frame whose time is ``>= tau_k - EPS_S``. A source frame is emitted at most
once: when the source is slower than the target, the ticks one frame covers are skipped, never
duplicated. :func:`select_samples` is the batch form, :class:`Resampler` the streaming form; both
compute the tick times with the same float expression so their results are identical.
"""

from __future__ import annotations

import math

import numpy as np
from numpy.typing import NDArray

from laps.errors import ConfigError

EPS_S = 1e-6  # tolerance of the tick comparison: absorbs float error in k / fps


def _check_fps(target_fps: float) -> None:
    if not (math.isfinite(target_fps) and target_fps > 0):
        raise ConfigError(
            f"target_fps: expected a positive finite rate, got {target_fps!r}; "
            "set video.target_fps to e.g. 10"
        )


def _tick(k: int, target_fps: float) -> float:
    """Threshold of tick ``k`` (the one expression shared by batch and streaming)."""
    return k / target_fps - EPS_S


def _next_tick(k: int, rel_s: float, target_fps: float) -> int:
    """Smallest tick index > ``k`` whose threshold lies strictly after ``rel_s``."""
    k = max(k + 1, math.floor((rel_s + EPS_S) * target_fps))
    while _tick(k, target_fps) <= rel_s:
        k += 1
    return k


def select_samples(times_s: NDArray[np.floating], target_fps: float) -> NDArray[np.int64]:
    """Indices of the source frames that a resampling to ``target_fps`` emits.

    Args:
        times_s: (n,) non-decreasing presentation times in seconds (any origin; the ticks
            start at ``times_s[0]``).
        target_fps: the sampled rate, frames per second.

    Returns:
        (m,) int64 strictly increasing indices into ``times_s``.

    Raises:
        ConfigError: when ``target_fps`` is not a positive finite number.
    """
    _check_fps(target_fps)
    times = np.asarray(times_s, dtype=np.float64)
    if times.ndim != 1:
        raise ValueError(f"times_s: expected shape (n,), got {times.shape}")
    if times.size == 0:
        return np.zeros(0, dtype=np.int64)
    rel = times - times[0]
    n_ticks = math.floor((float(rel.max()) + EPS_S) * target_fps) + 2
    ticks = np.arange(n_ticks, dtype=np.float64) / target_fps - EPS_S
    first = np.searchsorted(rel, ticks, side="left")
    picked = np.unique(first)
    return picked[picked < times.size].astype(np.int64)


class Resampler:
    """Streaming form of :func:`select_samples`: one decision per source frame.

    Args:
        target_fps: the sampled rate, frames per second.

    Example:
        >>> r = Resampler(10.0)
        >>> [r.update(i / 30) for i in range(4)]
        [True, False, False, True]
    """

    def __init__(self, target_fps: float) -> None:
        _check_fps(target_fps)
        self.target_fps = float(target_fps)
        self._origin: float | None = None
        self._next = 0

    def update(self, time_s: float) -> bool:
        """Whether the frame with presentation time ``time_s`` is emitted."""
        if self._origin is None:
            self._origin = float(time_s)
        rel = float(time_s) - self._origin
        if rel < _tick(self._next, self.target_fps):
            return False
        self._next = _next_tick(self._next, rel, self.target_fps)
        return True

    def reset(self) -> None:
        """Forget the origin; the next frame starts a new tick grid."""
        self._origin = None
        self._next = 0
