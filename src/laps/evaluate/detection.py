"""Class-agnostic segment detection: average precision at a temporal-IoU threshold.

The reference's rule: predictions of all videos sorted by confidence (descending, stable);
each takes the unused ground-truth segment of its own video with the highest IoU (> 0) and is
a true positive when that IoU reaches the threshold. AP is the VOC all-points area under the
precision envelope; the number of positives counts every ground-truth segment, those of
videos without a prediction included.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

Span = tuple[float, float]


@dataclass(frozen=True, slots=True)
class Detection:
    """One predicted segment with its confidence, in the video it belongs to."""

    video: str
    span: Span
    confidence: float


def temporal_iou(a: Span, b: Span) -> float:
    """Intersection over union of two time spans (union floored at 1e-8, as the reference)."""
    inter = max(0.0, min(a[1], b[1]) - max(a[0], b[0]))
    union = max(1e-8, (a[1] - a[0]) + (b[1] - b[0]) - inter)
    return inter / union


def average_precision(recall: np.ndarray, precision: np.ndarray) -> float:
    """VOC all-points AP: area under the monotone (non-increasing) precision envelope."""
    mrec = np.concatenate(([0.0], recall, [1.0]))
    mpre = np.concatenate(([0.0], precision, [0.0]))
    mpre = np.maximum.accumulate(mpre[::-1])[::-1]
    steps = np.flatnonzero(mrec[1:] != mrec[:-1])
    return float(np.sum((mrec[steps + 1] - mrec[steps]) * mpre[steps + 1]))


def _best_unused(span: Span, gts: Sequence[Span], used: np.ndarray) -> tuple[int, float]:
    best, best_iou = -1, 0.0
    for i, g in enumerate(gts):
        if not used[i]:
            iou = temporal_iou(span, g)
            if iou > best_iou:
                best, best_iou = i, iou
    return best, best_iou


def true_positives(
    detections: Sequence[Detection], truth: Mapping[str, Sequence[Span]], iou_threshold: float
) -> np.ndarray:
    """TP flag of each detection, in confidence order (highest first, stable)."""
    used = {video: np.zeros(len(spans), dtype=bool) for video, spans in truth.items()}
    order = sorted(detections, key=lambda d: -d.confidence)
    flags = np.zeros(len(order), dtype=bool)
    for k, det in enumerate(order):
        gts = truth.get(det.video, ())
        i, iou = _best_unused(det.span, gts, used.get(det.video, np.zeros(0, dtype=bool)))
        if i >= 0 and iou >= iou_threshold:
            used[det.video][i] = True
            flags[k] = True
    return flags


def detection_ap(
    detections: Sequence[Detection], truth: Mapping[str, Sequence[Span]], iou_threshold: float
) -> float:
    """Average precision of the detections at one IoU threshold (0 without ground truth)."""
    n_pos = sum(len(spans) for spans in truth.values())
    if n_pos == 0:
        return 0.0
    tp = np.cumsum(true_positives(detections, truth, iou_threshold))
    fp = np.arange(1, tp.size + 1) - tp
    return average_precision(tp / n_pos, tp / np.maximum(tp + fp, 1e-12))
