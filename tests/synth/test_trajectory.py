import numpy as np
import pytest

from laps.synth.layout import ref_speed_px
from laps.synth.trajectory import (
    Oscillation,
    Track,
    half_period_freq,
    keyframe_velocities,
    min_jerk,
    quintic_coeffs,
)


def _eval(coeffs: np.ndarray, s: float, duration: float) -> tuple[np.ndarray, np.ndarray]:
    powers = s ** np.arange(6)
    dpowers = np.array([0, 1, 2 * s, 3 * s**2, 4 * s**3, 5 * s**4])
    return powers @ coeffs, dpowers @ coeffs / duration


def test_min_jerk_profile_is_rest_to_rest() -> None:
    s = np.array([0.0, 0.5, 1.0])
    np.testing.assert_allclose(min_jerk(s), [0.0, 0.5, 1.0])
    eps = 1e-4
    assert abs(min_jerk(np.array([eps]))[0]) < 1e-10  # zero velocity at the start


def test_quintic_meets_boundary_positions_and_velocities() -> None:
    rng = np.random.default_rng(0)
    p0, v0, p1, v1 = (rng.normal(size=5) for _ in range(4))
    c = quintic_coeffs(p0, v0, p1, v1, 1.7)
    for s, p, v in ((0.0, p0, v0), (1.0, p1, v1)):
        pos, vel = _eval(c, s, 1.7)
        np.testing.assert_allclose(pos, p, atol=1e-12)
        np.testing.assert_allclose(vel, v, atol=1e-12)


def _track(stops: list[bool]) -> Track:
    times = np.array([0.0, 1.0, 2.0])
    poses = np.zeros((3, 5))
    poses[1, :2] = [0.3, 0.1]
    poses[2, :2] = [0.6, 0.4]
    vel = keyframe_velocities(times, poses, np.array(stops), floor_px_s=90.0)
    return Track(times, poses, vel, [])


def test_track_passes_through_its_keyframes() -> None:
    tr = _track([True, False, True])
    np.testing.assert_allclose(tr.sample(np.array([0.0, 1.0, 2.0])), tr.poses, atol=1e-12)


def test_stop_keyframe_has_zero_speed_and_flowing_one_keeps_moving() -> None:
    stopping, flowing = _track([True, True, True]), _track([True, False, True])
    speed_stop = ref_speed_px(stopping.velocity(np.array([1.0]))[:, :2])[0]
    speed_flow = ref_speed_px(flowing.velocity(np.array([1.0]))[:, :2])[0]
    assert speed_stop < 0.05  # central difference around a stop: second order only
    assert speed_flow > 90.0


def test_flow_speed_is_raised_to_the_floor() -> None:
    times = np.array([0.0, 10.0, 20.0])  # slow: the Catmull-Rom speed is below the floor
    poses = np.zeros((3, 5))
    poses[2, 0] = 0.1
    vel = keyframe_velocities(times, poses, np.array([True, False, True]), floor_px_s=90.0)
    assert ref_speed_px(vel[1, :2]) == pytest.approx(90.0)


def test_track_is_held_outside_its_span() -> None:
    tr = _track([True, False, True])
    np.testing.assert_allclose(tr.sample(np.array([-1.0, 5.0])), tr.poses[[0, -1]])


def test_oscillation_ends_at_zero_offset_without_a_ramp() -> None:
    freq = half_period_freq(1.3, 1.7)
    assert round(2 * freq * 1.3, 9) == round(2 * freq * 1.3)
    osc = Oscillation(0.0, 1.3, (0.0, 0.0, 0.0, 0.5, 0.0), freq, ramp_in=False, ramp_out=False)
    end = osc.offset(np.array([1.3 - 1e-9]))
    assert abs(end[0, 3]) < 1e-6
    assert np.all(osc.offset(np.array([-0.1, 1.4])) == 0)
    assert np.abs(osc.offset(np.linspace(0, 1.29, 200))[:, 3]).max() > 0.45


def test_track_rejects_unordered_keyframes() -> None:
    with pytest.raises(ValueError, match="increasing"):
        Track(np.array([0.0, 0.0]), np.zeros((2, 5)), np.zeros((2, 5)), [])
