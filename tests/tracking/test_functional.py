from __future__ import annotations

import numpy as np
import pytest

from laps.errors import ConfigError, TrackerError
from laps.tracking.functional import (
    bilinear_sample,
    fb_lost,
    in_frame,
    texture_map,
    velocities,
)


def _linear_field(h: int, w: int) -> np.ndarray:
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float64)
    return np.stack([1.5 + 0.25 * xx - 0.5 * yy, -2.0 - xx + 2.0 * yy], axis=-1)


def _linear_value(xy: np.ndarray) -> np.ndarray:
    x, y = xy[:, 0], xy[:, 1]
    return np.stack([1.5 + 0.25 * x - 0.5 * y, -2.0 - x + 2.0 * y], axis=-1)


def test_bilinear_sample_is_exact_on_a_linear_field():
    h, w = 13, 17
    rng = np.random.default_rng(0)
    xy = rng.uniform([0, 0], [w - 1, h - 1], size=(200, 2))
    xy[:4] = [[0, 0], [w - 1, h - 1], [w - 1, 0], [3.0, 5.0]]  # corners and a grid point
    out = bilinear_sample(_linear_field(h, w).astype(np.float32), xy)
    assert out.shape == (200, 2) and out.dtype == np.float32
    np.testing.assert_allclose(out, _linear_value(xy), atol=1e-4)


def test_bilinear_sample_clamps_to_the_border():
    h, w = 13, 17
    field = _linear_field(h, w)
    xy = np.array([[-5.0, 3.5], [w + 10.0, h + 10.0], [4.25, -1.0], [np.nan, 2.0]])
    clamped = np.array([[0.0, 3.5], [w - 1.0, h - 1.0], [4.25, 0.0], [0.0, 2.0]])
    np.testing.assert_allclose(bilinear_sample(field, xy), _linear_value(clamped), atol=1e-5)


def test_bilinear_sample_single_pixel_and_bad_shapes():
    field = np.full((1, 1, 3), 7.0)
    np.testing.assert_array_equal(bilinear_sample(field, np.array([[0.3, 5.0]])), [[7, 7, 7]])
    with pytest.raises(TrackerError, match=r"\(H, W, C\)"):
        bilinear_sample(np.zeros((4, 4)), np.zeros((1, 2)))
    with pytest.raises(TrackerError, match=r"\(N, 2\)"):
        bilinear_sample(np.zeros((4, 4, 2)), np.zeros((2, 3)))


def test_in_frame_is_inclusive_of_the_last_pixel_centre():
    w, h = 10, 6
    xy = np.array(
        [[0, 0], [9, 5], [4.5, 2.5], [-0.01, 0], [9.01, 0], [0, 5.01], [0, -1], [np.nan, 1]]
    )
    np.testing.assert_array_equal(in_frame(xy, w, h), [1, 1, 1, 0, 0, 0, 0, 0])


def test_fb_lost_thresholds_the_round_trip_error():
    xy0 = np.zeros((4, 2))
    back = np.array([[0.6, 0.8], [0.61, 0.8], [0.0, 0.0], [np.nan, 0.0]])  # errors 1.0, >1, 0
    np.testing.assert_array_equal(fb_lost(xy0, back, 1.0), [False, True, False, True])
    with pytest.raises(TrackerError, match="expected xy0_back of shape"):
        fb_lost(xy0, back[:3], 1.0)


def test_velocities_scale_and_zero_where_not_visible():
    rng = np.random.default_rng(1)
    tracks = rng.normal(size=(5, 3, 2)).astype(np.float32) * 10
    visible = np.ones((5, 3), bool)
    visible[2, 0] = False  # steps 1 and 2 of point 0 touch it
    visible[4, 2] = False  # last step of point 2
    vel = velocities(tracks, visible, scale_px=4.0)
    assert vel.shape == (4, 3, 2) and vel.dtype == np.float32
    expected = (tracks[1:] - tracks[:-1]) / 4.0
    zeroed = np.zeros((4, 3), bool)
    zeroed[[1, 2], 0] = True
    zeroed[3, 2] = True
    np.testing.assert_array_equal(vel[zeroed], 0.0)
    np.testing.assert_allclose(vel[~zeroed], expected[~zeroed], rtol=1e-6)
    assert np.abs(expected[zeroed]).min() > 0  # the zeros are not accidental


def test_velocities_rejects_bad_input():
    with pytest.raises(ConfigError, match="scale_px > 0"):
        velocities(np.zeros((2, 1, 2)), np.ones((2, 1), bool), 0.0)
    with pytest.raises(TrackerError, match="visible"):
        velocities(np.zeros((2, 1, 2)), np.ones((3, 1), bool), 1.0)


def _corner(gradient: float) -> np.ndarray:
    yy, xx = np.mgrid[0:41, 0:41]
    return (40 + gradient * (np.abs(xx - 20) + np.abs(yy - 20))).astype(np.uint8)


def test_texture_map_units_are_squared_grey_levels_per_pixel():
    flat = texture_map(np.full((41, 41), 90, np.uint8), 7)
    assert flat.shape == (41, 41) and flat.dtype == np.float32
    assert flat.max() == 0.0
    yy, xx = np.mgrid[0:41, 0:41]
    ramp = texture_map((10 + 2 * xx + 3 * yy).astype(np.uint8), 7)  # straight edge: rank 1
    assert ramp[10:30, 10:30].max() < 1e-3
    # |gx| = |gy| = g and mean gx*gy = 0 around the apex: smallest eigenvalue ~ g^2.
    low, high = texture_map(_corner(1.0), 7)[20, 20], texture_map(_corner(2.0), 7)[20, 20]
    assert 0.5 < low <= 1.0
    assert high == pytest.approx(4.0 * low, rel=1e-4)
