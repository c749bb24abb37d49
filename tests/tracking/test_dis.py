from __future__ import annotations

import numpy as np

from laps.tracking import DisTracker, TrackingConfig, grid_points

from .synthetic import HEIGHT, WIDTH


def _median_error(tracker: DisTracker, seq) -> float:
    seeds = grid_points(WIDTH, HEIGHT, 12)
    tracker.advance(seq.frames[0])
    tracker.seed(0, seeds)
    for frame in seq.frames[1:]:
        tracker.advance(frame)
    xy, visible = tracker.positions(0)
    err = np.linalg.norm(xy - seq.truth(seeds, 0, len(seq.frames) - 1), axis=1)
    return float(np.median(err[visible]))


def test_finer_finest_scale_is_more_accurate(make_sequence):
    seq = make_sequence("translate", n_steps=6)
    coarse = _median_error(DisTracker(TrackingConfig(backend="dis")), seq)
    fine = _median_error(DisTracker(TrackingConfig(backend="dis", dis_finest_scale=1)), seq)
    assert fine < 0.5 * coarse
