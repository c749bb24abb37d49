"""Per-window energy and its causal smoothing (reference sections 3.5 and 3.6), pure functions.

Energy is one float per window:

* ``velocity``: the mean L2 norm of the window's normalised velocities, over every point and
  step; the energy mode is ignored (as in the reference).
* ``prequant`` / ``quantized``: a reduction of the tokenizer's (L, D) latents, with ``mode``
  ``l2_mean`` (mean token norm) or ``token_diff_l2_mean`` (mean norm of the differences of
  consecutive tokens *inside* the window; one token falls back to ``l2_mean``).

Smoothing is causal (EMA or moving average). ``NaN`` marks a window without an energy (a
failed window): its smoothed value is ``NaN`` and the smoother's state is left untouched, so
the next finite value continues from the last finite state. For the moving average the state
is the last ``window`` *finite* values; for the EMA it is the last output (``y_0 = x_0`` at
the first finite value).
"""

from __future__ import annotations

import math
from collections import deque
from collections.abc import Iterable
from enum import StrEnum
from typing import TypeVar

import numpy as np
from numpy.typing import ArrayLike, NDArray

from laps.energy.config import EnergyMode, EnergySource, Smoothing
from laps.errors import ConfigError

E = TypeVar("E", bound=StrEnum)


def point_speeds(vel: NDArray[np.floating]) -> NDArray[np.float64]:
    """L2 norm of every velocity vector.

    Args:
        vel: (L, N, 2) velocities (L steps, N points).

    Returns:
        (L, N) float64 speeds.

    Raises:
        ValueError: ``vel`` is not a non-empty (L, N, 2) array.
    """
    v = np.asarray(vel, dtype=np.float64)
    if v.ndim != 3 or v.shape[2] != 2 or v.size == 0:
        raise ValueError(
            f"velocities: expected a non-empty (L, N, 2) array, got shape {tuple(v.shape)}; "
            "pass Window.velocities"
        )
    return np.sqrt(v[..., 0] * v[..., 0] + v[..., 1] * v[..., 1])


def velocity_energy(vel: NDArray[np.floating]) -> float:
    """Mean L2 norm of a window's velocities over all points and steps.

    Args:
        vel: (L, N, 2) normalised velocities.

    Returns:
        The energy (>= 0).
    """
    return float(point_speeds(vel).mean())


def _parse(kind: type[E], value: E | str, key: str) -> E:
    """``kind(value)``, or a ConfigError naming the config key and the allowed values."""
    try:
        return kind(value)
    except ValueError:
        valid = ", ".join(v.value for v in kind)
        raise ConfigError(f"{key}: expected one of {valid}, got {value!r}; fix {key}") from None


def _as_mode(mode: EnergyMode | str) -> EnergyMode:
    return _parse(EnergyMode, mode, "energy.mode")


def token_energy(z: NDArray[np.floating], mode: EnergyMode | str) -> float:
    """Reduce one window's (L, D) latent tokens to an energy.

    Args:
        z: (L, D) latents (pre-quantisation or quantized), L >= 1.
        mode: ``l2_mean`` = mean_i ||z_i||; ``token_diff_l2_mean`` = mean over i >= 1 of
            ||z_i - z_{i-1}|| (falls back to ``l2_mean`` when L < 2).

    Returns:
        The energy (>= 0).

    Raises:
        ValueError: ``z`` is not a non-empty 2-D array.
        ConfigError: unknown mode.
    """
    m = _as_mode(mode)
    a = np.asarray(z, dtype=np.float64)
    if a.ndim != 2 or a.size == 0:
        raise ValueError(
            f"latents: expected a non-empty (L, D) array, got shape {tuple(a.shape)}; "
            "squeeze the batch dimension of the tokenizer output"
        )
    if m is EnergyMode.TOKEN_DIFF_L2_MEAN and a.shape[0] >= 2:
        a = np.diff(a, axis=0)
    return float(np.linalg.norm(a, axis=1).mean())


