"""The regular grid of query points that every window seeds."""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from laps.errors import ConfigError


def grid_points(width: int, height: int, grid_size: int) -> NDArray[np.float32]:
    """Cell centres of a ``grid_size x grid_size`` grid covering the whole frame.

    Point ``n`` is the centre of cell ``(row, col) = (n // grid_size, n % grid_size)``:
    ``x = (col + 0.5) * width / grid_size`` and ``y = (row + 0.5) * height / grid_size``.
    The order is row-major (x varies fastest), the laps-wide grid convention.

    Args:
        width: frame width W in pixels.
        height: frame height H in pixels.
        grid_size: points per row and per column, g.

    Returns:
        (g * g, 2) float32 points as (x, y) pixels.

    Raises:
        ConfigError: if a size is not positive.
    """
    if width < 1 or height < 1:
        raise ConfigError(
            f"grid_points: expected a frame size >= 1 x 1, got {width} x {height}; "
            "check video.width / video.height"
        )
    if grid_size < 1:
        raise ConfigError(
            f"grid_points: expected grid_size >= 1, got {grid_size}; set tracking.grid_size"
        )
    centres = np.arange(grid_size, dtype=np.float64) + 0.5
    xs = centres * (width / grid_size)
    ys = centres * (height / grid_size)
    # meshgrid's default "xy" indexing varies x along the last axis: row-major after ravel.
    gx, gy = np.meshgrid(xs, ys)
    return np.stack([gx.ravel(), gy.ravel()], axis=1).astype(np.float32)
