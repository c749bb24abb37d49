from __future__ import annotations

import pytest

from laps.errors import ConfigError
from laps.tracking import TRACKERS, DisTracker, LKTracker, TrackingConfig, make_tracker
from laps.tracking.cotracker import CoTrackerTracker


def test_registry_names_every_backend():
    assert {"dis": DisTracker, "lk": LKTracker, "cotracker": CoTrackerTracker} == TRACKERS
    assert isinstance(make_tracker(TrackingConfig(backend="dis")), DisTracker)
    assert isinstance(make_tracker(TrackingConfig(backend="lk")), LKTracker)


def test_unknown_backend_lists_the_available_ones():
    cfg = TrackingConfig.model_construct(backend="raft")  # bypasses validation on purpose
    expected = r"expected one of \['cotracker', 'dis', 'lk'\], got 'raft'"
    with pytest.raises(ConfigError, match=expected):
        make_tracker(cfg)


def test_config_rejects_unknown_backend():
    with pytest.raises(ValueError, match="backend"):
        TrackingConfig(backend="raft")
