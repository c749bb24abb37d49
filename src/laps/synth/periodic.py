"""Suite-v2 primitives and durations: periodic work and log-uniform lengths.

Periodic primitives repeat a small motion for as long as they last; each is one primitive
(one ground-truth segment) however many cycles it has:

* screw: the hand stays on the fixture; either the wrist turns back and forth (with a
  tiny loop of the grip point) or the grip point circles (a nut run down by hand).
* wipe: the flat hand sweeps back and forth over the mat, large amplitude, on a thin
  loop, drifting across the mat.
* polish: small fast circles on the fixture.

The loops (a phase shift between u and v) keep the hand moving at every reversal, so the
true hand speed stays above zero all through the primitive (after the ramp-in).
"""

from __future__ import annotations

import math

import numpy as np
from numpy.typing import NDArray

from laps.synth.config import VarietyConfig
from laps.synth.layout import FIXTURE, MAT
from laps.synth.primitives import Action, Wave, pose
from laps.synth.trajectory import ROT

# Range of each primitive's motion, s; a length is drawn log-uniformly inside it (and
# inside the config's motion_min_s..motion_max_s): nearly log-uniform 0.3-8 s overall.
DURATIONS_V2: dict[str, tuple[float, float]] = {
    "reach": (0.3, 8.0),
    "grasp": (0.3, 8.0),
    "transport": (0.3, 8.0),
    "place": (0.3, 8.0),
    "insert": (0.4, 8.0),
    "screw": (0.8, 8.0),  # periodic ones: at least about one cycle
    "wipe": (1.0, 8.0),
    "polish": (0.8, 8.0),
    "inspect": (0.6, 8.0),
    "retreat": (0.3, 8.0),
}
PERIODIC = ("screw", "wipe", "polish")
PERIODIC_WEIGHTS = (0.2, 0.4, 0.4)  # of a periodic task; screws also come in part cycles
LOOP = (0.0, math.pi / 2, 0.0, 0.0, 0.0)  # phases: u and v a quarter period apart


def log_uniform(rng: np.random.Generator, lo: float, hi: float) -> float:
    """A draw whose logarithm is uniform on ``[log lo, log hi]`` (``lo`` when equal)."""
    if not 0 < lo <= hi:
        raise ValueError(
            f"log_uniform: expected 0 < lo <= hi, got lo={lo}, hi={hi}; pass 0 < lo <= hi"
        )
    return float(math.exp(rng.uniform(math.log(lo), math.log(hi))))


def motion_range(label: str, vc: VarietyConfig) -> tuple[float, float]:
    """The (lo, hi) motion length of ``label``, clipped to the config's bounds."""
    lo, hi = DURATIONS_V2[label]
    lo = min(max(lo, vc.motion_min_s), vc.motion_max_s)
    return lo, max(lo, min(hi, vc.motion_max_s))


def mat_point(rng: np.random.Generator, margin: float = 0.06) -> tuple[float, float]:
    """A random point on the mat, ``margin`` bench units inside its edges."""
    (u0, v0), (u1, v1) = MAT
    return (
        float(rng.uniform(u0 + margin, u1 - margin)),
        float(rng.uniform(v0 + margin, v1 - margin)),
    )


def fixture_point(rng: np.random.Generator, spread: float = 0.03) -> tuple[float, float]:
    """A random point on the fixture."""
    return (
        FIXTURE[0] + float(rng.uniform(-spread, spread)),
        FIXTURE[1] + float(rng.uniform(-spread, spread)),
    )


def screw_turn(
    rng: np.random.Generator,
    arm: int,
    cur: NDArray[np.float64],
    dur: float,
    *,
    release: bool = False,
) -> Action:
    """Turn in place: the wrist back and forth, or the grip point in small circles.

    ``release``: the hand holds a screw (inserted just before) and lets go at the end.
    """
    end = pose(cur[0], cur[1], 0.0, cur[ROT], 0.85)
    if rng.random() < 0.5:  # back-and-forth wrist, a tiny loop of the grip point
        r, rot, hz = rng.uniform(0.002, 0.004), rng.uniform(0.45, 0.7), rng.uniform(1.3, 2.0)
    else:  # circling, the wrist nearly still
        r, rot, hz = rng.uniform(0.006, 0.012), rng.uniform(0.05, 0.15), rng.uniform(1.0, 1.8)
    wave = Wave((r, r, 0.0, rot, 0.15), hz, LOOP)
    event = (1.0, "release") if release else None
    return Action("screw", arm, dur, [(1.0, end)], wave, event)


def wipe(rng: np.random.Generator, arm: int, cur: NDArray[np.float64], dur: float) -> Action:
    """Sweep the flat hand back and forth over the mat, drifting across it."""
    rot = float(rng.uniform(-0.3, 0.3))
    down = pose(cur[0], cur[1], 0.0, rot, 0.55)
    u, v = mat_point(rng, 0.12)
    end = pose(u, v, 0.0, rot, 0.55)
    lift = pose(u, v, 0.06, rot, 0.5)
    amp_u = rng.uniform(0.07, 0.12)
    amp = (amp_u, amp_u * rng.uniform(0.12, 0.25), 0.0, rng.uniform(0.08, 0.2), 0.0)
    wave = Wave(amp, rng.uniform(0.6, 1.3), LOOP)
    return Action("wipe", arm, dur, [(0.1, down), (0.92, end), (1.0, lift)], wave)


def polish(rng: np.random.Generator, arm: int, cur: NDArray[np.float64], dur: float) -> Action:
    """Rub small fast circles on one spot of the fixture."""
    down = pose(cur[0], cur[1], 0.03, cur[ROT], 0.8)
    off = rng.normal(0.0, 0.004, 2)
    end = pose(cur[0] + off[0], cur[1] + off[1], 0.03, cur[ROT], 0.8)
    r = rng.uniform(0.01, 0.02)
    wave = Wave((r, r * rng.uniform(0.8, 1.3), 0.0, 0.06, 0.0), rng.uniform(1.5, 2.8), LOOP)
    return Action("polish", arm, dur, [(0.15, down), (1.0, end)], wave)
