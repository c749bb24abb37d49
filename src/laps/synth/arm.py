"""An articulated arm: two-link inverse kinematics and a shaded drawing of arm and hand.

The shoulder sits outside the frame; the hand's grip point follows the script's pose. The
arm is drawn as tapered tubes (upper arm and forearm in a textured sleeve, the bare forearm
below the cuff) with a hand of palm, four two-joint fingers and a thumb that close with
the grip value.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import cv2
import numpy as np
from numpy.typing import NDArray

from laps.synth.layout import ARM_LENGTHS, Frame
from laps.synth.trajectory import GRIP, ROT, Z

Color = tuple[int, int, int]
Image = NDArray[np.uint8]
SKINS: tuple[Color, ...] = ((120, 160, 215), (95, 135, 190), (70, 100, 150), (150, 185, 225))
GLOVES: tuple[Color, ...] = ((190, 120, 40), (70, 70, 75), (60, 160, 200))
SLEEVES: tuple[Color, ...] = ((120, 70, 30), (50, 50, 55), (40, 90, 40), (150, 150, 150))
LIFT_PX = 70.0  # oblique view: image rise of the hand at z = 1, ref px


def _shade(c: Color, f: float) -> Color:
    return (min(255, int(c[0] * f)), min(255, int(c[1] * f)), min(255, int(c[2] * f)))


@dataclass(frozen=True, slots=True)
class ArmStyle:
    """Colours and texture of one worker's arm."""

    sleeve: Color
    skin: Color  # skin or glove
    cuff_frac: float  # where the sleeve ends along the forearm (1 = at the wrist)
    folds: tuple[float, ...]  # fractions along the limbs where sleeve folds are drawn
    stripes: bool


def random_style(rng: np.random.Generator) -> ArmStyle:
    """A random worker: sleeve colour, skin or glove, sleeve length, fold pattern."""
    gloved = rng.random() < 0.4
    pool = GLOVES if gloved else SKINS
    return ArmStyle(
        sleeve=SLEEVES[int(rng.integers(len(SLEEVES)))],
        skin=pool[int(rng.integers(len(pool)))],
        cuff_frac=float(rng.uniform(0.75, 1.0) if gloved else rng.uniform(0.35, 0.9)),
        folds=tuple(sorted(rng.uniform(0.1, 0.9, int(rng.integers(3, 7))).tolist())),
        stripes=bool(rng.random() < 0.3),
    )


@dataclass(frozen=True, slots=True)
class ArmGeom:
    """Solved joint positions (canvas px) of one arm at one pose."""

    shoulder: NDArray[np.float64]
    elbow: NDArray[np.float64]
    wrist: NDArray[np.float64]
    grip: NDArray[np.float64]  # where the hand actually is (reach may fall short)
    angle: float  # hand direction, rad
    scale: float  # drawing scale of hand and forearm (height above the bench)
    closure: float
    z: float


