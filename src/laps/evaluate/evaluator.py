"""Score paired videos: a row of metrics per video and a summary over the dataset.

Boundary scores are per video, then averaged over ground-truth videos (macro, as the
reference) and recomputed from summed counts (micro). The segment mAP pools the predictions
of all videos (reference); each video's own AP is reported beside it. A video without a
prediction scores zero everywhere and its ground truth still counts.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass
from typing import Any

import numpy as np

from laps.errors import LapsError
from laps.evaluate.boundaries import (
    BoundaryScore,
    boundaries_from_segments,
    boundary_score,
    greedy_boundary_score,
    reference_boundaries,
)
from laps.evaluate.detection import Detection, detection_ap
from laps.evaluate.idle import IdleScore, idle_score, idle_summary, idle_values
from laps.evaluate.labelling import label_scores, label_summary, label_values
from laps.evaluate.lengths import length_summary, length_values
from laps.evaluate.options import EvalOptions, iou_key, tol_key
from laps.evaluate.summary import boundary_summary, count_summary
from laps.evaluate.tracks import SegmentTrack, VideoPair

logger = logging.getLogger(__name__)

Row = Mapping[str, Any]


@dataclass(frozen=True, slots=True)
class EvalReport:
    """The result of :func:`evaluate`.

    Attributes:
        options: the settings used.
        per_video: one flat row per ground-truth video, sorted by name (key ``video``).
        summary: flat dataset-level metrics (keys listed in docs/EVALUATION.md).
    """

    options: EvalOptions
    per_video: tuple[Row, ...]
    summary: Row

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready: ``{options, summary, per_video: {video: row}}``."""
        return {
            "options": asdict(self.options),
            "summary": dict(self.summary),
            "per_video": {
                r["video"]: {k: v for k, v in r.items() if k != "video"} for r in self.per_video
            },
        }


def _boundaries(track: SegmentTrack, duration: float, matching: str) -> np.ndarray:
    if matching == "greedy":
        return reference_boundaries(track.segments, duration)
    return boundaries_from_segments(track.segments, duration)


def boundary_scores(pair: VideoPair, opts: EvalOptions) -> list[BoundaryScore]:
    """One score per tolerance; zero everywhere for a missing prediction (reference)."""
    duration = pair.duration_s
    true = _boundaries(pair.gt, duration, opts.matching)
    if pair.pred is None:
        return [BoundaryScore(t, 0.0, 0.0, 0.0, int(true.size), 0, 0) for t in opts.tolerances]
    pred = _boundaries(pair.pred, duration, opts.matching)
    score = greedy_boundary_score if opts.matching == "greedy" else boundary_score
    return [score(true, pred, t) for t in opts.tolerances]


def detections(pair: VideoPair) -> list[Detection]:
    """The prediction's segments with confidences (duration when the file has none)."""
    if pair.pred is None:
        return []
    spans = pair.pred.segments
    conf = pair.pred.confidences or tuple(e - s for s, e in spans)
    return [Detection(pair.name, span, c) for span, c in zip(spans, conf, strict=True)]


def _confidence_kind(pred: SegmentTrack | None) -> str:
    if pred is None or pred.confidences is None:
        return "duration"
    return "given" if pred.confidence_source == "none" else pred.confidence_source


def _row(
    pair: VideoPair, scores: list[BoundaryScore], idle: IdleScore, opts: EvalOptions
) -> dict[str, Any]:
    pred = pair.pred
    row: dict[str, Any] = {
        "video": pair.name,
        "has_prediction": pred is not None,
        "duration_s": round(pair.duration_s, 6),
        "gt_segments": len(pair.gt.segments),
        "pred_segments": len(pred.segments) if pred else 0,
        "gt_boundaries": scores[0].n_true,
        "pred_boundaries": scores[0].n_pred,
        "confidence": _confidence_kind(pred),
    }
    for s in scores:
        key = tol_key(s.tolerance_s)
        row |= {f"precision@{key}": s.precision, f"recall@{key}": s.recall, f"f1@{key}": s.f1}
        row[f"tp@{key}"] = s.n_matched
    truth = {pair.name: pair.gt.segments}
    for iou in opts.ious:
        row[f"ap@{iou_key(iou)}"] = detection_ap(detections(pair), truth, iou)
    return row | idle_values(idle) | length_values(pair)


def _warn_mixed_confidences(rows: Sequence[Row]) -> None:
    kinds = sorted({r["confidence"] for r in rows if r["pred_segments"]})
    if len(kinds) > 1:
        logger.warning(
            "confidences mix %s across videos: the pooled mAP ranks unlike scales together",
            " and ".join(kinds),
        )


def evaluate(pairs: Sequence[VideoPair], options: EvalOptions | None = None) -> EvalReport:
    """Score every pair; see docs/EVALUATION.md for the definitions.

    Raises:
        LapsError: with no pair, or with ``labels`` on and a segment without a label.
    """
    opts = options or EvalOptions()
    if not pairs:
        raise LapsError("expected at least one video to evaluate, got none; check the inputs")
    scores = [boundary_scores(p, opts) for p in pairs]
    idle = [idle_score(p, opts.idle_tolerance_s, opts.idle_label) for p in pairs]
    rows = [_row(*args, opts) for args in zip(pairs, scores, idle, strict=True)]
    _warn_mixed_confidences(rows)
    summary = count_summary(rows) | boundary_summary(scores, opts)
    summary |= idle_summary(idle) | length_summary(rows)
    dets = [d for p in pairs for d in detections(p)]
    truth = {p.name: p.gt.segments for p in pairs}
    summary |= {f"map@{iou_key(i)}": detection_ap(dets, truth, i) for i in opts.ious}
    if opts.labels:
        labelled = label_scores(pairs, opts)
        rows = [r | label_values(s, opts) for r, s in zip(rows, labelled, strict=True)]
        summary |= label_summary(labelled, opts)
    return EvalReport(opts, tuple(rows), summary)
