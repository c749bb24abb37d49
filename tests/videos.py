"""Tiny synthetic test videos with known motion intervals, written with PyAV."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import av
import cv2
import numpy as np


def texture(h: int, w: int, seed: int) -> np.ndarray:
    rng = np.random.default_rng(seed)
    noise = rng.uniform(0, 255, (h, w)).astype(np.float32)
    blurred = cv2.GaussianBlur(noise, (0, 0), 2.0)
    lo, hi = np.percentile(blurred, (1, 99))
    return np.clip((blurred - lo) * 255.0 / (hi - lo), 0, 255).astype(np.uint8)


def render_motion_video(
    path: Path,
    *,
    seconds: float = 12.0,
    fps: int = 30,
    size_wh: tuple[int, int] = (320, 240),
    patch_px: int = 96,
    active: Sequence[tuple[float, float]] = ((2.0, 5.0), (7.0, 10.0)),
    speed_px_s: float = 250.0,
    seed: int = 0,
) -> Path:
    """A static textured scene where a textured patch moves only inside ``active`` intervals.

    The patch follows a circle while active and rests otherwise, so velocity energy is high
    exactly in the active intervals (seconds, half-open).
    """
    w, h = size_wh
    bg = texture(h, w, seed)
    patch = texture(patch_px, patch_px, seed + 1)
    half, radius = patch_px // 2, min(w, h) / 4
    n = int(round(seconds * fps))
    with av.open(str(path), "w") as out:
        stream = out.add_stream("libx264", rate=fps)
        stream.width, stream.height, stream.pix_fmt = w, h, "yuv420p"
        stream.options = {"crf": "18", "preset": "ultrafast"}
        phase = 0.0
        for i in range(n):
            t = i / fps
            if any(a <= t < b for a, b in active):
                phase += speed_px_s / fps / radius
            x = int(w / 2 - half + radius * np.cos(phase))
            y = int(h / 2 - half + radius * np.sin(phase))
            img = bg.copy()
            img[y : y + patch_px, x : x + patch_px] = patch
            frame = av.VideoFrame.from_ndarray(np.dstack([img] * 3), format="rgb24")
            frame.pts = i
            for packet in stream.encode(frame):
                out.mux(packet)
        for packet in stream.encode():
            out.mux(packet)
    return path
