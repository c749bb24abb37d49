"""Boundary precision / recall / F1 at a time tolerance: one-to-one or the reference's greedy.

One-to-one (the default): a predicted boundary matches at most one true boundary and vice
versa; the matching maximises the number of pairs within the tolerance (an assignment
problem), so a cluster of predictions near one true boundary counts once.

Greedy (the reference evaluator, for comparison with the paper): every segment start > 0 and
every end < duration is a boundary, not deduplicated; each true boundary in ascending order
takes the nearest prediction not yet used, a hit when it lies within the tolerance.

Distances are compared with ``<= tolerance + TIME_EPS`` so that decimal times such as
1.1 - 0.6 are not lost to float rounding.
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

TIME_EPS = 1e-9


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
    feasible = dist <= tolerance_s + TIME_EPS
    big = (tolerance_s + 1.0) * (min(dist.shape) + 1)
    rows, cols = linear_sum_assignment(np.where(feasible, dist, big))
    return int(feasible[rows, cols].sum())


def prf(n_true: int, n_pred: int, n_matched: int) -> tuple[float, float, float]:
    """Precision, recall, F1 from counts.

    Nothing to find counts as full recall; nothing found as zero precision, except that
    nothing to find and nothing found is a perfect score.
    """
    recall = n_matched / n_true if n_true else 1.0
    precision = n_matched / n_pred if n_pred else float(n_true == 0)
    f1 = 2 * precision * recall / (precision + recall) if precision + recall > 0 else 0.0
    return precision, recall, f1


def boundary_score(true_s: ArrayLike, pred_s: ArrayLike, tolerance_s: float) -> BoundaryScore:
    """Precision, recall and F1 of predicted boundaries (seconds), one-to-one matching."""
    t = np.asarray(true_s, dtype=np.float64)
    p = np.asarray(pred_s, dtype=np.float64)
    m = match_count(t, p, tolerance_s)
    return BoundaryScore(tolerance_s, *prf(t.size, p.size, m), int(t.size), int(p.size), m)


def reference_boundaries(segments: Iterable[tuple[float, float]], duration_s: float) -> np.ndarray:
    """The reference's boundary list: starts > 0 and ends < duration, sorted, with repeats."""
    out: list[float] = []
    for start, end in segments:
        out += [start] if start > 0 else []
        out += [end] if end < duration_s else []
    return np.sort(np.asarray(out, dtype=np.float64))


def greedy_match_count(true_s: np.ndarray, pred_s: np.ndarray, tolerance_s: float) -> int:
    """Hits of the reference's greedy rule.

    Each true boundary, ascending, takes the nearest unused prediction: a hit within the
    tolerance. A prediction is used up only by a hit.
    """
    free = np.ones(pred_s.size, dtype=bool)
    hits = 0
    for t in np.sort(true_s):
        dist = np.where(free, np.abs(pred_s - t), np.inf)
        j = int(np.argmin(dist)) if dist.size else -1  # first of equals, as the reference
        if j >= 0 and dist[j] <= tolerance_s + TIME_EPS:
            free[j] = False
            hits += 1
    return hits


def greedy_boundary_score(
    true_s: ArrayLike, pred_s: ArrayLike, tolerance_s: float
) -> BoundaryScore:
    """The reference evaluator's boundary score, its edge cases included.

    With no true boundaries: precision 1, and recall = F1 = 1 without predictions, else 0.
    """
    t = np.sort(np.asarray(true_s, dtype=np.float64))
    p = np.sort(np.asarray(pred_s, dtype=np.float64))
    if t.size == 0:
        r = float(p.size == 0)
        return BoundaryScore(tolerance_s, 1.0, r, r, 0, int(p.size), 0)
    m = greedy_match_count(t, p, tolerance_s)
    precision = m / p.size if p.size else 0.0
    recall = m / t.size
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
