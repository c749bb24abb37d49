"""Static-window gates (reference section 3.4), pure functions.

* **Pre-gate**, on a window's T grayscale frames (it spares a static window the tokenizer,
  not the tracker, which follows every frame of the stream): each frame is resized so
  its short side is ``resize_shorter`` (``INTER_AREA``; frames already that size are used as
  they are). For consecutive frames ``d_i = |g_i - g_{i-1}| / 255``;
  ``mad = mean_i mean_px d_i`` and ``active_ratio = mean_i frac_px(d_i > pixel_diff_thr)``.
  The window is dropped iff ``mad < mad_thr and active_ratio < min_active_ratio``.
* **Motion gate**, after tracking, on the window's (L, N, 2) normalised velocities:
  ``v = ||vel||``; ``l2_mean = mean(v)``, ``active_ratio = frac(v > vel_norm_thr)``; dropped
  iff ``l2_mean < vel_norm_thr and active_ratio < min_active_ratio``. With a visibility mask
  only point-steps visible at both ends count; a window with none counts as static.

A disabled gate (``cfg.enabled`` false) still measures but never drops. Overlapping windows
share frame pairs, so the pre-gate also comes in an incremental form: :func:`pair_stats` once
per frame pair (on images already passed through :func:`gate_image`), then
:func:`gate_from_pairs` per window; it equals :func:`pre_gate` up to float rounding.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

import cv2
import numpy as np
from numpy.typing import NDArray

from laps.energy.functional import point_speeds
from laps.gates.config import MotionGateConfig, PreGateConfig


class GateKind(StrEnum):
    """Which gate produced a result."""

    PRE = "pre_gate"
    MOTION = "motion_gate"


# JSON names of (level, level threshold, activity threshold), as the reference logs them.
_KEYS = {
    GateKind.PRE: ("mad", "mad_thr", "pixel_diff_thr"),
    GateKind.MOTION: ("l2_mean", "vel_norm_thr", "vel_norm_thr"),
}


@dataclass(frozen=True, slots=True)
class GateResult:
    """Outcome of one gate on one window.

    Attributes:
        kind: which gate.
        dropped: the window is static (always False for a disabled gate).
        level: mean change: ``mad`` (pre-gate) or ``l2_mean`` (motion gate).
        active_ratio: share of pixels / point-steps whose change exceeds ``active_thr``.
        level_thr: ``level`` below this is static (``mad_thr`` / ``vel_norm_thr``).
        active_thr: change counting as active (``pixel_diff_thr`` / ``vel_norm_thr``).
        min_active_ratio: ``active_ratio`` below this is static.
        enabled: whether the gate was allowed to drop.
    """

    kind: GateKind
    dropped: bool
    level: float
    active_ratio: float
    level_thr: float
    active_thr: float
    min_active_ratio: float
    enabled: bool = True

    def to_dict(self) -> dict[str, str | bool | float]:
        """JSON-ready dict with the reference's field names (``mad`` / ``l2_mean`` ...)."""
        level, level_thr, active_thr = _KEYS[self.kind]
        out: dict[str, str | bool | float] = {
            "gate": self.kind.value,
            "enabled": self.enabled,
            "dropped": self.dropped,
            level: self.level,
            "active_ratio": self.active_ratio,
            level_thr: self.level_thr,
        }
        out[active_thr] = self.active_thr
        out["min_active_ratio"] = self.min_active_ratio
        return out


def _check_gray(name: str, image: NDArray[np.generic]) -> None:
    if image.ndim != 2 or image.dtype != np.uint8 or image.size == 0:
        raise ValueError(
            f"{name}: expected a non-empty (H, W) uint8 grayscale image, got shape "
            f"{tuple(image.shape)} dtype {image.dtype}; convert with cv2.cvtColor(..., "
            "cv2.COLOR_BGR2GRAY)"
        )


def gate_image(image: NDArray[np.uint8], cfg: PreGateConfig) -> NDArray[np.uint8]:
    """Resize a grayscale frame so its short side is ``cfg.resize_shorter`` (INTER_AREA).

    Args:
        image: (H, W) uint8 grayscale frame.
        cfg: pre-gate configuration.

    Returns:
        The frame itself when its short side already matches, else the resized copy.
    """
    _check_gray("pre-gate frame", image)
    h, w = image.shape
    short = cfg.resize_shorter
    if min(h, w) == short:
        return image
    scale = short / min(h, w)
    size = (short, max(1, round(h * scale))) if w <= h else (max(1, round(w * scale)), short)
    return np.asarray(cv2.resize(image, size, interpolation=cv2.INTER_AREA), dtype=np.uint8)


def _active_cutoff(pixel_diff_thr: float) -> int:
    """Smallest integer difference k with k / 255 > pixel_diff_thr (exact, no float drift)."""
    k = int(np.floor(pixel_diff_thr * 255.0)) + 1
    while k > 0 and (k - 1) / 255.0 > pixel_diff_thr:
        k -= 1
    while k / 255.0 <= pixel_diff_thr:
        k += 1
    return k


