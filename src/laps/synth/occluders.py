"""Foreground occluders.

Hanging tool cables are above everything; low occluders (parts on top of the bin piles, the
near walls of bins seen obliquely) hide a hand only while it is down in a bin.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np
from numpy.typing import NDArray

from laps.synth.layout import BINS, Frame
from laps.synth.parts import draw_part

Image = NDArray[np.uint8]


@dataclass(frozen=True, slots=True)
class Occluder:
    """A sprite pasted over the frame: top-left corner, pixels, and a 0/1 mask."""

    x0: int
    y0: int
    image: Image
    mask: NDArray[np.uint8]

    def paste(self, img: Image) -> None:
        """Copy the sprite's masked pixels onto ``img`` in place."""
        h, w = self.mask.shape
        cv2.copyTo(self.image, self.mask, img[self.y0 : self.y0 + h, self.x0 : self.x0 + w])


@dataclass(slots=True)
class OccluderMasks:
    """Masks drawn before the scene is lit; pixels are cut from the lit layers later.

    ``low`` has one mask per bin of :data:`BINS` (or none at all).
    """

    cable_layer: Image
    cables: list[NDArray[np.uint8]]
    low: list[NDArray[np.uint8]]


def _bezier(p: NDArray[np.float64], n: int = 40) -> NDArray[np.int32]:
    t = np.linspace(0, 1, n)[:, None]
    pts = (1 - t) ** 3 * p[0] + 3 * (1 - t) ** 2 * t * p[1] + 3 * (1 - t) * t**2 * p[2]
    pts += t**3 * p[3]
    return np.round(pts).astype(np.int32)


def _cable(
    img: Image, layer: Image, fr: Frame, rng: np.random.Generator, target: tuple[float, float]
) -> NDArray[np.uint8]:
    """A tool-balancer hose from the top edge to a hanging tool; returns its mask."""
    k, (tx, ty) = fr.k, fr.px(*target)
    sx = tx + rng.uniform(-0.15, 0.15) * fr.width
    ctrl = np.array([[sx, -20.0], [sx, ty * 0.5], [tx, ty * 0.6], [tx, ty]])
    line = _bezier(ctrl)
    thick = max(2, int(14 * k))
    shade = img.copy()
    cv2.polylines(shade, [line + int(18 * k)], False, (0, 0, 0), thick, cv2.LINE_AA)
    cv2.addWeighted(img, 0.6, shade, 0.4, 0.0, dst=img)
    mask = np.zeros(img.shape[:2], np.uint8)
    cv2.polylines(layer, [line], False, (35, 35, 38), thick, cv2.LINE_AA)
    cv2.polylines(layer, [line - max(1, thick // 4)], False, (90, 90, 95), max(1, thick // 4))
    cv2.polylines(mask, [line], False, 1, thick)
    tool = np.array([tx, ty]) + np.array([0.0, 70 * k])
    cv2.line(layer, (int(tx), int(ty)), (int(tool[0]), int(tool[1])), (40, 40, 170), int(30 * k))
    cv2.line(mask, (int(tx), int(ty)), (int(tool[0]), int(tool[1])), 1, int(30 * k))
    return mask


def _pile_tops(img: Image, fr: Frame, rng: np.random.Generator, n: int) -> list[NDArray[np.uint8]]:
    """Extra parts on top of each pile, near where hands pick; returns one mask per bin."""
    masks = []
    for b in BINS:
        top = np.zeros_like(img)
        for _ in range(n):
            uv = np.asarray(b.center) + rng.uniform(-0.3, 0.3, 2) * np.asarray(b.size)
            x, y = fr.px(float(uv[0]), float(uv[1]))
            draw_part(top, b.part, (x, y), float(rng.uniform(0, 6.3)), fr.k)
        mask: NDArray[np.uint8] = np.any(top, axis=2).astype(np.uint8)
        cv2.copyTo(top, mask, img)
        masks.append(mask)
    return masks


def _front_wall(fr: Frame, rect: tuple[int, ...], mask: NDArray[np.uint8]) -> None:
    """Add a bin's near wall to ``mask``: seen obliquely, it hides a hand inside the bin."""
    x0, _, x1, y1 = rect
    mask[max(0, y1 - int(24 * fr.k)) : y1, x0:x1] = 1


def draw_occluders(
    img: Image, fr: Frame, rng: np.random.Generator, occlusion: float, oblique: bool
) -> OccluderMasks:
    """Draw occluders (cable shadows and pile tops into ``img``, cables into a layer).

    Args:
        img: the unlit background, drawn on in place.
        fr: canvas size.
        rng: the scene's random stream.
        occlusion: the occlusion knob, 0..1 (0: none; 0.5 and up: two cables).
        oblique: add the bins' near walls to the low occluders.
    """
    layer = img.copy()
    if occlusion <= 0:
        return OccluderMasks(layer, [], [])
    targets = [(rng.uniform(0.4, 0.6), rng.uniform(0.3, 0.42))]
    if occlusion >= 0.5:
        targets.append((rng.uniform(0.74, 0.9), rng.uniform(0.3, 0.5)))
    cables = [_cable(img, layer, fr, rng, t) for t in targets]
    low = _pile_tops(img, fr, rng, max(1, round(6 * occlusion)))
    if oblique:
        for b, mask in zip(BINS, low, strict=True):
            _front_wall(fr, fr.rect(b.center, b.size), mask)
    return OccluderMasks(layer, cables, low)


def cut(layer: Image, masks: list[NDArray[np.uint8]]) -> tuple[Occluder | None, ...]:
    """Sprites of ``layer`` pixels under each mask, cropped to the mask's bounding box.

    An empty mask gives None, so the result stays aligned with ``masks``.
    """
    out: list[Occluder | None] = []
    for mask in masks:
        x, y, w, h = cv2.boundingRect(mask)
        if not (w and h):
            out.append(None)
            continue
        crop = np.ascontiguousarray(layer[y : y + h, x : x + w])
        out.append(Occluder(x, y, crop, np.ascontiguousarray(mask[y : y + h, x : x + w])))
    return tuple(out)
