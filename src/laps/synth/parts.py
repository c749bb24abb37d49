"""Workpieces: how each part type is drawn, and where every part is at any time.

Parts are taken from bins (attach), carried in the hand, released onto the fixture, taken
off the fixture together as one assembly (unload) and dropped onto the belt, which carries
them out of view.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import cv2
import numpy as np
from numpy.typing import NDArray

from laps.synth.script import PartEvent

Color = tuple[int, int, int]
# Grip pose of an arm at a time: (x px, y px, angle rad, scale).
GripFn = Callable[[int, float], tuple[float, float, float, float]]

PART_COLORS: dict[str, tuple[Color, Color]] = {  # (base, dark) BGR
    "plate": ((150, 140, 125), (95, 88, 80)),
    "bracket": ((40, 140, 225), (20, 80, 150)),
    "pin": ((60, 170, 200), (30, 100, 130)),
    "screw": ((95, 95, 100), (45, 45, 50)),
}
# Half extents (ref px) of each part's outline in its own frame.
PART_SIZE: dict[str, tuple[float, float]] = {
    "plate": (40.0, 32.0),
    "bracket": (18.0, 13.0),
    "pin": (17.0, 5.5),
    "screw": (9.0, 9.0),
}


def _rot(points: NDArray[np.float64], angle: float) -> NDArray[np.float64]:
    c, s = math.cos(angle), math.sin(angle)
    return points @ np.array([[c, s], [-s, c]])


def _outline(kind: str) -> NDArray[np.float64]:
    """Unit outline polygon of a part type, in its own frame (ref px)."""
    hx, hy = PART_SIZE[kind]
    if kind == "bracket":
        return np.array([[-hx, -hy], [hx, -hy], [hx, -hy * 0.2], [-hx * 0.2, -hy * 0.2],
                         [-hx * 0.2, hy], [-hx, hy]])  # fmt: skip
    if kind == "screw":
        a = np.arange(6) * math.pi / 3
        return np.stack([np.cos(a) * hx, np.sin(a) * hy], axis=1)
    return np.array([[-hx, -hy], [hx, -hy], [hx, hy], [-hx, hy]])


def draw_part(
    img: NDArray[np.uint8], kind: str, center: tuple[float, float], angle: float, scale: float
) -> None:
    """Draw one part, shaded, at ``center`` px, rotated by ``angle``, scaled by ``scale``."""
    base, dark = PART_COLORS[kind]
    pts = _rot(_outline(kind) * scale, angle) + np.asarray(center)
    poly = np.round(pts * 16).astype(np.int32)
    cv2.fillPoly(img, [poly], dark, cv2.LINE_AA, shift=4)
    inner = _rot(_outline(kind) * scale * 0.8, angle) + np.asarray(center) - scale
    cv2.fillPoly(img, [np.round(inner * 16).astype(np.int32)], base, cv2.LINE_AA, shift=4)
    cx, cy = int(center[0]), int(center[1])
    if kind == "plate":
        for hx, hy in ((-0.6, -0.55), (0.6, -0.55), (-0.6, 0.55), (0.6, 0.55)):
            p = _rot(np.array([[hx * 40, hy * 32]]) * scale, angle)[0]
            cv2.circle(img, (int(cx + p[0]), int(cy + p[1])), max(1, int(4 * scale)), dark, -1)
    elif kind == "screw":
        d = _rot(np.array([[6.0, 0.0]]) * scale, angle)[0]
        p0, p1 = (int(cx - d[0]), int(cy - d[1])), (int(cx + d[0]), int(cy + d[1]))
        cv2.line(img, p0, p1, dark, max(1, int(2 * scale)))
    elif kind == "pin":
        d = _rot(np.array([[-10.0, -2.0]]) * scale, angle)[0]
        cv2.line(img, (cx, cy), (int(cx + d[0]), int(cy + d[1])), (150, 230, 240), 1)


@dataclass(slots=True)
class _Part:
    kind: str
    t_attach: float
    arm: int
    hold_angle: float = 0.0  # part angle minus hand angle while carried from the bin
    offset: tuple[float, float] = (0.0, 0.0)  # in the grip frame, px
    rel_angle: float = 0.0
    t_release: float = math.inf
    fixed: tuple[float, float, float] = (0.0, 0.0, 0.0)  # x, y, angle after release
    t_unload: float = math.inf
    unload_arm: int = 0
    t_drop: float = math.inf
    dropped: tuple[float, float, float] = (0.0, 0.0, 0.0)  # x, y, angle on the belt


def _grip_frame(x: float, y: float, a: float, px: float, py: float) -> tuple[float, float]:
    """Offset of a point in the frame of a grip at (x, y) turned by a."""
    d = _rot(np.array([[px - x, py - y]]), -a)[0]
    return float(d[0]), float(d[1])


class PartWorld:
    """Every part's pose over time, from the script's part events.

    Args:
        events: part events in time order.
        grip: grip pose of an arm at a time (drawn hand, after inverse kinematics).
        belt_px_s: belt speed in canvas px per second (dropped assemblies ride on it).
        scale: length scale of the drawing (px per ref px).
    """

    def __init__(
        self, events: tuple[PartEvent, ...], grip: GripFn, belt_px_s: float, scale: float
    ) -> None:
        self.parts: list[_Part] = []
        self.belt_px_s, self.scale, self.grip = belt_px_s, scale, grip
        self._held: dict[int, list[int]] = {}
        self._on_fixture: list[int] = []
        for i, ev in enumerate(events):
            release = next((e for e in events[i:] if e.arm == ev.arm and e.kind == "release"), None)
            self._apply(ev, release)

    def _apply(self, ev: PartEvent, release: PartEvent | None) -> None:
        x, y, a, _ = self.grip(ev.arm, ev.t)
        if ev.kind == "attach":
            self._held[ev.arm] = [len(self.parts)]
            part = _Part(ev.part, ev.t, ev.arm)
            if release is not None:  # held askew so that it lands square on the fixture
                a_r = self.grip(ev.arm, release.t)[2]
                part.hold_angle = round(a_r / (math.pi / 2)) * (math.pi / 2) - a_r
            self.parts.append(part)
        elif ev.kind == "release":
            for i in self._held.pop(ev.arm, []):
                p = self.parts[i]
                p.t_release, p.fixed = ev.t, (x, y, a + p.hold_angle)
                self._on_fixture.append(i)
        elif ev.kind == "unload":
            for i in self._on_fixture:
                p = self.parts[i]
                p.t_unload, p.unload_arm = ev.t, ev.arm
                p.offset = _grip_frame(x, y, a, p.fixed[0], p.fixed[1])
                p.rel_angle = p.fixed[2] - a
            self._held[ev.arm], self._on_fixture = self._on_fixture, []
        elif ev.kind == "drop":
            for i in self._held.pop(ev.arm, []):
                p = self.parts[i]
                ox, oy = _rot(np.array([p.offset]), a)[0]
                p.t_drop, p.dropped = ev.t, (x + ox, y + oy, a + p.rel_angle)

    def poses(self, t: float, width: int) -> tuple[list[tuple], list[tuple]]:
        """Parts visible at ``t``: (lying, held), each (kind, (x, y), angle, scale, arm)."""
        lying: list[tuple] = []
        held: list[tuple] = []
        for p in self.parts:
            if t < p.t_attach:
                continue
            if t >= p.t_drop:
                x = p.dropped[0] + self.belt_px_s * (t - p.t_drop)
                if x - 60 * self.scale < width:
                    lying.append((p.kind, (x, p.dropped[1]), p.dropped[2], self.scale, -1))
            elif p.t_release <= t < p.t_unload:
                lying.append((p.kind, p.fixed[:2], p.fixed[2], self.scale, -1))
            elif t < p.t_release:  # carried from the bin, between the fingers
                x, y, a, s = self.grip(p.arm, t)
                held.append((p.kind, (x, y), a + p.hold_angle, self.scale * s, p.arm))
            else:  # carried off the fixture as part of the assembly
                x, y, a, s = self.grip(p.unload_arm, t)
                ox, oy = _rot(np.array([p.offset]) * s, a)[0]
                held.append(
                    (p.kind, (x + ox, y + oy), a + p.rel_angle, self.scale * s, p.unload_arm)
                )
        return lying, held
