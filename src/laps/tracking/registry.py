"""Name -> tracker class, and the factory the pipeline calls."""

from __future__ import annotations

from laps.errors import ConfigError
from laps.tracking.base import Tracker
from laps.tracking.config import TrackingConfig
from laps.tracking.dis import DisTracker
from laps.tracking.lk import LKTracker
from laps.tracking.pointsets import PointSetTracker

TRACKERS: dict[str, type[PointSetTracker]] = {
    DisTracker.name: DisTracker,
    LKTracker.name: LKTracker,
}


def make_tracker(cfg: TrackingConfig) -> Tracker:
    """Build the tracker that ``cfg.backend`` names.

    Args:
        cfg: the tracking config.

    Returns:
        A fresh tracker with no frames and no point sets.

    Raises:
        ConfigError: if the backend is not in :data:`TRACKERS`.
    """
    backend = str(cfg.backend)
    if backend not in TRACKERS:
        raise ConfigError(
            f"tracking.backend: expected one of {sorted(TRACKERS)}, got {backend!r}; "
            "set tracking.backend to an available tracker"
        )
    return TRACKERS[backend](cfg)
