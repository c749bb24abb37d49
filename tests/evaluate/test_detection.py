"""Segment mAP on hand-worked cases (reference rule: confidence order, greedy by IoU)."""

import numpy as np
import pytest

from laps.evaluate.detection import (
    Detection,
    average_precision,
    detection_ap,
    temporal_iou,
    true_positives,
)

GT = {"a": [(0.0, 10.0), (10.0, 20.0)]}
DETS = [
    Detection("a", (0.0, 9.0), 0.9),  # IoU 0.9 with the first
    Detection("a", (10.0, 14.0), 0.8),  # IoU 0.4 with the second
    Detection("a", (1.0, 9.0), 0.7),  # the first is taken, nothing else overlaps
    Detection("a", (10.0, 20.0), 0.6),  # IoU 1 with the second, if still free
]


def test_temporal_iou():
    assert temporal_iou((0, 10), (5, 15)) == pytest.approx(5 / 15)
    assert temporal_iou((0, 1), (2, 3)) == 0.0
    assert temporal_iou((1, 1), (1, 1)) == 0.0


def test_hand_worked_ap_at_half():
    # TP, FP, FP, TP: recall .5 .5 .5 1, precision 1 .5 .33 .5 -> .5 * 1 + .5 * .5.
    assert true_positives(DETS, GT, 0.5).tolist() == [True, False, False, True]
    assert detection_ap(DETS, GT, 0.5) == pytest.approx(0.75)


def test_hand_worked_ap_at_lower_iou():
    # 10-14 now hits the second segment, so 10-20 finds nothing free: TP TP FP FP.
    assert true_positives(DETS, GT, 0.3).tolist() == [True, True, False, False]
    assert detection_ap(DETS, GT, 0.3) == pytest.approx(1.0)


def test_missing_video_ground_truth_counts_as_positives():
    truth = GT | {"b": [(0.0, 5.0), (5.0, 9.0)]}
    assert detection_ap(DETS, truth, 0.5) == pytest.approx(0.25 * 1 + 0.25 * 0.5)


def test_order_is_by_confidence_not_input():
    shuffled = [DETS[k] for k in (3, 1, 0, 2)]
    assert detection_ap(shuffled, GT, 0.5) == pytest.approx(0.75)


def test_detections_only_match_their_own_video():
    dets = [Detection("b", (0.0, 10.0), 1.0)]
    assert detection_ap(dets, GT | {"b": []}, 0.5) == 0.0


def test_envelope_and_empty_cases():
    assert average_precision(np.array([0.5, 1.0]), np.array([0.5, 1.0])) == pytest.approx(1.0)
    assert detection_ap([], GT, 0.5) == 0.0
    assert detection_ap(DETS, {"a": []}, 0.5) == 0.0
