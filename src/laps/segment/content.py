"""Parameters and batch entry point of the ``content`` segmenter (idle + evidence cuts).

Two layers decide where segments are (docs/ACCURACY.md has the measurements):

1. **Activity.** Per frame step, hand motion apart from camera and background motion
   (:mod:`laps.segment.motion`), a moving median over ``smooth`` steps, compared with
   ``on`` / ``off`` (hysteresis). A switch between idle and active holds only when the new
   state lasts ``min_idle`` (to idle) or ``min_active`` (to active) steps, so every still
   stretch becomes one ``idle`` segment however long, its ends at the step resolution.
2. **Change points inside active stretches.** The hand's motion pattern (velocity, its
   absolute components and speed, averaged over ``pattern`` steps) of the ``half_width``
   steps before and after every sample are compared by a two-sample statistic in units of
   their own spread (:func:`laps.segment.motion.evidence`); cuts are its peaks of at least
   ``threshold``, at least ``min_distance`` steps apart (a guard of <= 0.3 s, not a rate).

All state is causal with a bounded delay (:mod:`laps.segment.content_stream`), so a live
stream and a file give the same segments.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

import numpy as np

from laps.errors import ConfigError

IDLE, ACTIVE = "idle", "active"


@dataclass(frozen=True, slots=True)
class ContentParams:
    """Parameters of the content segmenter, in steps (sampled-frame intervals).

    Attributes:
        threshold: minimum change evidence of a cut inside an active stretch.
        on: smoothed activity that starts an active stretch (normalised speed per step).
        off: smoothed activity below which a stretch may turn idle (<= on).
        min_idle: steps a still stretch must last to become idle.
        min_active: steps a motion must last to end an idle stretch.
        smooth: centred moving-median width of the activity, steps (odd).
        pattern: centred average of the hand features before they are compared, steps
            (odd): long enough to hold a cycle of a periodic motion.
        half_width: steps compared on each side of a candidate cut.
        min_distance: guard between cuts, steps.
        pool: cells' residuals are averaged over ``pool`` x ``pool`` neighbourhoods first
            (odd; 1 = off): coherent hand motion stays, tracking noise shrinks.
        top_k: fastest cells averaged into a step's activity.
        warmup: steps observed before the per-cell floors start tracking.
        floor_rate: log-domain step of the per-cell floor tracker.
        floor_quantile: which quantile of each cell's speed is its floor.
        direction_rate: EMA rate of each cell's mean velocity and speed.
        max_directedness: cells more directed than this are background (a belt).
        sigma0: spread added to the evidence's denominator (normalised speed).
    """

    threshold: float = 4.0
    on: float = 0.008
    off: float = 0.0053
    min_idle: int = 8
    min_active: int = 3
    smooth: int = 5
    pattern: int = 15
    half_width: int = 12
    min_distance: int = 3
    pool: int = 1
    top_k: int = 4
    warmup: int = 50
    floor_rate: float = 0.02
    floor_quantile: float = 0.2
    direction_rate: float = 0.002
    max_directedness: float = 0.6
    sigma0: float = 0.003

    def __post_init__(self) -> None:
        for name in ("threshold", "on", "off", "floor_rate", "direction_rate", "sigma0"):
            value = getattr(self, name)
            if not (np.isfinite(value) and value >= 0):
                raise ConfigError(
                    f"segment.content.{name}: expected a finite number >= 0, got {value}; fix it"
                )
        if not 0 < self.floor_quantile < 1:
            raise ConfigError(
                f"segment.content.floor_quantile: expected a number in (0, 1), got "
                f"{self.floor_quantile}; fix it"
            )
        if self.off > self.on:
            raise ConfigError(
                f"segment.content.off: expected <= on ({self.on}), got {self.off}; lower it"
            )
        for name in ("min_idle", "min_active", "smooth", "pattern", "half_width", "min_distance"):
            _check_int(name, getattr(self, name))
        _check_int("top_k", self.top_k)
        _check_int("warmup", self.warmup)
        _check_int("pool", self.pool)
        for name in ("smooth", "pattern", "pool"):
            if getattr(self, name) % 2 == 0:
                raise ConfigError(
                    f"segment.content.{name}: expected an odd width, got {getattr(self, name)}"
                )

    def to_dict(self) -> dict[str, Any]:
        """The parameters as plain values (manifest, segments.json)."""
        return asdict(self)


def _check_int(name: str, value: object) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ConfigError(f"segment.content.{name}: expected an integer >= 1, got {value!r}")
