"""The frame loop: every frame is a pure function of (config, frame index, frame time).

Layers, back to front, drawn in BGR on the bench canvas: cached bench, scrolling belt and
its boxes, parts lying on the fixture or the belt, the passing colleague, hand shadows, the
worker's arms with the parts they hold (motion-blurred over the exposure), occluders. Then,
on the I420 frame the encoder takes: the camera (oblique view and shake in one warp), the
light (look-up tables) and sensor noise.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from fractions import Fraction
from typing import Any, cast

import cv2
import numpy as np
from numpy.typing import NDArray

from laps.synth.actors import Belt, Distractor
from laps.synth.arm import ArmGeom
from laps.synth.backdrop import PROCEDURAL, background_rng, load_backdrop
from laps.synth.config import SynthConfig, View
from laps.synth.kinematics import Kinematics
from laps.synth.layout import BINS
from laps.synth.nuisance import Lighting, SensorNoise, Shake, motion_blur, warp_i420
from laps.synth.parts import PartWorld, draw_part
from laps.synth.scene import Scene, build_scene
from laps.synth.script import Plan

Image = NDArray[np.uint8]
VFR_TIME_BASE = Fraction(1, 90000)
LOW_Z = 0.12  # a hand below this height is down in a bin, behind the pile's top parts
OBLIQUE_INSET = 0.17  # near-edge inset of the bench trapezoid, fraction of the width


@dataclass(frozen=True, slots=True)
class FrameTimes:
    """Presentation times of every frame: ``pts * time_base`` seconds."""

    pts: NDArray[np.int64]
    time_base: Fraction
    seconds: NDArray[np.float64]
    end_s: float  # end of the last frame: the video's duration


def frame_times(cfg: SynthConfig, rng: np.random.Generator | None = None) -> FrameTimes:
    """Frame timestamps: ``i / fps`` at a constant rate, jittered with drops when ``vfr``.

    Args:
        cfg: the video's config.
        rng: the timing stream (only used for ``vfr``; default: from the seed).
    """
    rate = Fraction(cfg.fps).limit_denominator(1001)
    if not cfg.vfr:
        n = max(1, round(cfg.duration_s * rate))
        pts = np.arange(n, dtype=np.int64)
        tb = 1 / rate
        return FrameTimes(pts, tb, pts.astype(np.float64) * float(tb), n * float(tb))
    rng = rng if rng is not None else np.random.default_rng([cfg.seed, 0x7F5])
    nominal = 1.0 / float(rate)
    n_max = int(cfg.duration_s / nominal * 1.5) + 2
    gaps = nominal * rng.uniform(0.7, 1.3, n_max)
    gaps[rng.random(n_max) < 0.03] *= 2.0  # dropped frames
    ticks = np.round(np.concatenate([[0.0], np.cumsum(gaps)]) / float(VFR_TIME_BASE))
    pts = ticks[ticks * float(VFR_TIME_BASE) < cfg.duration_s].astype(np.int64)
    seconds = pts.astype(np.float64) * float(VFR_TIME_BASE)
    return FrameTimes(pts, VFR_TIME_BASE, seconds, float(seconds[-1] + nominal))


def oblique_homography(w: int, h: int) -> NDArray[np.float64]:
    """Canvas-to-image transform of the oblique camera: the near edge is seen magnified."""
    m = OBLIQUE_INSET * w
    src = np.array([[0, 0], [w, 0], [w - m, h], [m, h]], np.float32)
    dst = np.array([[0, 0], [w, 0], [w, h], [0, h]], np.float32)
    return cv2.getPerspectiveTransform(src, dst).astype(np.float64)


class FrameRenderer:
    """Renders frames of one synthetic video; everything static is built once here.

    Args:
        cfg: the video's config.
    """

    def __init__(self, cfg: SynthConfig) -> None:
        self.cfg, n = cfg, cfg.nuisance
        self.kin = Kinematics(cfg)  # the plan (stream 0) and the arms (stream 2)
        self.fr = fr = self.kin.fr
        rngs = [np.random.default_rng(s) for s in np.random.SeedSequence(cfg.seed).spawn(8)]
        oblique = cfg.view is View.OBLIQUE
        self.plan: Plan = self.kin.plan
        self.background: dict[str, Any] = dict(PROCEDURAL)
        self.scene = self._scene(rngs[1])
        self.arms = self.kin.arms
        self.belt = Belt(fr, rngs[3], n.conveyor, self.scene.belt_rows, cfg.duration_s)
        self.distractor = Distractor(fr, rngs[4], n.distractor, cfg.duration_s)
        self.lighting = Lighting(n, rngs[5])
        self.shake = Shake(n, rngs[6], fr.k)
        self.noise = SensorNoise(n.noise, (fr.width, fr.height), int(rngs[7].integers(2**62)))
        self.parts = PartWorld(self.plan.events, self._grip, self.belt.speed_px_s, fr.k)
        self.view = oblique_homography(fr.width, fr.height) if oblique else np.eye(3)
        self.exposure_s = n.motion_blur / cfg.fps
        self.bin_rects = [fr.rect(b.center, b.size) for b in BINS]

    def _scene(self, rng: np.random.Generator) -> Scene:
        """The static scene; suite v2 lays a footage still (stream 9) under the bench."""
        cfg, oblique = self.cfg, self.cfg.view is View.OBLIQUE
        vc = cfg.variety
        if vc is None or vc.background != "footage":
            return build_scene(self.fr, rng, cfg.nuisance.occlusion, oblique)
        still, self.background = load_backdrop(background_rng(cfg.seed), (cfg.width, cfg.height))
        backdrop = None if still is None else (still, vc.background_blend)
        return build_scene(self.fr, rng, cfg.nuisance.occlusion, oblique, backdrop)

    def _grip(self, arm: int, t: float) -> tuple[float, float, float, float]:
        g = self.solve(arm, t)
        return float(g.grip[0]), float(g.grip[1]), g.angle, g.scale

    def solve(self, arm: int, t: float) -> ArmGeom:
        """Joint positions of ``arm`` at time ``t`` (canvas pixels, before the camera)."""
        return self.kin.solve(arm, t)

    @property
    def labelled_arms(self) -> tuple[int, ...]:
        """The arms whose motion the ground truth follows (see :class:`Kinematics`)."""
        return self.kin.labelled_arms

    def render(self, index: int, t: float) -> Image:
        """Frame ``index`` at time ``t`` s as I420 (shape (H * 3 / 2, W), the encoder's format)."""
        size = (self.fr.width, self.fr.height)
        buf = cast(Image, cv2.cvtColor(self.draw(t), cv2.COLOR_BGR2YUV_I420))
        m = self.shake.matrix(t, size) @ self.view
        if not np.allclose(m, np.eye(3)):
            buf = warp_i420(buf, m, size)
        self.lighting.apply(buf, t, size)
        self.noise.apply(buf, index)
        return buf

    def render_bgr(self, index: int, t: float) -> Image:
        """Frame ``index`` at time ``t`` s as a (H, W, 3) BGR image."""
        return cast(Image, cv2.cvtColor(self.render(index, t), cv2.COLOR_YUV2BGR_I420))

    def draw(self, t: float) -> Image:
        """The scene at time ``t`` on the bench canvas, before camera, light and noise (BGR)."""
        img = self.scene.background.copy()
        self.scene.draw_belt(img, self.belt.shift(t))
        self.belt.draw(img, t)
        lying, held = self.parts.poses(t, self.fr.width)
        for kind, center, angle, scale, _ in lying:
            draw_part(img, kind, center, angle, scale)
        self.distractor.draw(img, t)
        geoms = [self.solve(i, t) for i in range(len(self.arms))]
        for arm, g in zip(self.arms, geoms, strict=True):
            arm.draw_shadow(img, g)
        for i, g in enumerate(geoms):
            self._draw_arm(img, i, g, [h for h in held if h[4] == i], t)
        self._occlude(img, geoms)
        return img

    def _draw_arm(self, img: Image, i: int, g: ArmGeom, held: list[tuple], t: float) -> None:
        arm = self.arms[i]
        d = np.zeros(2)
        if self.exposure_s > 0:
            half = self.exposure_s / 2
            d = self.solve(i, t + half).grip - self.solve(i, t - half).grip
        box = arm.bbox(g, float(np.hypot(*d)) + 4.0)
        x0, y0, x1, y1 = box
        before = img[y0:y1, x0:x1].copy()
        arm.draw(img, g)
        for kind, center, angle, scale, _ in held:
            draw_part(img, kind, center, angle, scale)
        motion_blur(img, before, box, d)

    def _occlude(self, img: Image, geoms: list[ArmGeom]) -> None:
        for occ in self.scene.cables:
            if occ is not None:
                occ.paste(img)
        for occ, (x0, y0, x1, y1) in zip(self.scene.low, self.bin_rects, strict=False):
            down = any(g.z < LOW_Z and x0 <= g.grip[0] < x1 and y0 <= g.grip[1] < y1 for g in geoms)
            if occ is not None and down:
                occ.paste(img)


@dataclass(frozen=True, slots=True)
class RenderedFrame:
    """One frame of a synthetic video with its ground truth."""

    index: int
    time_s: float
    image: Image  # (H, W, 3) BGR uint8
    label: int  # index into LABELS


def iter_frames(cfg: SynthConfig) -> Iterator[RenderedFrame]:
    """Render every frame of the video described by ``cfg``, in order, without encoding."""
    renderer = FrameRenderer(cfg)
    times = frame_times(cfg)
    labels = renderer.plan.label_ids(times.seconds)
    for i, t in enumerate(times.seconds):
        yield RenderedFrame(i, float(t), renderer.render_bgr(i, float(t)), int(labels[i]))
