"""Pure array helpers of the point trackers: sampling, visibility masks, velocities.

Points are ``(x, y)`` pixels; a frame of width W and height H covers ``[0, W-1] x [0, H-1]``
(pixel centres at integer coordinates).
"""

from __future__ import annotations

import cv2
import numpy as np
from numpy.typing import NDArray

from laps.errors import ConfigError, TrackerError

# cv2.cornerMinEigenVal on uint8 input with a 3x3 Sobel returns 4 * mean(g^2) / 255^2 for a
# gradient g in grey levels per pixel; this factor turns it into mean(g^2) in (grey levels/px)^2.
_CV_MIN_EIG_TO_GREY2 = 255.0**2 / 4.0


def _check_points(name: str, xy: NDArray[np.floating], error: type[Exception]) -> None:
    if xy.ndim != 2 or xy.shape[1] != 2:
        raise error(f"{name}: expected points of shape (N, 2) as (x, y), got {xy.shape}")


def bilinear_sample(field: NDArray[np.floating], xy: NDArray[np.floating]) -> NDArray[np.float32]:
    """Sample a (H, W, C) field at sub-pixel points with bilinear interpolation.

    Points outside the field are clamped to its border, so every point gets a value (a NaN
    coordinate is read as 0).

    Args:
        field: (H, W, C) array; pixel (row y, column x) sits at coordinate (x, y).
        xy: (N, 2) points as (x, y) pixels.

    Returns:
        (N, C) float32 interpolated values.

    Raises:
        TrackerError: if ``field`` is not (H, W, C) with H, W >= 1 or ``xy`` is not (N, 2).
    """
    if field.ndim != 3 or field.shape[0] < 1 or field.shape[1] < 1:
        raise TrackerError(f"bilinear_sample: expected a (H, W, C) field, got {field.shape}")
    _check_points("bilinear_sample", xy, TrackerError)
    h, w = field.shape[:2]
    x = np.clip(np.nan_to_num(xy[:, 0].astype(np.float64)), 0.0, w - 1.0)
    y = np.clip(np.nan_to_num(xy[:, 1].astype(np.float64)), 0.0, h - 1.0)
    x0 = np.floor(x).astype(np.intp)
    y0 = np.floor(y).astype(np.intp)
    x1 = np.minimum(x0 + 1, w - 1)
    y1 = np.minimum(y0 + 1, h - 1)
    fx = (x - x0)[:, None]
    fy = (y - y0)[:, None]
    top = field[y0, x0] * (1.0 - fx) + field[y0, x1] * fx
    bottom = field[y1, x0] * (1.0 - fx) + field[y1, x1] * fx
    return (top * (1.0 - fy) + bottom * fy).astype(np.float32)


def in_frame(xy: NDArray[np.floating], width: int, height: int) -> NDArray[np.bool_]:
    """Mask of points inside ``[0, width-1] x [0, height-1]`` (NaN counts as outside).

    Args:
        xy: (N, 2) points as (x, y) pixels.
        width: frame width W in pixels.
        height: frame height H in pixels.

    Returns:
        (N,) bool, True where the point is inside the frame.
    """
    _check_points("in_frame", xy, TrackerError)
    x, y = xy[:, 0], xy[:, 1]
    inside: NDArray[np.bool_] = (x >= 0) & (x <= width - 1) & (y >= 0) & (y <= height - 1)
    return inside


def fb_lost(
    xy0: NDArray[np.floating], xy0_back: NDArray[np.floating], threshold_px: float
) -> NDArray[np.bool_]:
    """Forward-backward check: points whose round trip misses the start by more than a threshold.

    Args:
        xy0: (N, 2) start points.
        xy0_back: (N, 2) the same points tracked forward, then backward again.
        threshold_px: largest accepted round-trip error, pixels.

    Returns:
        (N,) bool, True where the point is lost (error above threshold or not finite).
    """
    _check_points("fb_lost", xy0, TrackerError)
    if xy0_back.shape != xy0.shape:
        raise TrackerError(
            f"fb_lost: expected xy0_back of shape {xy0.shape} like xy0, got {xy0_back.shape}"
        )
    err = np.linalg.norm(xy0_back.astype(np.float64) - xy0, axis=1)
    # NaN compares False, so write the test as "not within" to count NaN as lost.
    lost: NDArray[np.bool_] = ~(err <= threshold_px)
    return lost


def velocities(
    tracks: NDArray[np.floating], visible: NDArray[np.bool_], scale_px: float
) -> NDArray[np.float32]:
    """Per-step point velocities, normalised and zeroed where a track is not visible.

    Args:
        tracks: (T, N, 2) positions as (x, y) pixels.
        visible: (T, N) visibility.
        scale_px: divisor of the displacements, pixels (for example the frame diagonal).

    Returns:
        (T-1, N, 2) float32 ``(tracks[t+1] - tracks[t]) / scale_px``, zero where either
        ``visible[t]`` or ``visible[t+1]`` is False.

    Raises:
        TrackerError: on inconsistent shapes.
        ConfigError: if ``scale_px`` is not positive.
    """
    if tracks.ndim != 3 or tracks.shape[2] != 2 or visible.shape != tracks.shape[:2]:
        raise TrackerError(
            f"velocities: expected tracks (T, N, 2) and visible (T, N), got tracks "
            f"{tracks.shape} and visible {visible.shape}"
        )
    if not scale_px > 0:
        raise ConfigError(f"velocities: expected scale_px > 0, got {scale_px}; pass a positive px")
    both = visible[1:] & visible[:-1]
    step = (tracks[1:].astype(np.float64) - tracks[:-1]) / scale_px
    return np.where(both[..., None], step, 0.0).astype(np.float32)


def texture_map(image: NDArray[np.uint8], block_px: int) -> NDArray[np.float32]:
    """Smallest eigenvalue of the structure tensor at every pixel, in (grey levels / px)^2.

    The structure tensor is the mean over a ``block_px x block_px`` block of ``[gx^2, gx gy;
    gx gy, gy^2]`` with Sobel gradients of the 8-bit image. Its smallest eigenvalue is the mean
    squared gradient along the weakest direction: 0 on a flat region and on a straight edge
    (the aperture problem), large on corners and texture. A 1 grey level/px gradient in every
    direction gives 1.0.

    Args:
        image: (H, W) uint8 grayscale frame.
        block_px: side of the averaging block, pixels.

    Returns:
        (H, W) float32 map in (grey levels / px)^2.
    """
    eig = cv2.cornerMinEigenVal(image, blockSize=block_px, ksize=3)
    return np.maximum(eig * _CV_MIN_EIG_TO_GREY2, 0.0).astype(np.float32)
