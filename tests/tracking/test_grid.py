from __future__ import annotations

import numpy as np
import pytest

from laps.errors import ConfigError
from laps.tracking.grid import grid_points


def test_grid_is_row_major_with_x_fastest():
    w, h, g = 568, 320, 20
    pts = grid_points(w, h, g)
    assert pts.shape == (g * g, 2) and pts.dtype == np.float32
    step_x = pts[1] - pts[0]
    assert step_x[0] == pytest.approx(w / g) and step_x[1] == 0.0
    step_y = pts[g] - pts[0]
    assert step_y[0] == 0.0 and step_y[1] == pytest.approx(h / g)
    n = np.arange(g * g)
    np.testing.assert_allclose(pts[:, 0], (n % g + 0.5) * w / g, rtol=1e-6)
    np.testing.assert_allclose(pts[:, 1], (n // g + 0.5) * h / g, rtol=1e-6)


def test_grid_covers_the_whole_frame_symmetrically():
    w, h, g = 320, 240, 7
    pts = grid_points(w, h, g)
    assert pts[:, 0].min() == pytest.approx(w / (2 * g))
    assert pts[:, 0].max() == pytest.approx(w - w / (2 * g))
    assert pts[:, 1].min() == pytest.approx(h / (2 * g))
    assert pts[:, 1].max() == pytest.approx(h - h / (2 * g))
    np.testing.assert_allclose(pts.mean(axis=0), [w / 2, h / 2], rtol=1e-6)
    assert len(np.unique(pts, axis=0)) == g * g


def test_grid_rejects_bad_sizes():
    with pytest.raises(ConfigError, match="grid_size >= 1, got 0"):
        grid_points(10, 10, 0)
    with pytest.raises(ConfigError, match="got 0 x 10"):
        grid_points(0, 10, 4)
