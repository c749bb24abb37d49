"""evaluate(): per-video rows, macro / micro summaries, mAP, labels, options."""

import json

import pytest

from laps.errors import ConfigError, LapsError
from laps.evaluate import EvalOptions, SegmentTrack, VideoPair, evaluate
from laps.evaluate.report import csv_text


def track(spans, labels=None, conf=None, duration=None, fps=None):
    return SegmentTrack(
        segments=tuple((float(s), float(e)) for s, e in spans),
        labels=None if labels is None else tuple(labels),
        confidences=None if conf is None else tuple(conf),
        duration_s=duration,
        fps=fps,
    )


GT_A = track([(0, 2), (2, 5), (5, 10)], labels="xyz", duration=10.0, fps=10.0)
GT_B = track([(0, 4), (4, 8)], labels="xy", duration=8.0, fps=10.0)


def test_perfect_plus_missing_video_macro_and_micro():
    pairs = [VideoPair("a", GT_A, GT_A), VideoPair("b", GT_B, None)]
    rep = evaluate(pairs, EvalOptions(tolerances=(1.0,), ious=(0.5,)))
    a, b = rep.per_video
    assert (a["f1@1s"], b["f1@1s"]) == (1.0, 0.0)
    assert b["has_prediction"] is False and b["gt_boundaries"] == 1
    s = rep.summary
    assert s["f1@1s"] == pytest.approx(0.5)  # mean over GT videos (reference)
    # micro: 2 + 1 true boundaries, 2 predicted, 2 matched.
    assert (s["precision_micro@1s"], s["recall_micro@1s"]) == pytest.approx((1.0, 2 / 3))
    assert s["map@0.5"] == pytest.approx(3 / 5)  # 3 TPs ranked first, 5 GT segments
    assert a["ap@0.5"] == 1.0 and b["ap@0.5"] == 0.0
    assert (s["videos"], s["videos_without_prediction"], s["gt_segments"]) == (2, 1, 5)
    assert s["pred_segments_per_min"] == pytest.approx(3 / (10 / 60))


def test_greedy_and_one_to_one_differ():
    gt = track([(0, 1), (1, 2), (2, 3)], duration=3.0)
    pred = track([(0, 0.3), (0.3, 1.6), (1.6, 3)], duration=3.0)
    pairs = [VideoPair("v", gt, pred)]
    one = evaluate(pairs, EvalOptions(tolerances=(0.75,))).summary
    greedy = evaluate(pairs, EvalOptions(tolerances=(0.75,), matching="greedy")).summary
    assert one["recall@0.75s"] == 1.0
    assert greedy["recall@0.75s"] == 0.5  # boundaries counted twice, 2 of 4 matched


def test_confidence_ranks_the_segments():
    gt = track([(0, 10), (10, 20)], duration=20.0)
    good_low = track([(0, 10), (12, 14)], conf=[0.1, 0.9], duration=20.0)
    rep = evaluate([VideoPair("v", gt, good_low)], EvalOptions(ious=(0.5,)))
    assert rep.per_video[0]["confidence"] == "given"
    assert rep.summary["map@0.5"] == pytest.approx(0.5 * 0.5)  # FP first, then the TP
    by_duration = evaluate([VideoPair("v", gt, track([(0, 10), (12, 14)]))])
    assert by_duration.summary["map@0.5"] == pytest.approx(0.5)


def test_labels_scores_and_rows():
    pred_a = track([(0, 2), (2, 5), (5, 10)], labels=["c1", "c2", "c3"])
    pairs = [VideoPair("a", GT_A, pred_a), VideoPair("b", GT_B, None)]
    rep = evaluate(pairs, EvalOptions(labels=True))
    a, b = rep.per_video
    assert (a["mof"], a["edit"], a["f1@50"], a["frames"]) == (100.0, 100.0, 100.0, 100)
    assert (b["mof"], b["edit"], b["f1@10"]) == (0.0, 0.0, 0.0)
    s = rep.summary
    assert s["mof"] == pytest.approx(100 * 100 / 180)
    assert s["edit"] == 50.0
    assert s["f1@25"] == pytest.approx(200 * 1 * 0.6 / 1.6)  # tp 3, fp 0, fn 2


def test_labels_needed_everywhere():
    pairs = [VideoPair("a", track([(0, 1)], duration=1.0), track([(0, 1)], labels="x"))]
    with pytest.raises(LapsError, match="--labels expected a 'label'"):
        evaluate(pairs, EvalOptions(labels=True))


def test_report_is_json_and_csv_ready():
    rep = evaluate([VideoPair("a", GT_A, GT_A), VideoPair("b", GT_B, None)])
    doc = json.loads(json.dumps(rep.to_dict()))
    assert set(doc) == {"options", "summary", "per_video"}
    assert set(doc["per_video"]) == {"a", "b"}
    for key in ("f1@0.5s", "precision@2s", "recall@5s", "f1_micro@1s", "map@0.75"):
        assert key in doc["summary"]
    lines = csv_text(rep).splitlines()
    assert len(lines) == 4 and lines[0].startswith("video,") and lines[-1].startswith("ALL,")


@pytest.mark.parametrize(
    "kwargs",
    [
        {"matching": "hungarian"},
        {"tolerances": ()},
        {"tolerances": (-1.0,)},
        {"tolerances": (float("nan"),)},
        {"ious": (1.5,)},
        {"ious": (0.0,)},
        {"label_matching": "dataset"},
        {"label_rate_hz": 0.0},
    ],
)
def test_bad_options(kwargs):
    with pytest.raises(ConfigError, match="expected"):
        EvalOptions(**kwargs)


def test_no_pairs_is_an_error():
    with pytest.raises(LapsError, match="at least one video"):
        evaluate([])
