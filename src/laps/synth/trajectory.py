"""Minimum-jerk trajectories through keyframes, with oscillations laid on top.

A pose is 5 numbers: ``(u, v, z, rot, grip)``: the grip point in bench units, its height
(0 = on the bench, 1 = held up high), the wrist rotation in radians, and the hand closure
(0 = open, 1 = closed). Between two keyframes the pose follows the quintic that minimises
jerk for the given end positions and velocities (zero end accelerations); a keyframe that
stops has zero velocity, one that flows on has a Catmull-Rom velocity, so a transition can
either pause or keep moving.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from laps.synth.layout import ref_speed_px

POSE_DIMS = 5
U, V, Z, ROT, GRIP = range(POSE_DIMS)


def min_jerk(s: NDArray[np.float64]) -> NDArray[np.float64]:
    """The rest-to-rest minimum-jerk profile ``10 s^3 - 15 s^4 + 6 s^5`` on ``[0, 1]``."""
    s = np.clip(s, 0.0, 1.0)
    return s**3 * (10.0 - 15.0 * s + 6.0 * s * s)


def quintic_coeffs(
    p0: NDArray[np.float64],
    v0: NDArray[np.float64],
    p1: NDArray[np.float64],
    v1: NDArray[np.float64],
    duration: float,
) -> NDArray[np.float64]:
    """Coefficients (6, D) in normalised time of the min-jerk quintic between two states.

    Args:
        p0: (D,) start position.
        v0: (D,) start velocity, per second.
        p1: (D,) end position.
        v1: (D,) end velocity, per second.
        duration: seconds between the two states (> 0).
    """
    d = p1 - p0
    a, b = v0 * duration, v1 * duration
    zero = np.zeros_like(p0)
    return np.stack(
        [p0, a, zero, 10 * d - 6 * a - 4 * b, -15 * d + 8 * a + 7 * b, 6 * d - 3 * a - 3 * b]
    )


@dataclass(frozen=True, slots=True)
class Oscillation:
    """A sine laid on the pose over ``[t0, t1)``; ends ramp in and out unless flowing on.

    ``freq_hz`` should fit a whole number of half periods in the span so that a span that
    ends without a ramp ends at zero offset (no jump in position). ``phase`` (per pose dim,
    rad) shifts single dims, e.g. ``(0, pi / 2)`` on (u, v) traces an ellipse; such a wave
    does not end at zero offset, so it should always ramp.
    """

    t0: float
    t1: float
    amp: tuple[float, ...]
    freq_hz: float
    ramp_in: bool = True
    ramp_out: bool = True
    ramp_s: float = 0.2
    phase: tuple[float, ...] | None = None

    def offset(self, t: NDArray[np.float64]) -> NDArray[np.float64]:
        """(n, D) offsets at times ``t``; zero outside the span."""
        inside = (t >= self.t0) & (t < self.t1)
        env = inside.astype(np.float64)
        if self.ramp_in:
            env *= min_jerk((t - self.t0) / self.ramp_s)
        if self.ramp_out:
            env *= min_jerk((self.t1 - t) / self.ramp_s)
        arg = 2 * math.pi * self.freq_hz * (t - self.t0)
        amp = np.asarray(self.amp, dtype=np.float64)[None, :]
        if self.phase is not None:
            phase = np.asarray(self.phase, dtype=np.float64)[None, :]
            return np.sin(arg[:, None] + phase) * env[:, None] * amp
        return (np.sin(arg) * env)[:, None] * amp


def half_period_freq(duration: float, target_hz: float) -> float:
    """The frequency nearest ``target_hz`` with a whole number of half periods in ``duration``."""
    halves = max(1, round(2 * target_hz * duration))
    return halves / (2 * duration)


def keyframe_velocities(
    times: NDArray[np.float64],
    poses: NDArray[np.float64],
    stops: NDArray[np.bool_],
    floor_px_s: float,
) -> NDArray[np.float64]:
    """Velocities at keyframes: zero where the motion stops, Catmull-Rom elsewhere.

    Where the motion flows on between two keyframes that are apart, the (u, v) speed is
    raised to at least ``floor_px_s`` reference pixels per second, so that a continuous
    transition never dips to a standstill.
    """
    vel = np.zeros_like(poses)
    for k in range(1, len(times) - 1):
        if stops[k]:
            continue
        vel[k] = (poses[k + 1] - poses[k - 1]) / (times[k + 1] - times[k - 1])
        chord = poses[k + 1, :2] - poses[k - 1, :2]
        speed = float(ref_speed_px(vel[k, :2]))
        if float(ref_speed_px(chord)) > 30.0 and speed < floor_px_s:
            direction = chord / max(float(ref_speed_px(chord)), 1e-9)
            vel[k, :2] = direction * floor_px_s
    return vel


class Track:
    """A piecewise min-jerk pose track through keyframes, plus oscillations.

    Args:
        times: (K,) strictly increasing keyframe times, s.
        poses: (K, 5) poses at the keyframes.
        velocities: (K, 5) pose velocities at the keyframes, per second.
        oscillations: sines laid on top.
    """

    def __init__(
        self,
        times: NDArray[np.float64],
        poses: NDArray[np.float64],
        velocities: NDArray[np.float64],
        oscillations: list[Oscillation],
    ) -> None:
        if len(times) < 2 or np.any(np.diff(times) <= 0):
            raise ValueError(f"Track: expected >= 2 increasing keyframe times, got {times}")
        self.times = np.asarray(times, dtype=np.float64)
        self.poses = np.asarray(poses, dtype=np.float64)
        durations = np.diff(self.times)
        self._coeffs = np.stack(
            [
                quintic_coeffs(poses[k], velocities[k], poses[k + 1], velocities[k + 1], dt)
                for k, dt in enumerate(durations)
            ]
        )  # (K-1, 6, D)
        self._durations = durations
        self.oscillations = oscillations

    def sample(self, t: NDArray[np.float64] | float) -> NDArray[np.float64]:
        """(n, 5) poses at times ``t`` (held constant outside the keyframe span)."""
        t = np.atleast_1d(np.asarray(t, dtype=np.float64))
        k = np.clip(np.searchsorted(self.times, t, side="right") - 1, 0, len(self._durations) - 1)
        s = np.clip((t - self.times[k]) / self._durations[k], 0.0, 1.0)
        powers = s[:, None] ** np.arange(6)[None, :]  # (n, 6)
        out = np.einsum("nc,ncd->nd", powers, self._coeffs[k])
        for osc in self.oscillations:
            out += osc.offset(t)
        out[:, Z] = np.clip(out[:, Z], 0.0, 1.2)
        out[:, GRIP] = np.clip(out[:, GRIP], 0.0, 1.0)
        return out

    def velocity(self, t: NDArray[np.float64], dt: float = 1e-3) -> NDArray[np.float64]:
        """(n, 5) pose velocities per second at times ``t`` (central difference)."""
        t = np.atleast_1d(np.asarray(t, dtype=np.float64))
        return (self.sample(t + dt) - self.sample(t - dt)) / (2 * dt)
