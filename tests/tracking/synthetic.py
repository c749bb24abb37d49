"""Synthetic textured sequences with known affine motion, for the tracker tests."""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np
from numpy.typing import NDArray

HEIGHT, WIDTH = 240, 320
MARGIN = 96  # texture beyond the frame, so warped frames have no empty border


def textured(height: int, width: int, seed: int, blur_px: float = 2.0) -> NDArray[np.uint8]:
    """Gaussian-blurred uniform noise, stretched to mean 128 and std 40 grey levels."""
    rng = np.random.default_rng(seed)
    noise = rng.uniform(0.0, 255.0, (height, width)).astype(np.float32)
    smooth = cv2.GaussianBlur(noise, (0, 0), blur_px)
    smooth = (smooth - smooth.mean()) / smooth.std() * 40.0 + 128.0
    return np.clip(np.round(smooth), 0, 255).astype(np.uint8)


def _homogeneous(m: NDArray[np.float64]) -> NDArray[np.float64]:
    return np.vstack([m, [0.0, 0.0, 1.0]])


@dataclass(frozen=True)
class AffineSequence:
    """Frames ``k = 0..n`` where frame k shows frame 0 moved by ``step^k`` (2x3, frame px)."""

    frames: list[NDArray[np.uint8]]
    step: NDArray[np.float64]

    def truth(self, xy: NDArray[np.float32], k0: int, k1: int) -> NDArray[np.float64]:
        """Where points at (x, y) in frame k0 really are in frame k1."""
        a = np.linalg.matrix_power(_homogeneous(self.step), k1 - k0)
        return xy.astype(np.float64) @ a[:2, :2].T + a[:2, 2]


def step_matrix(kind: str, shift: tuple[float, float] = (2.5, -1.5)) -> NDArray[np.float64]:
    """Per-frame motion: a shift, 1 deg rotation or 1.02 scale about the frame centre."""
    cx, cy = (WIDTH - 1) / 2.0, (HEIGHT - 1) / 2.0
    if kind == "translate":
        return np.array([[1.0, 0.0, shift[0]], [0.0, 1.0, shift[1]]])
    if kind == "rotate":
        return cv2.getRotationMatrix2D((cx, cy), 1.0, 1.0)
    if kind == "scale":
        return cv2.getRotationMatrix2D((cx, cy), 0.0, 1.02)
    if kind == "still":
        return np.array([[1.0, 0.0, 0.0], [0.0, 1.0, 0.0]])
    raise ValueError(kind)


def affine_sequence(step: NDArray[np.float64], n_steps: int, seed: int = 0) -> AffineSequence:
    """Warp one big texture so that frame k is frame 0 moved by ``step`` k times."""
    base = textured(HEIGHT + 2 * MARGIN, WIDTH + 2 * MARGIN, seed)
    frames = []
    for k in range(n_steps + 1):
        inv = np.linalg.inv(np.linalg.matrix_power(_homogeneous(step), k))[:2]
        inv[:, 2] += MARGIN  # frame pixel -> pixel of the big texture
        frames.append(
            cv2.warpAffine(
                base, inv, (WIDTH, HEIGHT), flags=cv2.INTER_LINEAR | cv2.WARP_INVERSE_MAP
            )
        )
    return AffineSequence(frames=frames, step=step)
