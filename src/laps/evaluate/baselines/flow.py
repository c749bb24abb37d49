"""Dense optical flow of a frame pair and its magnitude-weighted orientation histogram.

Flow is in pixels of the processing frame; every magnitude is divided by
``min(W, H) / 2`` (:func:`laps.window.builder.velocity_scale_px`), the normalisation of our
tracker velocities, so energies do not depend on the processing resolution.
"""

from __future__ import annotations

from collections.abc import Callable

import cv2
import numpy as np
from numpy.typing import NDArray

from laps.evaluate.baselines.config import FlowMethod

FlowFn = Callable[[NDArray[np.uint8], NDArray[np.uint8]], NDArray[np.float32]]

# OpenCV's documented example values (pyramid 0.5 x 3 levels, 15 px window, 3 iterations,
# 5-pixel polynomial with sigma 1.2); the reference's HOF features used Farneback as well.
_FARNEBACK = {
    "pyr_scale": 0.5,
    "levels": 3,
    "winsize": 15,
    "iterations": 3,
    "poly_n": 5,
    "poly_sigma": 1.2,
    "flags": 0,
}


def make_flow(method: FlowMethod | str) -> FlowFn:
    """A function ``(prev, cur) -> (H, W, 2) float32`` flow for the chosen method."""
    method = FlowMethod(method)
    if method is FlowMethod.DIS_MEDIUM:
        dis = cv2.DISOpticalFlow.create(cv2.DISOpticalFlow_PRESET_MEDIUM)

        def dis_flow(a: NDArray[np.uint8], b: NDArray[np.uint8]) -> NDArray[np.float32]:
            # no output buffer: DIS would take a reused one as its initial guess
            return np.asarray(dis.calc(a, b, None), dtype=np.float32)  # type: ignore[call-overload]

        return dis_flow

    def farneback(a: NDArray[np.uint8], b: NDArray[np.uint8]) -> NDArray[np.float32]:
        flow = cv2.calcOpticalFlowFarneback(a, b, None, **_FARNEBACK)  # type: ignore[call-overload]
        return np.asarray(flow, dtype=np.float32)

    return farneback


def cell_map(height: int, width: int, grid: int) -> NDArray[np.int64]:
    """(H, W) index of the grid cell of every pixel, row-major (``row * grid + col``)."""
    rows = (np.arange(height) * grid) // height
    cols = (np.arange(width) * grid) // width
    return (rows[:, None] * grid + cols[None, :]).astype(np.int64)


def pair_hof(
    flow: NDArray[np.float32], cells: NDArray[np.int64], grid: int, bins: int, scale_px: float
) -> NDArray[np.float64]:
    """Magnitude-weighted orientation histogram per cell, unnormalised.

    Each pixel adds ``|f| / scale_px / (H * W)`` to the bin of its flow direction in its
    cell, so the histogram's total is the pair's flow energy (mean normalised |flow|).

    Args:
        flow: (H, W, 2) flow in pixels.
        cells: :func:`cell_map` of the same size.
        grid: cells per side.
        bins: orientation bins over [0, 2 pi).
        scale_px: the velocity normalisation, ``min(W, H) / 2``.

    Returns:
        (grid * grid * bins,) float64, cell-major.
    """
    mag, ang = cv2.cartToPolar(flow[..., 0], flow[..., 1])
    b = np.minimum((ang * (bins / (2 * np.pi))).astype(np.int64), bins - 1)
    index = (cells * bins + b).ravel()
    weights = mag.ravel().astype(np.float64) / (scale_px * mag.size)
    hist = np.bincount(index, weights=weights, minlength=grid * grid * bins)
    return hist.astype(np.float64, copy=False)
