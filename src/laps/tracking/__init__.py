"""laps.tracking: grid point tracking with sticky forward-backward visibility.

``make_tracker(cfg)`` builds a :class:`Tracker` (DIS or LK); ``grid_points`` makes the seeds;
``functional`` holds the pure helpers (sampling, masks, velocities).
"""

from laps.tracking.base import Tracker
from laps.tracking.config import TrackingConfig
from laps.tracking.dis import DisTracker
from laps.tracking.grid import grid_points
from laps.tracking.lk import LKTracker
from laps.tracking.registry import TRACKERS, make_tracker

__all__ = [
    "TRACKERS",
    "DisTracker",
    "LKTracker",
    "Tracker",
    "TrackingConfig",
    "grid_points",
    "make_tracker",
]
