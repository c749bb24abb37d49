"""Dataset-level boundary and count summaries (macro and micro)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from laps.evaluate.boundaries import BoundaryScore, prf
from laps.evaluate.options import EvalOptions, tol_key


def _per_minute(count: int, seconds: float) -> float:
    return 60.0 * count / seconds if seconds > 0 else 0.0


def count_summary(rows: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    """Videos, segments, and segments per minute of the videos that have a prediction."""
    predicted = [r for r in rows if r["has_prediction"]]
    pred_s = sum(r["duration_s"] for r in predicted)
    return {
        "videos": len(rows),
        "videos_without_prediction": len(rows) - len(predicted),
        "gt_segments": sum(r["gt_segments"] for r in rows),
        "pred_segments": sum(r["pred_segments"] for r in rows),
        "gt_segments_per_min": _per_minute(sum(r["gt_segments"] for r in predicted), pred_s),
        "pred_segments_per_min": _per_minute(sum(r["pred_segments"] for r in predicted), pred_s),
    }


def boundary_summary(
    scores: Sequence[Sequence[BoundaryScore]], opts: EvalOptions
) -> dict[str, float]:
    """Per tolerance: macro P/R/F1 (mean over videos) and micro P/R/F1 (summed counts)."""
    out: dict[str, float] = {}
    for k, tol in enumerate(opts.tolerances):
        at = [video[k] for video in scores]
        key = tol_key(tol)
        out[f"precision@{key}"] = float(np.mean([s.precision for s in at]))
        out[f"recall@{key}"] = float(np.mean([s.recall for s in at]))
        out[f"f1@{key}"] = float(np.mean([s.f1 for s in at]))
        counts = (
            sum(s.n_true for s in at),
            sum(s.n_pred for s in at),
            sum(s.n_matched for s in at),
        )
        p, r, f = prf(*counts)
        out |= {f"precision_micro@{key}": p, f"recall_micro@{key}": r, f"f1_micro@{key}": f}
    return out
