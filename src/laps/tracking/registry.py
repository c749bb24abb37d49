"""Name -> tracker class, and the factory the pipeline calls."""

from __future__ import annotations

from collections.abc import Callable

from laps.errors import ConfigError
from laps.tracking.base import Tracker
from laps.tracking.config import TrackingConfig
from laps.tracking.cotracker import CoTrackerTracker
from laps.tracking.dis import DisTracker
from laps.tracking.lk import LKTracker

# cotracker's module imports torch only when one is built, so listing it here costs nothing.
TRACKERS: dict[str, Callable[[TrackingConfig], Tracker]] = {
    DisTracker.name: DisTracker,
    LKTracker.name: LKTracker,
    CoTrackerTracker.name: CoTrackerTracker,
}


def make_tracker(cfg: TrackingConfig) -> Tracker:
    """Build the tracker that ``cfg.backend`` names.

    Args:
        cfg: the tracking config.

    Returns:
        A fresh tracker with no frames and no point sets.

    Raises:
        ConfigError: if the backend is not in :data:`TRACKERS` (or, for cotracker, its clone
            or checkpoint is missing).
    """
    backend = str(cfg.backend)
    if backend not in TRACKERS:
        raise ConfigError(
            f"tracking.backend: expected one of {sorted(TRACKERS)}, got {backend!r}; "
            "set tracking.backend to an available tracker"
        )
    return TRACKERS[backend](cfg)
