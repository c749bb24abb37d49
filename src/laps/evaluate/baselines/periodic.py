"""The trivial baseline: a cut every P seconds, whatever the video shows."""

from __future__ import annotations

import math

from laps.errors import ConfigError
from laps.evaluate.baselines.prediction import PredictedSegment

_EPS_S = 1e-9  # a duration that is a multiple of P up to float error gets no empty tail


def periodic_segments(
    duration_s: float, period_s: float, label: str = "period"
) -> list[PredictedSegment]:
    """Contiguous segments ``[k P, (k + 1) P)``, the last one cut at ``duration_s``.

    Raises:
        ConfigError: duration or period not a finite number > 0.
    """
    for name, v in (("duration_s", duration_s), ("period_s", period_s)):
        if not (math.isfinite(v) and v > 0):
            raise ConfigError(f"periodic: expected {name} > 0, got {v!r}; pass a positive time")
    n = max(1, math.ceil(duration_s / period_s - _EPS_S))
    bounds = [k * period_s for k in range(n)] + [duration_s]
    return [PredictedSegment(bounds[k], bounds[k + 1], label) for k in range(n)]
