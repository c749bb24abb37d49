"""Boundary precision / recall / F1 at a time tolerance, with one-to-one matching.

A predicted boundary matches at most one true boundary and vice versa; the matching
maximises the number of pairs within the tolerance (an assignment problem), so a cluster of
predictions near one true boundary counts once, unlike the reference's greedy rule.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from numpy.typing import ArrayLike
from scipy.optimize import linear_sum_assignment

from laps.errors import LapsError


@dataclass(frozen=True, slots=True)
class BoundaryScore:
    """Boundary matching result at one tolerance."""

    tolerance_s: float
    precision: float
    recall: float
    f1: float
    n_true: int
    n_pred: int
    n_matched: int


def boundaries_from_segments(
    segments: Iterable[tuple[float, float]], duration_s: float | None = None, eps: float = 1e-6
) -> np.ndarray:
    """Sorted unique segment starts and ends, without the video's own start and end."""
    points = sorted({round(t, 6) for seg in segments for t in seg})
    out = [t for t in points if t > eps and (duration_s is None or t < duration_s - eps)]
    return np.asarray(out, dtype=np.float64)


def match_count(true_s: np.ndarray, pred_s: np.ndarray, tolerance_s: float) -> int:
    """Largest number of one-to-one pairs with |pred - true| <= tolerance."""
    if true_s.size == 0 or pred_s.size == 0:
        return 0
    dist = np.abs(true_s[:, None] - pred_s[None, :])
    feasible = dist <= tolerance_s
    big = (tolerance_s + 1.0) * (min(dist.shape) + 1)
    rows, cols = linear_sum_assignment(np.where(feasible, dist, big))
    return int(feasible[rows, cols].sum())


def boundary_score(true_s: ArrayLike, pred_s: ArrayLike, tolerance_s: float) -> BoundaryScore:
    """Precision, recall and F1 of predicted boundaries (seconds) at a tolerance."""
    t = np.asarray(true_s, dtype=np.float64)
    p = np.asarray(pred_s, dtype=np.float64)
    m = match_count(t, p, tolerance_s)
    precision = m / p.size if p.size else 0.0
    recall = m / t.size if t.size else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall > 0 else 0.0
    return BoundaryScore(tolerance_s, precision, recall, f1, int(t.size), int(p.size), m)


def read_segments_json(path: Path) -> tuple[list[tuple[float, float]], float | None]:
    """Read segments and duration from a file in the ground-truth JSON format."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
        segs = [(float(s["start_sec"]), float(s["end_sec"])) for s in data["segments"]]
    except (OSError, ValueError, KeyError, TypeError) as err:
        raise LapsError(
            f"{path}: not a segments JSON ({err}); expected "
            "{video, segments: [{start_sec, end_sec, label}], fps, video_duration_sec}"
        ) from err
    duration = data.get("video_duration_sec")
    return segs, None if duration is None else float(duration)
