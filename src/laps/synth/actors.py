"""Things that move but are not the worker: the conveyor with its boxes, a passing colleague.

Their motion is not part of the ground truth: the belt runs all the time, and the colleague's
arm passes behind the bench at random times, idle spells included.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np
from numpy.typing import NDArray

from laps.synth.arm import Arm, random_style
from laps.synth.layout import REF_W, Frame
from laps.synth.primitives import pose
from laps.synth.trajectory import Track

Image = NDArray[np.uint8]
BOX_COLORS = ((95, 150, 190), (160, 100, 40), (140, 140, 140), (70, 120, 60))


@dataclass(frozen=True, slots=True)
class _Item:
    t0: float  # when its left edge is at x = 0
    w: int
    h: int
    y: int  # top row
    color: tuple[int, int, int]


class Belt:
    """The conveyor's motion and the boxes riding on it.

    Args:
        fr: canvas size.
        rng: the belt's random stream.
        conveyor: the conveyor knob (0 = stopped, no boxes).
        rows: (y0, y1) rows of the belt band.
        duration_s: video length.
    """

    def __init__(
        self,
        fr: Frame,
        rng: np.random.Generator,
        conveyor: float,
        rows: tuple[int, int],
        duration_s: float,
    ) -> None:
        self.speed_px_s = conveyor * 0.25 * REF_W * fr.k
        self.items: list[_Item] = []
        if self.speed_px_s <= 0:
            return
        y0, y1 = rows
        t = -fr.width / self.speed_px_s
        while t < duration_s:
            w, h = int(rng.uniform(70, 150) * fr.k), int(rng.uniform(0.45, 0.8) * (y1 - y0))
            y = y0 + int(rng.uniform(0.0, 1.0) * max(0, y1 - y0 - h))
            color = BOX_COLORS[int(rng.integers(len(BOX_COLORS)))]
            self.items.append(_Item(t, w, h, y, color))
            t += rng.uniform(0.3, 1.1) * fr.width / self.speed_px_s

    def shift(self, t: float) -> float:
        """Belt travel at time ``t``, px."""
        return self.speed_px_s * t

    def draw(self, img: Image, t: float) -> None:
        """Draw the boxes on the belt at time ``t``."""
        width = img.shape[1]
        for it in self.items:
            x = int(round(self.speed_px_s * (t - it.t0)))
            if x >= width or x + it.w <= 0:
                continue
            dark = tuple(int(c * 0.6) for c in it.color)
            cv2.rectangle(img, (x, it.y), (x + it.w, it.y + it.h), dark, -1)
            e = max(2, it.h // 12)
            cv2.rectangle(img, (x + e, it.y + e), (x + it.w - e, it.y + it.h - e), it.color, -1)
            mid = it.y + it.h // 2
            cv2.line(img, (x + e, mid), (x + it.w - e, mid), (150, 200, 215), max(1, e))


@dataclass(frozen=True, slots=True)
class _Pass:
    t0: float
    t1: float
    arm: Arm
    track: Track


class Distractor:
    """A colleague's arm reaching in over the far side of the belt, now and then.

    Args:
        fr: canvas size.
        rng: the distractor's random stream.
        per_minute: mean passes per minute (0 = never).
        duration_s: video length.
    """

    def __init__(
        self, fr: Frame, rng: np.random.Generator, per_minute: float, duration_s: float
    ) -> None:
        self.passes: list[_Pass] = []
        if per_minute <= 0:
            return
        t = rng.exponential(60.0 / per_minute)
        while t < duration_s:
            self.passes.append(self._make(fr, rng, t))
            t = self.passes[-1].t1 + rng.exponential(60.0 / per_minute)

    @staticmethod
    def _make(fr: Frame, rng: np.random.Generator, t0: float) -> _Pass:
        us = float(rng.uniform(0.15, 0.85))
        arm = Arm(fr, (us, -0.45), int(rng.choice([-1, 1])), random_style(rng), oblique=False)
        out = pose(us + rng.uniform(-0.05, 0.05), -0.3, 0.0, 0.0, 0.3)
        at = pose(us + rng.uniform(-0.15, 0.15), rng.uniform(0.06, 0.18), 0.0, 0.0, 0.1)
        slide = at.copy()
        slide[0] += rng.uniform(-0.08, 0.08)
        slide[4] = 0.9
        steps = rng.uniform([0.7, 0.3, 0.5, 0.7], [1.2, 1.0, 1.2, 1.2])  # in, hold, slide, out
        times = np.cumsum([t0, *steps])
        poses = np.stack([out, at, at, slide, out])
        track = Track(times, poses, np.zeros_like(poses), [])
        return _Pass(float(times[0]), float(times[-1]), arm, track)

    def draw(self, img: Image, t: float) -> None:
        """Draw the colleague's arm if a pass is under way at ``t``."""
        for p in self.passes:
            if p.t0 <= t < p.t1:
                p.arm.draw(img, p.arm.solve(p.track.sample(t)[0]))
