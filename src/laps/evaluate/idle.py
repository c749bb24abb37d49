"""False boundaries inside true idle: predicted cuts where the worker is known to rest.

A predicted boundary is *false in idle* when it lies inside a ground-truth segment labelled
idle, farther than a tolerance from both edges of that segment. The rate divides their
count by the minutes of true idle, so a segmenter that chops every pause into pieces scores
high and one that leaves idle whole scores 0. A video without true idle has no rate (None).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from laps.evaluate.boundaries import TIME_EPS, boundaries_from_segments
from laps.evaluate.tracks import SegmentTrack, VideoPair


@dataclass(frozen=True, slots=True)
class IdleScore:
    """One video's false boundaries in idle.

    Attributes:
        idle_s: seconds of true idle (0 when the truth has none, or no labels).
        false_boundaries: predicted boundaries deep inside true idle; None without a
            prediction.
    """

    idle_s: float
    false_boundaries: int | None

    @property
    def per_min(self) -> float | None:
        """False boundaries per minute of true idle; None without idle or prediction."""
        if self.false_boundaries is None or self.idle_s <= 0:
            return None
        return 60.0 * self.false_boundaries / self.idle_s


def idle_spans(track: SegmentTrack, label: str) -> list[tuple[float, float]]:
    """The segments labelled ``label`` (none when the track has no labels)."""
    if track.labels is None:
        return []
    return [seg for seg, lab in zip(track.segments, track.labels, strict=True) if lab == label]


def false_in_idle(
    boundaries: np.ndarray, spans: Sequence[tuple[float, float]], tolerance_s: float
) -> int:
    """Boundaries farther than ``tolerance_s`` from both edges of some span they lie in."""
    inside = np.zeros(boundaries.shape, dtype=bool)
    margin = tolerance_s + TIME_EPS
    for start, end in spans:
        inside |= (boundaries > start + margin) & (boundaries < end - margin)
    return int(inside.sum())


def idle_score(pair: VideoPair, tolerance_s: float, label: str) -> IdleScore:
    """Score one video: its predicted boundaries (deduplicated) against its true idle."""
    spans = idle_spans(pair.gt, label)
    idle_s = float(sum(end - start for start, end in spans))
    if pair.pred is None:
        return IdleScore(idle_s, None)
    pred = boundaries_from_segments(pair.pred.segments, pair.duration_s)
    return IdleScore(idle_s, false_in_idle(pred, spans, tolerance_s))


def idle_values(score: IdleScore) -> dict[str, Any]:
    """The per-video columns."""
    return {
        "idle_s": round(score.idle_s, 6),
        "idle_false_boundaries": score.false_boundaries,
        "idle_false_per_min": score.per_min,
    }


def idle_summary(scores: Sequence[IdleScore]) -> dict[str, Any]:
    """Macro (mean over videos with idle and a prediction) and micro (pooled) rates."""
    rated = [s for s in scores if s.per_min is not None]
    idle_s = sum(s.idle_s for s in rated)
    false = sum(s.false_boundaries or 0 for s in rated)
    return {
        "idle_videos": sum(1 for s in scores if s.idle_s > 0),
        "idle_s": round(sum(s.idle_s for s in scores), 6),
        "idle_false_per_min": float(np.mean([s.per_min for s in rated])) if rated else None,
        "idle_false_per_min_micro": 60.0 * false / idle_s if rated else None,
    }
