"""Segment counts and lengths: how the prediction cuts the video, beside the truth.

``segment_ratio`` = predicted / true segment count (1 = as many segments as the truth);
the length quantiles (p10, median, p90, s) describe the distribution of segment lengths on
each side. Every predicted segment counts, whatever its label (``idle``, ``active`` or
none); gaps between predicted segments are not segments.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import numpy as np

from laps.evaluate.tracks import VideoPair

QUANTILES: tuple[tuple[str, float], ...] = (("p10", 0.1), ("median", 0.5), ("p90", 0.9))
SIDES = ("pred", "gt")


def length_keys() -> list[str]:
    """``pred_len_p10`` ... ``gt_len_p90``: the length columns, predicted first."""
    return [f"{side}_len_{name}" for side in SIDES for name, _ in QUANTILES]


def length_quantiles(segments: Iterable[tuple[float, float]]) -> dict[str, float | None]:
    """p10, median and p90 of the segment lengths, s (numpy's linear interpolation)."""
    lengths = np.asarray([end - start for start, end in segments], dtype=np.float64)
    if lengths.size == 0:
        return {name: None for name, _ in QUANTILES}
    return {name: float(np.quantile(lengths, q)) for name, q in QUANTILES}


def length_values(pair: VideoPair) -> dict[str, Any]:
    """Per-video columns: the count ratio and both sides' length quantiles.

    Without a prediction the ratio and the predicted quantiles are None; the ratio is also
    None when the truth has no segment.
    """
    n_gt = len(pair.gt.segments)
    pred = pair.pred
    row: dict[str, Any] = {
        "segment_ratio": len(pred.segments) / n_gt if pred is not None and n_gt else None
    }
    sides = {"pred": pred.segments if pred is not None else None, "gt": pair.gt.segments}
    for side, segments in sides.items():
        values = length_quantiles(segments) if segments is not None else {}
        row |= {f"{side}_len_{name}": values.get(name) for name, _ in QUANTILES}
    return row


def _mean(values: Iterable[Any]) -> float | None:
    kept = [float(v) for v in values if v is not None]
    return float(np.mean(kept)) if kept else None


def length_summary(rows: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    """Means over the videos that have a prediction; ``segment_ratio_micro`` pools counts."""
    predicted = [r for r in rows if r["has_prediction"]]
    n_gt = sum(r["gt_segments"] for r in predicted)
    out: dict[str, Any] = {
        "segment_ratio": _mean(r["segment_ratio"] for r in predicted),
        "segment_ratio_micro": sum(r["pred_segments"] for r in predicted) / n_gt if n_gt else None,
    }
    return out | {key: _mean(r[key] for r in predicted) for key in length_keys()}