class Arm:
    """Kinematics and drawing of one arm.

    Args:
        frame: canvas size.
        shoulder: shoulder position in bench units (outside the frame).
        bend: +1 if the elbow bends to the right of the shoulder-wrist line, else -1.
        style: colours and texture.
        oblique: lift the hand upward in the image as it rises (oblique camera).
    """

    def __init__(
        self, frame: Frame, shoulder: tuple[float, float], bend: int, style: ArmStyle, oblique: bool
    ) -> None:
        self.k = frame.k
        self.shoulder = np.array(frame.px(*shoulder))
        self.l1, self.l2, self.l3 = (x * self.k for x in ARM_LENGTHS)
        self.frame, self.bend, self.style, self.oblique = frame, bend, style, oblique
        self.side = -bend  # thumb side

    def solve(self, pose: NDArray[np.float64]) -> ArmGeom:
        """Joint positions for a pose ``(u, v, z, rot, grip)``."""
        z = float(pose[Z])
        g = np.array(self.frame.px(float(pose[0]), float(pose[1])))
        if self.oblique:
            g[1] -= z * LIFT_PX * self.k
        scale = 1.0 + (0.15 if self.oblique else 0.25) * z
        natural = math.atan2(g[1] - self.shoulder[1], g[0] - self.shoulder[0])
        angle = natural + float(pose[ROT])
        hand = np.array([math.cos(angle), math.sin(angle)]) * self.l3 * scale
        wrist = g - hand
        shoulder, d_vec, d = self._lean(wrist)
        reach = (self.l1 + self.l2) * 0.999
        if d > reach:
            wrist = shoulder + d_vec / d * reach
            d = reach
        a = math.atan2(d_vec[1], d_vec[0])
        cos_b = (self.l1**2 + d**2 - self.l2**2) / (2 * self.l1 * max(d, 1e-6))
        b = math.acos(min(1.0, max(-1.0, cos_b)))
        elbow = shoulder + self.l1 * np.array(
            [math.cos(a + self.bend * b), math.sin(a + self.bend * b)]
        )
        return ArmGeom(shoulder, elbow, wrist, wrist + hand, angle, scale, float(pose[GRIP]), z)

    def _lean(
        self, wrist: NDArray[np.float64]
    ) -> tuple[NDArray[np.float64], NDArray[np.float64], float]:
        """Shoulder, shoulder-to-wrist vector and distance, leaning back for near work.

        The shoulder backs off along the arm line so that the elbow does not stick out.
        """
        d_vec = wrist - self.shoulder
        d = max(float(np.hypot(*d_vec)), 1e-6)
        back = min(max(0.85 * (self.l1 + self.l2) - d, 0.0), 260 * self.k)
        shoulder = self.shoulder - d_vec / d * back
        return shoulder, d_vec / d * (d + back), d + back

    def draw(self, img: NDArray[np.uint8], g: ArmGeom) -> None:
        """Draw the arm, sleeve and hand onto ``img`` in place."""
        k, st = self.k, self.style
        cuff = g.elbow + (g.wrist - g.elbow) * st.cuff_frac
        w_elbow, w_wrist = 70 * k, 50 * k * g.scale
        w_cuff = w_elbow + (w_wrist - w_elbow) * st.cuff_frac
        _tube(img, g.elbow, g.wrist, (w_elbow * 0.92, w_wrist), st.skin)
        _tube(img, g.shoulder, g.elbow, (82 * k, 76 * k), st.sleeve)
        _tube(img, g.elbow, cuff, (76 * k, w_cuff * 1.1), st.sleeve, cap=False)
        self._sleeve_texture(img, g, cuff, w_cuff)
        _band(img, cuff, g.elbow, (w_cuff * 1.12, 7 * k), _shade(st.sleeve, 0.6))
        self._hand(img, g)

    def _sleeve_texture(
        self, img: NDArray[np.uint8], g: ArmGeom, cuff: NDArray[np.float64], w_cuff: float
    ) -> None:
        k, dark = self.k, _shade(self.style.sleeve, 0.7)
        for f in self.style.folds:
            upper = g.shoulder + (g.elbow - g.shoulder) * (0.4 + 0.6 * f)
            _band(img, upper, g.shoulder, (80 * k, 2 * k), dark)
            _band(img, g.elbow + (cuff - g.elbow) * f, g.elbow, (w_cuff * 1.05, 2 * k), dark)
        if self.style.stripes:
            light = _shade(self.style.sleeve, 1.5)
            for f in np.linspace(0.15, 0.85, 4):
                at = g.elbow + (cuff - g.elbow) * f
                _band(img, at, g.elbow, (w_cuff * 1.05, 5 * k), light)

    def _hand(self, img: NDArray[np.uint8], g: ArmGeom) -> None:
        k, s, c = self.k, g.scale, g.closure
        skin = self.style.skin
        fwd = np.array([math.cos(g.angle), math.sin(g.angle)])
        lat = np.array([-fwd[1], fwd[0]])
        palm_len, palm_w = 56 * k * s, 62 * k * s
        thumb_base = g.wrist + fwd * palm_len * 0.3 + lat * self.side * palm_w * 0.42
        thumb_bend = (g.angle + self.side * (1.0 - 0.75 * c), -self.side * 0.9 * c)
        _finger(img, thumb_base, thumb_bend, (30 * k * s, 24 * k * s, 17 * k * s), skin)
        _tube(img, g.wrist, g.wrist + fwd * palm_len, (palm_w * 0.8, palm_w), skin, cap=False)
        lens = (36 * k * s * (1 - 0.3 * c), 30 * k * s * (1 - 0.75 * c), 14.5 * k * s)
        for i, y in enumerate((-0.36, -0.12, 0.12, 0.36)):
            base = g.wrist + fwd * palm_len + lat * y * palm_w * 0.9
            spread = (i - 1.5) * 0.12 * (1.0 - c)
            _finger(img, base, (g.angle + spread, -y * 0.9 * c), lens, skin)
        knuckle = g.wrist + fwd * palm_len * 0.92
        _band(img, knuckle, g.wrist, (palm_w * 0.75, 1.5 * k), _shade(skin, 0.75))

    def draw_shadow(self, img: Image, g: ArmGeom) -> None:
        """Darken the bench under the hand and lower forearm; higher hands cast it farther."""
        off = np.array([0.8, 1.0]) * (10 + 55 * g.z) * self.k
        x0, y0, x1, y1 = self.bbox(g, float(np.hypot(*off)))
        if x1 <= x0 or y1 <= y0:
            return
        roi = img[y0:y1, x0:x1]
        layer = roi.copy()
        o = off - np.array([x0, y0])
        mid = (g.elbow + g.wrist) / 2
        _tube(layer, mid + o, g.wrist + o, (62 * self.k, 50 * self.k * g.scale), (0, 0, 0))
        c = (g.wrist + g.grip) / 2 + o
        axes = (int(self.l3 * g.scale * 0.62), int(34 * self.k * g.scale))
        cv2.ellipse(
            layer, (int(c[0]), int(c[1])), axes, math.degrees(g.angle), 0, 360, (0, 0, 0), -1
        )
        cv2.addWeighted(roi, 0.62, layer, 0.38, 0.0, dst=roi)

    def bbox(self, g: ArmGeom, margin: float) -> tuple[int, int, int, int]:
        """Pixel box around the hand and the lower forearm, plus ``margin`` px."""
        pts = np.stack([g.grip, g.wrist, (g.elbow + g.wrist) / 2])
        m = margin + 75 * self.k * g.scale
        x0, y0 = np.floor(pts.min(axis=0) - m).astype(int)
        x1, y1 = np.ceil(pts.max(axis=0) + m).astype(int)
        return max(0, x0), max(0, y0), min(self.frame.width, x1), min(self.frame.height, y1)


