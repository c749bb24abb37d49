"""Label scoring over paired videos: frames, Hungarian mapping, MoF / Edit / F1@k rows."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from laps.errors import LapsError
from laps.evaluate.framewise import (
    DEFAULT_RATE_HZ,
    Labels,
    apply_mapping,
    frame_labels,
    frame_times,
    hungarian_mapping,
    merged_counts,
    overlap_counts,
)
from laps.evaluate.labels import LabelScore, missing_score, score_labels, segmental_f1
from laps.evaluate.options import EvalOptions, overlap_key
from laps.evaluate.tracks import SegmentTrack, VideoPair


def _labelled(track: SegmentTrack, what: str, name: str) -> tuple[str, ...]:
    if track.labels is None and track.segments:
        raise LapsError(
            f"{track.source or name}: --labels expected a 'label' on every {what} segment, "
            "got a segment without one; add labels or drop --labels"
        )
    return track.labels or ()


def frames_of(
    pair: VideoPair, duration_s: float, opts: EvalOptions
) -> tuple[Labels | None, Labels]:
    """Predicted (None when missing) and true frame labels of one video."""
    rate = opts.label_rate_hz or pair.gt.fps or DEFAULT_RATE_HZ
    times = frame_times(duration_s, rate)
    truth = frame_labels(pair.gt.segments, _labelled(pair.gt, "ground-truth", pair.name), times)
    if pair.pred is None:
        return None, truth
    pred = frame_labels(pair.pred.segments, _labelled(pair.pred, "predicted", pair.name), times)
    return pred, truth


def label_scores(pairs: Sequence[VideoPair], opts: EvalOptions) -> list[LabelScore]:
    """Each video's label score, after a per-video or a global Hungarian mapping."""
    frames = [frames_of(p, p.duration_s, opts) for p in pairs]
    shared = None
    if opts.label_matching == "global":
        shared = hungarian_mapping(
            merged_counts(overlap_counts(p, t) for p, t in frames if p is not None)
        )
    out = []
    for pred, truth in frames:
        if pred is None:
            out.append(missing_score(truth, opts.f1_overlaps))
            continue
        mapping = shared if shared is not None else hungarian_mapping(overlap_counts(pred, truth))
        out.append(score_labels(apply_mapping(pred, mapping), truth, opts.f1_overlaps))
    return out


def label_values(score: LabelScore, opts: EvalOptions) -> dict[str, Any]:
    """One video's MoF, Edit and F1@k (0-100)."""
    row: dict[str, Any] = {"frames": score.frames, "mof": score.mof, "edit": score.edit}
    for k, overlap in enumerate(opts.f1_overlaps):
        row[f"f1@{overlap_key(overlap)}"] = segmental_f1(score.tp[k], score.fp[k], score.fn[k])
    return row


def label_summary(scores: Sequence[LabelScore], opts: EvalOptions) -> dict[str, float]:
    """MoF over all frames, Edit averaged over videos, F1@k from counts summed over videos."""
    frames = sum(s.frames for s in scores)
    out = {
        "mof": 100.0 * sum(s.correct for s in scores) / frames if frames else 0.0,
        "edit": float(np.mean([s.edit for s in scores])),
    }
    for k, overlap in enumerate(opts.f1_overlaps):
        tp, fp, fn = (sum(getattr(s, f)[k] for s in scores) for f in ("tp", "fp", "fn"))
        out[f"f1@{overlap_key(overlap)}"] = segmental_f1(tp, fp, fn)
    return out
