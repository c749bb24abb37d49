"""The static workbench, rendered once per video.

Textured bench, mat, fixture, part bins with piles of parts, clutter and lamp light; the
belt texture that scrolls; the foreground occluders.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import cast

import cv2
import numpy as np
from numpy.typing import NDArray

from laps.synth.layout import BINS, CONVEYOR_V, FIXTURE, FIXTURE_SIZE, MAT, SLOTS, Frame
from laps.synth.occluders import Occluder, cut, draw_occluders
from laps.synth.parts import PART_SIZE, draw_part

Image = NDArray[np.uint8]
BENCH_COLORS = ((150, 185, 205), (70, 100, 135), (168, 168, 162), (150, 135, 110))
BIN_COLORS = ((180, 90, 30), (40, 40, 190), (30, 170, 210), (60, 140, 60), (90, 90, 95))
MAT_COLORS = ((60, 95, 55), (95, 80, 60), (70, 70, 70))


def smooth_noise(rng: np.random.Generator, h: int, w: int, cells: int) -> NDArray[np.float32]:
    """Low-frequency noise in [0, 1]: a coarse random grid, upsampled bicubically."""
    grid = rng.random((max(2, cells * h // max(w, 1) + 2), cells + 2)).astype(np.float32)
    return np.clip(cv2.resize(grid, (w, h), interpolation=cv2.INTER_CUBIC), 0.0, 1.0)


def _bench(rng: np.random.Generator, h: int, w: int, k: float) -> Image:
    base = np.array(BENCH_COLORS[int(rng.integers(len(BENCH_COLORS)))], np.float32)
    warp = smooth_noise(rng, h, w, 6)
    y = np.arange(h, dtype=np.float32)[:, None] / (9.0 * k)
    grain = 0.5 + 0.5 * np.sin(y + 5.0 * warp + 0.3 * smooth_noise(rng, h, w, 40))
    blotch = smooth_noise(rng, h, w, 12)
    light = 0.9 + 0.07 * grain**3 + 0.08 * (blotch - 0.5)
    fine = rng.normal(0.0, 3.0, (h, w, 1)).astype(np.float32)
    return np.clip(light[..., None] * base + fine, 0, 255).astype(np.uint8)


def _mat(img: Image, fr: Frame, rng: np.random.Generator) -> None:
    (u0, v0), (u1, v1) = MAT
    x0, y0 = (int(c) for c in fr.px(u0, v0))
    x1, y1 = (int(c) for c in fr.px(u1, v1))
    color = MAT_COLORS[int(rng.integers(len(MAT_COLORS)))]
    cv2.rectangle(img, (x0, y0), (x1, y1), color, -1, cv2.LINE_AA)
    step = max(6, int(24 * fr.k))
    light = tuple(min(255, c + 35) for c in color)
    for x in range(x0 + step, x1, step):
        cv2.line(img, (x, y0), (x, y1), light, 1)
    for y in range(y0 + step, y1, step):
        cv2.line(img, (x0, y), (x1, y), light, 1)
    cv2.rectangle(img, (x0, y0), (x1, y1), tuple(c // 2 for c in color), max(1, int(3 * fr.k)))


def _block(img: Image, rect: tuple[int, ...], color: tuple[int, int, int], k: float) -> None:
    """A raised block: drop shadow, body, lit top-left edges, dark bottom-right edges."""
    x0, y0, x1, y1 = rect
    s = max(2, int(10 * k))
    shadow = img[y0 + s : y1 + s, x0 + s : x1 + s]
    shadow[:] = (shadow * 0.6).astype(np.uint8)
    cv2.rectangle(img, (x0, y0), (x1, y1), color, -1)
    e = max(1, int(4 * k))
    hi, lo = tuple(min(255, int(c * 1.3)) for c in color), tuple(int(c * 0.55) for c in color)
    cv2.rectangle(img, (x0, y0), (x1, y0 + e), hi, -1)
    cv2.rectangle(img, (x0, y0), (x0 + e, y1), hi, -1)
    cv2.rectangle(img, (x0, y1 - e), (x1, y1), lo, -1)
    cv2.rectangle(img, (x1 - e, y0), (x1, y1), lo, -1)


def _fixture(img: Image, fr: Frame) -> None:
    x0, y0, x1, y1 = fr.rect(FIXTURE, FIXTURE_SIZE)
    _block(img, (x0, y0, x1, y1), (165, 162, 160), fr.k)
    r = max(2, int(9 * fr.k))
    for du, dv in (s for slots in SLOTS.values() for s in slots if s != (0.0, 0.0)):
        x, y = (int(c) for c in fr.px(FIXTURE[0] + du, FIXTURE[1] + dv))
        cv2.circle(img, (x, y), r + 2, (200, 200, 200), -1, cv2.LINE_AA)
        cv2.circle(img, (x, y), r, (40, 40, 45), -1, cv2.LINE_AA)
    m = max(3, int(12 * fr.k))
    for x, y in ((x0 + m, y0 + m), (x1 - m, y0 + m), (x0 + m, y1 - m), (x1 - m, y1 - m)):
        cv2.circle(img, (x, y), max(2, int(6 * fr.k)), (110, 110, 115), -1, cv2.LINE_AA)
        cv2.line(img, (x - 3, y), (x + 3, y), (60, 60, 60), 1)
    cv2.rectangle(img, (x1 - 5 * m, y1 - 2 * m), (x1 - 2 * m, y1 - m), (40, 200, 230), -1)


def _bins(img: Image, fr: Frame, rng: np.random.Generator) -> None:
    for b in BINS:
        x0, y0, x1, y1 = fr.rect(b.center, b.size)
        color = BIN_COLORS[int(rng.integers(len(BIN_COLORS)))]
        _block(img, (x0, y0, x1, y1), color, fr.k)
        wall = max(3, int(11 * fr.k))
        for i in range(4):  # inner walls darken toward the floor
            f = 0.75 - 0.08 * i
            inset = wall + i * max(1, wall // 3)
            cv2.rectangle(img, (x0 + inset, y0 + inset), (x1 - inset, y1 - inset),
                          tuple(int(c * f) for c in color), -1)  # fmt: skip
        inner = (x0 + 2 * wall, y0 + 2 * wall, x1 - 2 * wall, y1 - 2 * wall)
        hx, hy = PART_SIZE[b.part]
        fill = (x1 - x0) * (y1 - y0) / (4 * hx * hy * fr.k**2)  # parts that tile the bin
        for _ in range(int(np.clip(fill * rng.uniform(0.5, 0.8), 5, 24))):
            fx, fy = rng.random(2)  # (not uniform(lo, hi): tiny frames give lo > hi)
            x, y = inner[0] + fx * (inner[2] - inner[0]), inner[1] + fy * (inner[3] - inner[1])
            draw_part(img, b.part, (x, y), float(rng.uniform(0, 2 * math.pi)), fr.k * 0.95)


def _clutter(img: Image, fr: Frame, rng: np.random.Generator) -> None:
    """A work-instruction sheet and a screwdriver in the free front corners."""
    k = fr.k
    x, y = fr.px(rng.uniform(0.03, 0.1), rng.uniform(0.8, 0.84))
    w, h = int(150 * k), int(105 * k)
    sheet = np.array([[0, 0], [w, 0], [w, h], [0, h]], np.float64)
    a = rng.uniform(-0.2, 0.2)
    rot = np.array([[math.cos(a), math.sin(a)], [-math.sin(a), math.cos(a)]])
    cv2.fillConvexPoly(img, np.round(sheet @ rot + (x, y)).astype(np.int32), (232, 236, 238))
    for i in range(6):
        line = np.array(
            [[10 * k, (14 + 14 * i) * k], [(60 + 70 * rng.random()) * k, (14 + 14 * i) * k]]
        )
        p = np.round(line @ rot + (x, y)).astype(np.int32)
        cv2.line(img, tuple(p[0]), tuple(p[1]), (120, 120, 120), max(1, int(3 * k)))
    hx, hy = fr.px(rng.uniform(0.8, 0.9), rng.uniform(0.86, 0.92))
    d = np.array([math.cos(a + 0.4), math.sin(a + 0.4)]) * 60 * k
    p0, p1 = (int(hx), int(hy)), (int(hx + d[0]), int(hy + d[1]))
    cv2.line(img, p0, p1, (30, 30, 200), max(2, int(18 * k)), cv2.LINE_AA)
    p2 = (int(hx + 2.2 * d[0]), int(hy + 2.2 * d[1]))
    cv2.line(img, p1, p2, (185, 185, 190), max(1, int(5 * k)), cv2.LINE_AA)


def _light_gain(rng: np.random.Generator, h: int, w: int) -> NDArray[np.float32]:
    """(H, W, 3) gain of a lamp above the bench: a broad spot, dim corners, a warm tint."""
    cx, cy = rng.uniform(0.35, 0.65) * w, rng.uniform(0.2, 0.5) * h
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    spot = np.exp(-(((xx - cx) / (0.6 * w)) ** 2 + ((yy - cy) / (0.7 * h)) ** 2))
    tint = np.array([1.0, 1.0, rng.uniform(0.95, 1.08)], np.float32)
    return (0.72 + 0.38 * spot)[..., None] * tint


def _lit(img: Image, gain: NDArray[np.float32]) -> Image:
    return np.clip(img * gain, 0, 255).astype(np.uint8)


def _belt_strip(rng: np.random.Generator, h: int, w: int, k: float) -> Image:
    """A periodic rubber belt texture; columns [0, w) repeat at column w."""
    period = w
    strip = np.full((h, period, 3), 58, np.float32)
    strip += rng.normal(0.0, 6.0, (h, period, 1)).astype(np.float32)
    strip *= (0.85 + 0.3 * smooth_noise(rng, h, period, 16))[..., None]
    rib = max(4, int(22 * k))
    strip[:, ::rib] += 22
    strip[:, 1::rib] += 10
    for _ in range(int(rng.integers(4, 9))):  # scuffs
        x, y = int(rng.integers(0, period)), int(rng.integers(0, h))
        cv2.ellipse(strip, (x, y), (int(rng.integers(6, 30) * k) + 1, int(3 * k) + 1), 0, 0, 360,
                    (95, 95, 95), -1)  # fmt: skip
    strip = np.clip(strip, 0, 255).astype(np.uint8)
    return np.concatenate([strip, strip[:, : w + 2]], axis=1)


@dataclass(frozen=True, slots=True)
class Scene:
    """Everything static of one video, at canvas resolution.

    Attributes:
        background: (H, W, 3) BGR bench with everything that never moves.
        belt: (belt_h, 2W + 2, 3) belt texture, periodic with period W columns.
        belt_rows: (y0, y1) rows of the belt band on the canvas.
        cables: occluders that hang above everything.
        low: per bin of :data:`BINS`, what hides a hand down in that bin (pile tops, the near
            wall in the oblique view), or None.
    """

    background: Image
    belt: Image
    belt_rows: tuple[int, int]
    cables: tuple[Occluder | None, ...]
    low: tuple[Occluder | None, ...]

    def draw_belt(self, img: Image, shift_px: float) -> None:
        """Paste the belt band, moved ``shift_px`` to the right (sub-pixel, blended)."""
        w = img.shape[1]
        off = (-shift_px) % w
        i, f = int(off), off - int(off)
        a, b = self.belt[:, i : i + w], self.belt[:, i + 1 : i + 1 + w]
        y0, y1 = self.belt_rows
        cv2.addWeighted(a, 1.0 - f, b, f, 0.0, dst=img[y0:y1])


def _blend(front: Image, back: Image, weight: float) -> Image:
    return cast(Image, cv2.addWeighted(front, weight, back, 1.0 - weight, 0.0))


def build_scene(
    fr: Frame,
    rng: np.random.Generator,
    occlusion: float,
    oblique: bool,
    backdrop: tuple[Image, float] | None = None,
) -> Scene:
    """Render the static scene of one video.

    Args:
        fr: canvas size.
        rng: the scene's random stream.
        occlusion: the occlusion knob, 0..1.
        oblique: the camera looks across the bench (bin front walls hide hands).
        backdrop: (a (H, W, 3) still, its weight 0..1) blended into the bench texture; the
            mat is then drawn half transparent over it (suite v2).
    """
    h, w, k = fr.height, fr.width, fr.k
    img = _bench(rng, h, w, k)
    if backdrop is not None:
        img = _blend(backdrop[0], img, backdrop[1])
    y0, y1 = int(CONVEYOR_V[0] * h), int(CONVEYOR_V[1] * h)
    img[:y0] = (img[:y0] * 0.35).astype(np.uint8)
    if backdrop is None:
        _mat(img, fr, rng)
    else:
        mat = img.copy()
        _mat(mat, fr, rng)
        img = _blend(mat, img, 0.5)
    _fixture(img, fr)
    _bins(img, fr, rng)
    _clutter(img, fr, rng)
    masks = draw_occluders(img, fr, rng, occlusion, oblique)
    gain = _light_gain(rng, h, w)
    img = _lit(img, gain)
    cables = cut(_lit(masks.cable_layer, gain), masks.cables)
    low = cut(img, masks.low)
    rail = max(2, int(8 * k))
    img[y0 - rail : y0] = (150, 150, 155)
    img[y1 : y1 + rail] = (120, 120, 125)
    belt = _belt_strip(rng, y1 - y0, w, k)
    return Scene(img, belt, (y0, y1), cables, low)