def _pts(points: list[NDArray[np.float64]]) -> NDArray[np.int32]:
    return np.round(np.stack(points) * 16).astype(np.int32)


def _tube(
    img: NDArray[np.uint8],
    a: NDArray[np.float64],
    b: NDArray[np.float64],
    widths: tuple[float, float],
    color: Color,
    *,
    cap: bool = True,
) -> None:
    """A shaded tapered tube from a to b: dark rim, body, highlight toward the light.

    ``cap`` rounds the b end (a joint).
    """
    wa, wb = widths
    d = b - a
    n = float(np.hypot(*d))
    if n < 1e-6:
        return
    lat = np.array([-d[1], d[0]]) / n
    light = -0.35 if lat[1] > 0 else 0.35  # light comes from the top of the canvas
    for f, shade, off in ((1.0, 0.6, 0.0), (0.84, 1.0, 0.0), (0.32, 1.28, light)):
        ha, hb = wa * f / 2, wb * f / 2
        oa, ob = lat * off * wa / 2, lat * off * wb / 2
        poly = _pts([a + oa + lat * ha, b + ob + lat * hb, b + ob - lat * hb, a + oa - lat * ha])
        cv2.fillConvexPoly(img, poly, _shade(color, shade), cv2.LINE_AA, shift=4)
    if cap:
        cv2.circle(img, (int(b[0]), int(b[1])), max(1, int(wb * 0.42)), color, -1, cv2.LINE_AA)


def _band(
    img: NDArray[np.uint8],
    at: NDArray[np.float64],
    toward: NDArray[np.float64],
    size: tuple[float, float],
    color: Color,
) -> None:
    """A line across a limb at ``at``, perpendicular to the direction to ``toward``.

    ``size`` is (length across the limb, line thickness) in px.
    """
    width, thick = size
    d = at - toward
    n = float(np.hypot(*d))
    if n < 1e-6:
        return
    lat = np.array([-d[1], d[0]]) / n * width / 2
    p0, p1 = at - lat * 0.85, at + lat * 0.85
    thickness = max(1, round(thick))
    cv2.line(img, (int(p0[0]), int(p0[1])), (int(p1[0]), int(p1[1])), color, thickness, cv2.LINE_AA)


def _finger(
    img: NDArray[np.uint8],
    base: NDArray[np.float64],
    bend: tuple[float, float],
    lens: tuple[float, float, float],
    color: Color,
) -> None:
    """Two phalanges from ``base``.

    ``bend`` is (direction, curl) in rad, the curl turning the tip toward the grip;
    ``lens`` is (proximal length, distal length, width) in px.
    """
    angle, curl = bend
    width = lens[2]
    p = [base]
    for i, length in enumerate(lens[:2]):
        a = angle + curl * (0.5 + i)
        p.append(p[-1] + np.array([math.cos(a), math.sin(a)]) * length)
    dark, mid = _shade(color, 0.62), color
    for col, w in ((dark, width), (mid, width * 0.72)):
        for j in range(2):
            q0, q1 = p[j], p[j + 1]
            thickness = max(1, int(w * (1 - 0.12 * j)))
            q0i, q1i = (int(q0[0]), int(q0[1])), (int(q1[0]), int(q1[1]))
            cv2.line(img, q0i, q1i, col, thickness, cv2.LINE_AA)
    tip = p[2] - (p[2] - p[1]) * 0.25
    cv2.circle(img, (int(tip[0]), int(tip[1])), max(1, int(width * 0.22)), _shade(color, 1.25), -1)