def window_energy(
    source: EnergySource | str,
    mode: EnergyMode | str,
    *,
    velocities: NDArray[np.floating],
    prequant: NDArray[np.floating] | None = None,
    quantized: NDArray[np.floating] | None = None,
) -> float:
    """Energy of one window from the configured source.

    Args:
        source: ``velocity`` (``mode`` is ignored), ``prequant`` or ``quantized``.
        mode: reduction of latent tokens, see :func:`token_energy`.
        velocities: (L, N, 2) normalised velocities of the window.
        prequant: (L, D) encoder output before quantisation, if a tokenizer ran.
        quantized: (L, D) quantized latents, if a tokenizer ran.

    Returns:
        The window's energy.

    Raises:
        ConfigError: unknown source or mode, or a latent source without its latents.
    """
    src = _parse(EnergySource, source, "energy.source")
    if src is EnergySource.VELOCITY:
        return velocity_energy(velocities)
    latents = prequant if src is EnergySource.PREQUANT else quantized
    if latents is None:
        raise ConfigError(
            f"energy.source={src.value} needs --checkpoint CKPT (the motion tokenizer); "
            "use energy.source=velocity without one"
        )
    return token_energy(latents, mode)


def check_alpha(alpha: float) -> float:
    """Validate an EMA weight: 0 < alpha <= 1.

    Raises:
        ConfigError: alpha out of range.
    """
    if not 0.0 < alpha <= 1.0:
        raise ConfigError(f"energy.alpha: expected 0 < alpha <= 1, got {alpha}; fix energy.alpha")
    return float(alpha)


def check_window(window: int) -> int:
    """Validate a moving-average length: an int >= 1.

    Raises:
        ConfigError: window below 1.
    """
    if int(window) != window or window < 1:
        raise ConfigError(
            f"energy.ma_window: expected an integer >= 1, got {window}; fix energy.ma_window"
        )
    return int(window)


def ema_step(state: float, x: float, alpha: float) -> float:
    """One EMA update; ``state`` is the last output (NaN before the first finite value).

    Returns:
        The new state: ``x`` at the first finite value, ``alpha*x + (1-alpha)*state`` after,
        and ``state`` unchanged when ``x`` is NaN.
    """
    if math.isnan(x):
        return state
    if math.isnan(state):
        return float(x)
    return alpha * x + (1.0 - alpha) * state


def window_mean(values: Iterable[float]) -> float:
    """Exactly rounded mean of finite values (``math.fsum``), so it is order-independent."""
    vals = list(values)
    return math.fsum(vals) / len(vals) if vals else math.nan


def _as_series(x: ArrayLike) -> NDArray[np.float64]:
    a = np.array(x, dtype=np.float64)
    if a.ndim != 1:
        raise ValueError(f"energy series: expected a 1-D array, got shape {a.shape}")
    return a


def ema(x: ArrayLike, alpha: float) -> NDArray[np.float64]:
    """Causal exponential moving average: y_0 = x_0, y_t = alpha*x_t + (1-alpha)*y_{t-1}.

    Args:
        x: (n,) energies; NaN entries give NaN and are skipped by the recursion.
        alpha: weight of the newest value, 0 < alpha <= 1.

    Returns:
        (n,) float64 smoothed series.
    """
    a = check_alpha(alpha)
    xs = _as_series(x)
    out = np.full_like(xs, np.nan)
    state = math.nan
    for t, v in enumerate(xs.tolist()):
        state = ema_step(state, v, a)
        if not math.isnan(v):
            out[t] = state
    return out


def causal_ma(x: ArrayLike, window: int) -> NDArray[np.float64]:
    """Causal moving average: y_t = mean of the last ``window`` finite values up to t.

    Args:
        x: (n,) energies; NaN entries give NaN and do not enter the average.
        window: number of values averaged (fewer at the start).

    Returns:
        (n,) float64 smoothed series.
    """
    w = check_window(window)
    xs = _as_series(x)
    out = np.full_like(xs, np.nan)
    buf: deque[float] = deque(maxlen=w)
    for t, v in enumerate(xs.tolist()):
        if not math.isnan(v):
            buf.append(v)
            out[t] = window_mean(buf)
    return out


def smooth(
    x: ArrayLike, method: Smoothing | str, alpha: float = 0.7, window: int = 3
) -> NDArray[np.float64]:
    """Causal smoothing of a whole energy series (the offline twin of ``CausalSmoother``).

    Args:
        x: (n,) energies, NaN for failed windows.
        method: ``none`` (a float64 copy), ``ema`` or ``ma``.
        alpha: EMA weight of the newest value.
        window: moving-average length.

    Returns:
        (n,) float64 smoothed series.
    """
    m = as_smoothing(method)
    if m is Smoothing.EMA:
        return ema(x, alpha)
    if m is Smoothing.MA:
        return causal_ma(x, window)
    return _as_series(x)


def as_smoothing(method: Smoothing | str) -> Smoothing:
    """Parse a smoothing method.

    Raises:
        ConfigError: unknown method.
    """
    return _parse(Smoothing, method, "energy.smoothing")
