"""The primitive vocabulary: each primitive's keyframes, oscillation and part event.

Motion signatures (pose = grip point u, v, height z, wrist rotation, closure):

* idle: no motion at all.
* reach: a fast, lifted min-jerk sweep to just above a part, the hand opening.
* grasp: a short descent, the fingers close, a small lift; the part is taken.
* transport: a long lifted sweep with the part to just above its slot.
* place: slow fine lowering onto the slot, then the fingers open (release).
* insert: slow lowering with a fine side-to-side wiggle (peg in hole), release.
* screw: the hand stays put and the wrist turns back and forth.
* inspect: the part is lifted up toward the camera and turned slowly, then lowered.
* retreat: a sweep back to the rest pose, the hand relaxing.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from numpy.typing import NDArray

from laps.synth.layout import INSPECT
from laps.synth.trajectory import GRIP, ROT, Z

# Base duration range of the motion of each primitive, s (holds at pauses come on top).
DURATIONS: dict[str, tuple[float, float]] = {
    "idle": (0.8, 3.5),
    "reach": (0.7, 1.3),
    "grasp": (0.5, 0.9),
    "transport": (0.8, 1.5),
    "place": (0.8, 1.5),
    "insert": (1.0, 2.0),
    "screw": (1.5, 3.0),
    "inspect": (1.6, 3.0),
    "retreat": (0.6, 1.1),
}
RELAXED_GRIP = 0.35


@dataclass(frozen=True, slots=True)
class Wave:
    """An oscillation of one primitive: amplitude per pose dim and target frequency.

    ``phase`` (rad per pose dim, optional) draws loops: ``(0, pi / 2)`` on (u, v) is an
    ellipse; such a wave always ramps in and out (it does not end at zero offset).
    """

    amp: tuple[float, ...]
    freq_hz: float
    phase: tuple[float, ...] | None = None


@dataclass(slots=True)
class Action:
    """One primitive before it is laid out in time.

    Attributes:
        label: primitive name.
        arm: the arm that does it.
        duration: seconds of motion.
        keys: (fraction of the duration, pose) keyframes; the last one is at fraction 1.
        wave: optional oscillation over the whole motion.
        event: optional (fraction, kind) of a part event: attach, release, unload, drop.
        part: part type the event concerns.
    """

    label: str
    arm: int
    duration: float
    keys: list[tuple[float, NDArray[np.float64]]] = field(default_factory=list)
    wave: Wave | None = None
    event: tuple[float, str] | None = None
    part: str = ""

    @property
    def moving(self) -> bool:
        """False for idle, the one primitive without motion."""
        return self.label != "idle"


def pose(u: float, v: float, z: float, rot: float, grip: float) -> NDArray[np.float64]:
    """A pose vector."""
    return np.array([u, v, z, rot, grip], dtype=np.float64)


def pose_at(uv: NDArray[np.float64], z: float, rot: float, grip: float) -> NDArray[np.float64]:
    """A pose vector from a (2,) bench point."""
    return pose(float(uv[0]), float(uv[1]), z, rot, grip)


def _with(p: NDArray[np.float64], **dims: float) -> NDArray[np.float64]:
    out = p.copy()
    names = {"z": Z, "rot": ROT, "grip": GRIP}
    for name, value in dims.items():
        out[names[name]] = value
    return out


def reach(
    rng: np.random.Generator,
    arm: int,
    cur: NDArray[np.float64],
    target: tuple[float, float],
    dur: float,
) -> Action:
    """Sweep above ``target`` with a slightly curved, lifted path; the hand opens."""
    mid = (cur[:2] + np.asarray(target)) / 2
    d = np.asarray(target) - cur[:2]
    bend = np.array([-d[1], d[0]]) * rng.uniform(-0.15, 0.15)
    rot = rng.uniform(-0.3, 0.3)
    via = pose_at(mid + bend, 0.35, rot / 2, 0.2)
    end = pose(target[0], target[1], 0.22, rot, 0.0)
    return Action("reach", arm, dur, [(0.5, via), (1.0, end)])


def grasp(
    rng: np.random.Generator,
    arm: int,
    cur: NDArray[np.float64],
    dur: float,
    *,
    kind: str = "attach",
    part: str = "",
) -> Action:
    """Descend, close the fingers, lift a little; the part is taken at the bottom."""
    down = _with(cur, z=0.0, grip=0.25)
    up = _with(cur, z=0.15, grip=1.0)
    up[:2] += rng.normal(0.0, 0.004, 2)
    return Action("grasp", arm, dur, [(0.5, down), (1.0, up)], event=(0.5, kind), part=part)


def transport(
    rng: np.random.Generator,
    arm: int,
    cur: NDArray[np.float64],
    dest: tuple[float, float],
    dur: float,
) -> Action:
    """Carry the part, lifted, to just above ``dest``."""
    rot = rng.uniform(-0.35, 0.35)
    mid = pose_at((cur[:2] + np.asarray(dest)) / 2, 0.45, (cur[ROT] + rot) / 2, 1.0)
    end = pose(dest[0] + rng.normal(0, 0.008), dest[1] + rng.normal(0, 0.008), 0.18, rot, 1.0)
    return Action("transport", arm, dur, [(0.5, mid), (1.0, end)])


def place(
    arm: int,
    cur: NDArray[np.float64],
    dest: tuple[float, float],
    dur: float,
    *,
    kind: str = "release",
) -> Action:
    """Lower slowly onto ``dest``, open the fingers, lift off a little."""
    on = pose(dest[0], dest[1], 0.02, cur[ROT], 1.0)
    open_ = pose(dest[0], dest[1], 0.0, cur[ROT], 0.1)
    off = pose(dest[0], dest[1] + 0.01, 0.08, cur[ROT], 0.0)
    return Action("place", arm, dur, [(0.6, on), (0.8, open_), (1.0, off)], event=(0.8, kind))


def insert(
    rng: np.random.Generator,
    arm: int,
    cur: NDArray[np.float64],
    dest: tuple[float, float],
    dur: float,
    *,
    release: bool,
) -> Action:
    """Lower slowly into a hole with a fine wiggle; release unless a screw follows."""
    above = pose(dest[0], dest[1], 0.06, cur[ROT], 1.0)
    down = pose(dest[0], dest[1], 0.0, cur[ROT], 1.0)
    last = pose(dest[0], dest[1], 0.02, cur[ROT], 0.1 if release else 1.0)
    wave = Wave((0.004, 0.005, 0.0, 0.05, 0.0), rng.uniform(2.5, 3.5))
    event = (0.9, "release") if release else None
    return Action("insert", arm, dur, [(0.35, above), (0.85, down), (1.0, last)], wave, event)


def screw(rng: np.random.Generator, arm: int, cur: NDArray[np.float64], dur: float) -> Action:
    """Turn the wrist back and forth in place, then let go."""
    end = _with(cur, z=0.0, grip=0.85)
    wave = Wave((0.0, 0.0, 0.0, rng.uniform(0.45, 0.7), 0.15), rng.uniform(1.3, 2.0))
    return Action("screw", arm, dur, [(1.0, end)], wave, event=(1.0, "release"))


def inspect(rng: np.random.Generator, arm: int, cur: NDArray[np.float64], dur: float) -> Action:
    """Lift the part toward the camera, turn it slowly, lower it back near the start."""
    at = np.asarray(INSPECT) + rng.normal(0.0, 0.03, 2)
    up = pose(at[0], at[1], 0.9, 0.0, 1.0)
    hold = pose(at[0] + rng.normal(0, 0.01), at[1] + rng.normal(0, 0.01), 0.95, 0.0, 1.0)
    back = pose_at(0.5 * (cur[:2] + at), 0.25, cur[ROT], 1.0)
    wave = Wave((0.0, 0.0, 0.0, rng.uniform(0.6, 0.9), 0.0), 1.0 / dur)
    return Action("inspect", arm, dur, [(0.3, up), (0.7, hold), (1.0, back)], wave)


def retreat(arm: int, cur: NDArray[np.float64], rest: tuple[float, float], dur: float) -> Action:
    """Sweep back to the rest pose; the hand relaxes."""
    via = pose_at(0.5 * (cur[:2] + np.asarray(rest)), 0.2, cur[ROT] / 2, 0.2)
    end = pose(rest[0], rest[1], 0.0, 0.0, RELAXED_GRIP)
    return Action("retreat", arm, dur, [(0.5, via), (1.0, end)])


def idle(arm: int, dur: float) -> Action:
    """Stay still."""
    return Action("idle", arm, dur)
