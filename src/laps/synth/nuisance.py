"""Photometric and geometric nuisances: illumination, camera shake, sensor noise, motion blur.

The camera-side effects work on I420 frames (luma at full resolution, chroma at half), the
encoder's own format, which halves their cost. Every effect is a pure function of the
frame's time (and index, for noise), so any frame can be rendered alone and renders the
same every time.
"""

from __future__ import annotations

import math
from typing import cast

import cv2
import numpy as np
from numpy.typing import NDArray

from laps.synth.config import NuisanceConfig

Image = NDArray[np.uint8]
NOISE_PAD = 16
MAX_KERNEL_PX = 9.0  # longer motion-blur kernels run at a reduced resolution


def i420_planes(buf: Image, size: tuple[int, int]) -> tuple[Image, Image, Image]:
    """Views (Y, U, V) into an I420 frame buffer of shape (H * 3 / 2, W)."""
    w, h = size
    flat = buf.reshape(-1)  # chroma planes need not start on a row of the buffer
    c = (w // 2) * (h // 2)
    u = flat[w * h : w * h + c].reshape(h // 2, w // 2)
    v = flat[w * h + c : w * h + 2 * c].reshape(h // 2, w // 2)
    return buf[:h], u, v


class Lighting:
    """Global illumination: slow drift (brightness and white balance) and mains flicker.

    Applied to I420 frames: a gain on luma, opposite shifts of U and V for white balance.
    """

    def __init__(self, knobs: NuisanceConfig, rng: np.random.Generator) -> None:
        self.drift, self.flicker = knobs.drift, knobs.flicker
        self.periods = rng.uniform(20.0, 60.0), rng.uniform(5.0, 15.0), rng.uniform(15.0, 40.0)
        self.phases = rng.uniform(0.0, 2 * math.pi, 4)
        self.mains_hz = float(rng.choice([100.0, 120.0]))  # aliased by the frame rate
        self._ramp = np.arange(256, dtype=np.float32)

    def levels(self, t: float) -> tuple[float, float]:
        """(luma gain, white-balance shift) at time ``t``."""
        p, ph = self.periods, self.phases
        g = 1.0 + self.drift * (
            0.7 * math.sin(2 * math.pi * t / p[0] + ph[0])
            + 0.3 * math.sin(2 * math.pi * t / p[1] + ph[1])
        )
        g += self.flicker * math.sin(2 * math.pi * self.mains_hz * t + ph[2])
        return g, 0.3 * self.drift * math.sin(2 * math.pi * t / p[2] + ph[3])

    def apply(self, buf: Image, t: float, size: tuple[int, int]) -> None:
        """Light the I420 frame ``buf`` as at time ``t``, in place."""
        if self.drift == 0 and self.flicker == 0:
            return
        g, c = self.levels(t)
        y, u, v = i420_planes(buf, size)
        lut_y = np.clip(16 + (self._ramp - 16) * g + 0.5, 0, 255).astype(np.uint8)
        cv2.LUT(y, lut_y, dst=y)
        for plane, sign in ((u, 1.0), (v, -1.0)):
            lut = np.clip(self._ramp + sign * 60.0 * c + 0.5, 0, 255).astype(np.uint8)
            cv2.LUT(plane, lut, dst=plane)


class Shake:
    """Small hand-held-like camera motion: smooth translation and roll, in output pixels."""

    def __init__(self, knobs: NuisanceConfig, rng: np.random.Generator, k: float) -> None:
        self.amp_px = knobs.shake * k
        self.freqs = rng.uniform(0.4, 6.0, (3, 3))
        self.phases = rng.uniform(0.0, 2 * math.pi, (3, 3))
        self.weights = np.array([0.6, 0.3, 0.1])

    def matrix(self, t: float, size: tuple[int, int]) -> NDArray[np.float64]:
        """3x3 image transform at time ``t`` (identity when the knob is 0)."""
        if self.amp_px == 0:
            return np.eye(3)
        w = np.sin(2 * math.pi * self.freqs * t + self.phases) @ self.weights
        dx, dy = w[0] * self.amp_px, w[1] * self.amp_px
        roll = w[2] * self.amp_px / max(size) * 0.7
        cx, cy = size[0] / 2, size[1] / 2
        c, s = math.cos(roll), math.sin(roll)
        return np.array(
            [[c, -s, cx - c * cx + s * cy + dx], [s, c, cy - s * cx - c * cy + dy], [0, 0, 1]]
        )


def warp_i420(buf: Image, m: NDArray[np.float64], size: tuple[int, int]) -> Image:
    """Warp an I420 frame by the 3x3 transform ``m`` (luma at full, chroma at half size)."""
    out = np.empty_like(buf)
    half = np.diag([0.5, 0.5, 1.0])
    m_c = half @ m @ np.diag([2.0, 2.0, 1.0])
    w, h = size
    for src, dst, mat, wh in zip(
        i420_planes(buf, size), i420_planes(out, size), (m, m_c, m_c),
        ((w, h), (w // 2, h // 2), (w // 2, h // 2)), strict=True,
    ):  # fmt: skip
        cv2.warpPerspective(
            src, mat, wh, dst=dst, flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_REPLICATE
        )
    return out


class SensorNoise:
    """Sensor noise on I420 frames from banks of precomputed noise, picked per frame.

    Luma gets ``sigma``; chroma, at quarter resolution, half of it (blotchy colour noise).

    Args:
        sigma: luma noise standard deviation in gray levels (0 = off).
        size: (width, height) of the frames.
        seed: seed of the banks and of the per-frame picks.
    """

    def __init__(self, sigma: float, size: tuple[int, int], seed: int) -> None:
        self.sigma, self.seed, self.size = sigma, seed, size
        w, h = size
        n = 0 if sigma == 0 else (8 if w * h <= 1280 * 720 else 4)
        rng = np.random.default_rng(seed)
        self.banks = [
            [_noise(rng, (hh + NOISE_PAD, ww + NOISE_PAD), sd) for _ in range(n)]
            for (ww, hh), sd in (((w, h), sigma), ((w // 2, h // 2), sigma / 2))
        ]

    def apply(self, buf: Image, index: int) -> None:
        """Add frame ``index``'s noise to the I420 frame ``buf``, in place."""
        if not self.banks[0]:
            return
        pick = np.random.default_rng([self.seed, index])
        choice = pick.integers(len(self.banks[0]), size=3)
        offsets = pick.integers(0, NOISE_PAD, size=(3, 2))
        for i, plane in enumerate(i420_planes(buf, self.size)):
            bank = self.banks[0 if i == 0 else 1]
            (dy, dx), (h, w) = offsets[i], plane.shape
            noise = bank[int(choice[i])][dy : dy + h, dx : dx + w]
            cv2.addWeighted(plane, 1.0, noise, 1.0, -128.0, dst=plane)


def _noise(rng: np.random.Generator, shape: tuple[int, int], sigma: float) -> Image:
    return np.clip(rng.normal(128.0, sigma, shape), 0, 255).astype(np.uint8)


def line_kernel(d: NDArray[np.float64]) -> NDArray[np.float32]:
    """A normalised motion-blur kernel along displacement ``d`` (px)."""
    length = float(np.hypot(*d))
    size = max(int(math.ceil(length)) | 1, 3)
    kernel = np.zeros((size, size), np.float32)
    c = (size - 1) / 2
    p0 = (round((c - d[0] / 2) * 16), round((c - d[1] / 2) * 16))
    p1 = (round((c + d[0] / 2) * 16), round((c + d[1] / 2) * 16))
    cv2.line(kernel, p0, p1, 1.0, 1, cv2.LINE_AA, shift=4)
    return kernel / max(float(kernel.sum()), 1e-9)


def smear(delta: NDArray[np.float32], d: NDArray[np.float64]) -> NDArray[np.float32]:
    """Blur ``delta`` along the segment ``d`` (px).

    Direct convolution costs the kernel's area, so long smears are done at a reduced
    resolution (the result is smooth along the motion anyway) and scaled back.
    """
    length = float(np.hypot(*d))
    factor = 1 << max(0, math.ceil(math.log2(length / MAX_KERNEL_PX)))
    if factor == 1:
        return cast(NDArray[np.float32], cv2.filter2D(delta, -1, line_kernel(d)))
    h, w = delta.shape[:2]
    small = cv2.resize(
        delta, (max(1, w // factor), max(1, h // factor)), interpolation=cv2.INTER_AREA
    )
    small = cv2.filter2D(small, -1, line_kernel(d / factor))
    return cast(NDArray[np.float32], cv2.resize(small, (w, h), interpolation=cv2.INTER_LINEAR))


def motion_blur(
    img: Image, before: Image, box: tuple[int, int, int, int], d: NDArray[np.float64]
) -> None:
    """Blur what was drawn in ``box`` since ``before`` along displacement ``d``, in place.

    Only the change is blurred (``before + blur(img - before)``), so the bench behind the
    moving hand stays sharp; exact where the bench is locally flat, close elsewhere.

    Args:
        img: the frame with the moving thing drawn.
        before: the ``box`` region of the frame before it was drawn.
        box: (x0, y0, x1, y1) pixels.
        d: displacement during the exposure, px.
    """
    x0, y0, x1, y1 = box
    if float(np.hypot(*d)) < 1.5 or x1 <= x0 or y1 <= y0:
        return
    fg = img[y0:y1, x0:x1]
    delta = cast(NDArray[np.float32], cv2.subtract(fg, before, dtype=cv2.CV_32F))
    cv2.add(before, smear(delta, d), dst=fg, dtype=cv2.CV_8U)
