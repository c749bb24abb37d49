"""The workbench layout in normalised bench coordinates, shared by the script and the scene.

Bench coordinates ``(u, v)`` run over ``[0, 1]`` across the canvas (u to the right, v toward
the worker, who sits below the bottom edge). Lengths of drawn things are in pixels of a
1280x720 reference frame and are multiplied by :meth:`Frame.k` for other sizes.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

REF_W, REF_H = 1280, 720


@dataclass(frozen=True, slots=True)
class Bin:
    """A part bin: centre and size in bench units, the part type it holds, the arm using it."""

    center: tuple[float, float]
    size: tuple[float, float]
    part: str
    arm: int  # 0 = right arm, 1 = left arm (used when two arms are in view)


BINS: tuple[Bin, ...] = (
    Bin((0.83, 0.64), (0.13, 0.2), "plate", 0),
    Bin((0.83, 0.39), (0.13, 0.19), "screw", 0),
    Bin((0.17, 0.39), (0.13, 0.19), "bracket", 1),
    Bin((0.17, 0.64), (0.13, 0.2), "pin", 1),
)
CONVEYOR_V = (0.03, 0.21)  # belt band, v from / to
FIXTURE = (0.5, 0.47)
FIXTURE_SIZE = (0.15, 0.2)
MAT = ((0.31, 0.27), (0.69, 0.76))  # top-left, bottom-right
DROP = (0.62, 0.12)  # where finished assemblies go onto the belt
INSPECT = (0.5, 0.7)  # where parts are held up to be looked at
SHOULDERS = ((0.64, 1.1), (0.36, 1.1))  # right, left
SHOULDER_ONE_ARM = (0.6, 1.1)
RESTS = ((0.64, 0.88), (0.36, 0.88))
# Slots on the fixture, relative to its centre, by part type (u, v offsets): the plate in
# the middle, the bracket on it, pins and screws into the plate's corner holes.
SLOTS: dict[str, tuple[tuple[float, float], ...]] = {
    "plate": ((0.0, 0.0),),
    "bracket": ((0.0, 0.0),),
    "pin": ((-0.0188, 0.0244), (0.0188, 0.0244)),
    "screw": ((-0.0188, -0.0244), (0.0188, -0.0244)),
}
# Arm segment lengths (px at 720p): upper arm, forearm, wrist to the grip point.
ARM_LENGTHS = (340.0, 320.0, 95.0)


@dataclass(frozen=True, slots=True)
class Frame:
    """Pixel size of the canvas, and the maps from bench units to pixels."""

    width: int
    height: int

    @property
    def k(self) -> float:
        """Length scale of the reference 1280x720 drawing."""
        return math.sqrt(self.width * self.height / (REF_W * REF_H))

    def px(self, u: float, v: float) -> tuple[float, float]:
        """Bench point to canvas pixels."""
        return u * self.width, v * self.height

    def px_array(self, uv: NDArray[np.float64]) -> NDArray[np.float64]:
        """(..., 2) bench points to canvas pixels."""
        return np.asarray(uv, dtype=np.float64) * np.array([self.width, self.height])

    def rect(self, center: tuple[float, float], size: tuple[float, float]) -> tuple[int, ...]:
        """(x0, y0, x1, y1) pixels of a bench rectangle."""
        cx, cy = self.px(*center)
        hw, hh = size[0] * self.width / 2, size[1] * self.height / 2
        return int(cx - hw), int(cy - hh), int(cx + hw), int(cy + hh)


def ref_speed_px(vel_uv: NDArray[np.float64]) -> NDArray[np.float64]:
    """Speed in reference pixels per second of (..., 2) bench velocities."""
    v = np.asarray(vel_uv, dtype=np.float64)
    return np.hypot(v[..., 0] * REF_W, v[..., 1] * REF_H)
