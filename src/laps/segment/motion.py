"""Hand motion apart from camera motion and background motion: pure per-step math.

The ``content`` segmenter's activity layer works on the tracked grid. Three kinds of motion
other than the worker's hands move grid points, and each is removed by its own rule:

* **Camera motion** (shake, drift, pan) moves every point alike: per step, the median
  velocity of the visible points is subtracted (:func:`residual_steps`).
* **Persistent background motion** (a belt, a flickering or noisy region, a swaying cable)
  keeps moving the same grid cells: each cell's usual residual speed (a low quantile,
  tracked over time, :func:`track_floor`) is subtracted before cells are compared.
* **Directed background motion** (objects riding a belt) moves its cells the same way every
  time: a cell whose long-run mean velocity is nearly as large as its mean speed
  (:func:`track_direction`) is left out.

What remains is ranked per step; the mean excess speed of the ``k`` fastest cells is the
step's *activity* and their mean residual velocity the *hand velocity*
(:func:`step_activity`). Units: normalised velocity per sampled-frame step (pixels divided
by ``Window.velocity_scale_px``).
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

FloatArray = NDArray[np.float64]

LOG_EPS = 1e-4  # speeds below this are "no motion" in the floor's log domain


def residual_steps(
    velocities: NDArray[np.floating], visible: NDArray[np.bool_]
) -> NDArray[np.float32]:
    """(T-1, 3N) per-step tokens of one window: residual x, residual y, validity.

    The residual is the velocity minus the median velocity of the points visible at both
    ends of the step (the camera's motion); invalid points get 0. Averaging tokens of
    overlapping windows and dividing by the validity part gives the mean residual of each
    cell over the windows that saw it valid (:func:`split_tokens`).

    Raises:
        ValueError: the shapes do not fit together.
    """
    v = np.asarray(velocities, dtype=np.float64)
    if v.ndim != 3 or v.shape[2] != 2 or visible.shape != (v.shape[0] + 1, v.shape[1]):
        raise ValueError(
            f"residual_steps: expected velocities (T-1, N, 2) and visible (T, N), got "
            f"{v.shape} and {visible.shape}"
        )
    ok = visible[1:] & visible[:-1]
    cam = np.zeros((len(v), 2))
    for k in range(len(v)):
        if ok[k].any():
            cam[k] = np.median(v[k][ok[k]], axis=0)
    r = (v - cam[:, None, :]) * ok[..., None]
    return np.concatenate([r[..., 0], r[..., 1], ok.astype(np.float64)], axis=1).astype(np.float32)


def split_tokens(token: FloatArray) -> tuple[FloatArray, FloatArray]:
    """One step's averaged token -> (N, 2) mean residual per cell, (N,) validity share."""
    n = len(token) // 3
    valid = token[2 * n :]
    safe = np.where(valid > 0, valid, 1.0)
    r = np.stack([token[:n] / safe, token[n : 2 * n] / safe], axis=1)
    return r, valid


def pool_cells(residual: FloatArray, width: int) -> FloatArray:
    """(N, 2) residuals averaged over ``width`` x ``width`` neighbourhoods of the grid.

    A hand moves neighbouring cells the same way, tracking noise does not: averaging the
    vectors keeps the hand's motion and shrinks the noise by about ``width``. Cells are a
    square grid in row-major order (``N = G * G``); edges average what exists.
    """
    g = int(round(np.sqrt(len(residual))))
    if width <= 1 or g * g != len(residual):
        return residual
    grid = residual.reshape(g, g, 2)
    pad = width // 2
    padded = np.pad(grid, ((pad, pad), (pad, pad), (0, 0)))
    ones = np.pad(np.ones((g, g)), pad)
    csum = padded.cumsum(0).cumsum(1)
    cnt = ones.cumsum(0).cumsum(1)
    total = _box(csum, width, g)
    count = _box(cnt[..., None], width, g)
    return (total / count).reshape(-1, 2)


def _box(csum: FloatArray, w: int, g: int) -> FloatArray:
    """Sums over w x w boxes from a 2-D cumulative sum (one box per output cell)."""
    c = np.pad(csum, ((1, 0), (1, 0), (0, 0)))
    return c[w : w + g, w : w + g] - c[:g, w : w + g] - c[w : w + g, :g] + c[:g, :g]


def track_floor(
    log_floor: FloatArray, speed: FloatArray, rate: float, quantile: float
) -> FloatArray:
    """One step of each cell's running ``quantile`` of speed, in the log domain.

    Steps of ``+rate * quantile`` above and ``-rate * (1 - quantile)`` below converge to the
    quantile whatever the speed's scale. A low quantile (0.2) is not dragged up by a hand
    that works in the same cells for a while: a cell's floor rises only where it moves
    during more than ``1 - quantile`` of the recent steps (a belt, a flickering patch).
    """
    above = np.log(speed + LOG_EPS) > log_floor
    return log_floor + rate * np.where(above, quantile, quantile - 1.0)


def initial_floor(speeds: FloatArray, quantile: float) -> FloatArray:
    """(N,) log floor from a warm-up of (S, N) speeds: each cell's ``quantile``."""
    logs = np.log(speeds + LOG_EPS)
    return np.asarray(np.quantile(logs, quantile, axis=0), dtype=np.float64)


def track_direction(
    mean_v: FloatArray, mean_s: FloatArray, residual: FloatArray, rate: float
) -> tuple[FloatArray, FloatArray]:
    """One EMA step of each cell's mean velocity (N, 2) and mean speed (N,)."""
    speed = np.hypot(residual[:, 0], residual[:, 1])
    return mean_v + rate * (residual - mean_v), mean_s + rate * (speed - mean_s)


def directedness(mean_v: FloatArray, mean_s: FloatArray) -> FloatArray:
    """(N,) |mean velocity| / mean speed: 1 for a belt, about 0 for hands and noise."""
    return np.hypot(mean_v[:, 0], mean_v[:, 1]) / np.maximum(mean_s, 1e-9)


def step_activity(
    residual: FloatArray, floor: FloatArray, usable: NDArray[np.bool_], k: int
) -> tuple[float, FloatArray]:
    """Activity and hand velocity of one step.

    Args:
        residual: (N, 2) residual velocity per cell.
        floor: (N,) each cell's typical speed (subtracted).
        usable: (N,) cells that may count (valid, not directed background).
        k: how many of the fastest cells are averaged.

    Returns:
        (mean excess speed of the ``k`` fastest usable cells, their mean residual (2,)).
    """
    speed = np.hypot(residual[:, 0], residual[:, 1])
    excess = np.where(usable, np.maximum(speed - floor, 0.0), 0.0)
    k = max(1, min(k, len(excess)))
    top = np.argpartition(excess, -k)[-k:]
    return float(excess[top].mean()), residual[top].mean(axis=0)


def evidence(before: FloatArray, after: FloatArray, sigma0: float) -> float:
    """How far two stretches of hand velocity differ, in units of their own spread.

    ``sqrt(sum_d (mean_a - mean_b)^2 / ((var_a + var_b) / h + sigma0^2))`` over the
    feature dimensions: a Welch-style two-sample statistic. Periodic motion (a screw, a
    wipe) has a large spread on both sides and a mean that does not move, so it scores low;
    a turn from one steady direction to another scores high. ``sigma0`` keeps a change
    between two still stretches from dividing by zero.
    """
    h = min(len(before), len(after))
    num = (after.mean(axis=0) - before.mean(axis=0)) ** 2
    den = (before.var(axis=0) + after.var(axis=0)) / max(h, 1) + sigma0**2
    return float(np.sqrt(np.sum(num / den)))


def hand_features(hand: FloatArray) -> FloatArray:
    """Per-step features of the hand's motion pattern: velocity x, y, |x|, |y| and speed.

    Averaged over a short stretch (``pattern`` steps) before they are compared, a periodic
    motion (a circle, a back-and-forth wipe) has a steady mean of every feature: its
    velocity averages out, while |x|, |y| and the speed keep its axis and vigour.
    """
    x, y = float(hand[0]), float(hand[1])
    return np.array([x, y, abs(x), abs(y), float(np.hypot(x, y))])