def _decide(
    kind: GateKind,
    stats: tuple[float, float],
    thresholds: tuple[float, float, float],
    enabled: bool,
) -> GateResult:
    """Drop iff enabled and level < level_thr and active < min_active."""
    level, active = stats
    level_thr, active_thr, min_active = thresholds
    dropped = bool(enabled and level < level_thr and active < min_active)
    return GateResult(kind, dropped, level, active, level_thr, active_thr, min_active, enabled)


def _pre_thresholds(cfg: PreGateConfig) -> tuple[float, float, float]:
    return cfg.mad_thr, cfg.pixel_diff_thr, cfg.min_active_ratio


def pair_stats(
    prev_small: NDArray[np.uint8], cur_small: NDArray[np.uint8], cfg: PreGateConfig
) -> tuple[float, float]:
    """Pixel-difference statistics of one frame pair (already passed through gate_image).

    Args:
        prev_small: (h, w) uint8 earlier frame.
        cur_small: (h, w) uint8 later frame, same shape.
        cfg: pre-gate configuration.

    Returns:
        ``(mad_i, active_i)``: mean of ``|diff|/255`` and the share of pixels above
        ``pixel_diff_thr``.
    """
    _check_gray("pre-gate frame", prev_small)
    _check_gray("pre-gate frame", cur_small)
    if prev_small.shape != cur_small.shape:
        raise ValueError(
            f"pre-gate: expected frames of one size, got {prev_small.shape} and "
            f"{cur_small.shape}; pass every frame through gate_image with the same config"
        )
    diff = cv2.absdiff(prev_small, cur_small)
    mad = float(diff.mean()) / 255.0
    active = float(np.count_nonzero(diff >= _active_cutoff(cfg.pixel_diff_thr))) / diff.size
    return mad, active


def gate_from_pairs(stats: Sequence[tuple[float, float]], cfg: PreGateConfig) -> GateResult:
    """Pre-gate decision from the window's per-pair statistics (T - 1 of them).

    Args:
        stats: ``(mad_i, active_i)`` of each consecutive frame pair, from :func:`pair_stats`.
        cfg: pre-gate configuration.

    Returns:
        The gate result (means over pairs).
    """
    if len(stats) == 0:
        raise ValueError("pre-gate: expected at least one frame pair, got 0; a window has T >= 2")
    arr = np.asarray(stats, dtype=np.float64).reshape(len(stats), 2)
    mad, active = (float(v) for v in arr.mean(axis=0))
    return _decide(GateKind.PRE, (mad, active), _pre_thresholds(cfg), cfg.enabled)


def pre_gate(frames: Sequence[NDArray[np.uint8]], cfg: PreGateConfig) -> GateResult:
    """Pixel-difference gate on a window's frames.

    Args:
        frames: T >= 2 (H, W) uint8 grayscale frames of one size.
        cfg: pre-gate configuration.

    Returns:
        The gate result; ``dropped`` means the pixels are static.
    """
    if len(frames) < 2:
        raise ValueError(
            f"pre-gate: expected at least 2 frames, got {len(frames)}; a window has T >= 2"
        )
    small = [gate_image(f, cfg) for f in frames]
    if any(s.shape != small[0].shape for s in small):
        shapes = sorted({s.shape for s in small})
        raise ValueError(f"pre-gate: expected frames of one size, got sizes {shapes}")
    stack = np.stack(small).astype(np.int16)
    diff = np.abs(stack[1:] - stack[:-1])
    mad = float(diff.mean()) / 255.0
    active = float(np.count_nonzero(diff >= _active_cutoff(cfg.pixel_diff_thr))) / diff.size
    return _decide(GateKind.PRE, (mad, active), _pre_thresholds(cfg), cfg.enabled)


def _step_mask(visible: NDArray[np.bool_], steps: int, points: int) -> NDArray[np.bool_]:
    vis = np.asarray(visible, dtype=bool)
    if vis.shape == (steps + 1, points):
        return vis[1:] & vis[:-1]
    if vis.shape == (steps, points):
        return vis
    raise ValueError(
        f"motion gate: expected visible of shape ({steps + 1}, {points}) per frame or "
        f"({steps}, {points}) per step, got {vis.shape}; pass Window.visible"
    )


def motion_gate(
    vel: NDArray[np.floating],
    cfg: MotionGateConfig,
    visible: NDArray[np.bool_] | None = None,
) -> GateResult:
    """Velocity gate on a window's normalised velocities (after tracking).

    Args:
        vel: (L, N, 2) normalised velocities.
        cfg: motion-gate configuration.
        visible: optional (L + 1, N) per-frame or (L, N) per-step visibility; only steps
            visible at both ends are measured.

    Returns:
        The gate result; ``dropped`` means too little motion.
    """
    v = point_speeds(vel)
    if visible is not None:
        v = v[_step_mask(visible, v.shape[0], v.shape[1])]
    thr = cfg.vel_norm_thr
    level = float(v.mean()) if v.size else 0.0
    active = float(np.count_nonzero(v > thr)) / v.size if v.size else 0.0
    return _decide(GateKind.MOTION, (level, active), (thr, thr, cfg.min_active_ratio), cfg.enabled)
