"""Streaming causal smoothing of the per-window energy (twin of ``functional.smooth``)."""

from __future__ import annotations

import math
from collections import deque

from laps.energy.config import EnergyConfig, Smoothing
from laps.energy.functional import as_smoothing, check_alpha, check_window, ema_step, window_mean


class CausalSmoother:
    """One value in, one smoothed value out; equal to :func:`laps.energy.functional.smooth`.

    A NaN input (a failed window) returns NaN and leaves the state unchanged.

    Args:
        method: ``none``, ``ema`` or ``ma``.
        alpha: EMA weight of the newest value, 0 < alpha <= 1.
        window: moving-average length, >= 1.
    """

    def __init__(self, method: Smoothing | str, alpha: float = 0.7, window: int = 3) -> None:
        self.method = as_smoothing(method)
        self.alpha = check_alpha(alpha) if self.method is Smoothing.EMA else float(alpha)
        self.window = check_window(window) if self.method is Smoothing.MA else int(window)
        self._state = math.nan
        self._buf: deque[float] = deque(maxlen=max(self.window, 1))

    @classmethod
    def from_config(cls, cfg: EnergyConfig) -> CausalSmoother:
        """The smoother an :class:`EnergyConfig` describes."""
        return cls(cfg.smoothing, cfg.alpha, cfg.ma_window)

    def update(self, x: float) -> float:
        """Smooth the next energy.

        Args:
            x: the window's raw energy, NaN for a failed window.

        Returns:
            The smoothed energy (NaN when ``x`` is NaN).
        """
        x = float(x)
        if math.isnan(x):
            return math.nan
        if self.method is Smoothing.EMA:
            self._state = ema_step(self._state, x, self.alpha)
            return self._state
        if self.method is Smoothing.MA:
            self._buf.append(x)
            return window_mean(self._buf)
        return x

    def reset(self) -> None:
        """Forget all history (a new stream)."""
        self._state = math.nan
        self._buf.clear()
