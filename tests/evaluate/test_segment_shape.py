"""False boundaries in true idle, predicted / true segment counts and length quantiles."""

import csv
import io
import json

import numpy as np
import pytest

from laps.errors import ConfigError
from laps.evaluate import EvalOptions, SegmentTrack, VideoPair, evaluate
from laps.evaluate.idle import false_in_idle, idle_score
from laps.evaluate.lengths import length_quantiles, length_values
from laps.evaluate.report import csv_text

OPTS = EvalOptions(tolerances=(1.0,), ious=(0.5,))


def track(spans, labels=None, duration=None):
    return SegmentTrack(
        segments=tuple((float(s), float(e)) for s, e in spans),
        labels=None if labels is None else tuple(labels),
        duration_s=duration,
    )


# 60 s: reach 0-10, idle 10-40 (30 s), grasp 40-60.
GT_IDLE = track([(0, 10), (10, 40), (40, 60)], ["reach", "idle", "grasp"], 60.0)
GT_BUSY = track([(0, 20), (20, 40), (40, 60)], ["reach", "grasp", "place"], 60.0)


def cuts(*times, duration=60.0, labels=None):
    edges = [0.0, *times, duration]
    return track(list(zip(edges, edges[1:], strict=False)), labels, duration)


def test_near_an_idle_edge_is_not_false_deep_inside_is():
    # 10.4 and 39.6 are within 0.5 s of the idle edges; 25 is deep inside; 50 is not idle.
    score = idle_score(VideoPair("v", GT_IDLE, cuts(10.4, 25, 39.6, 50)), 0.5, "idle")
    assert (score.idle_s, score.false_boundaries) == (30.0, 1)
    assert score.per_min == pytest.approx(2.0)  # 1 false boundary / 0.5 min of idle
    # 10.6 is 0.6 s from the edge: farther than 0.5 s, so false; at 1 s tolerance it is not.
    assert idle_score(VideoPair("v", GT_IDLE, cuts(10.6)), 0.5, "idle").false_boundaries == 1
    assert idle_score(VideoPair("v", GT_IDLE, cuts(10.6)), 1.0, "idle").false_boundaries == 0


def test_exactly_at_the_tolerance_is_not_false():
    b = np.array([10.5, 39.5, 1.1 + 9.4])  # float sums a hair over 10.5 still count as near
    assert false_in_idle(b, [(10.0, 40.0)], 0.5) == 0
    assert false_in_idle(np.array([10.5 + 1e-6]), [(10.0, 40.0)], 0.5) == 1


def test_predicted_labels_do_not_matter():
    plain = cuts(10, 20, 30, 40)
    labelled = cuts(10, 20, 30, 40, labels=["active", "idle", "idle", "idle", "active"])
    a, b = (idle_score(VideoPair("v", GT_IDLE, p), 0.5, "idle") for p in (plain, labelled))
    assert a == b and a.false_boundaries == 2  # 20 and 30; 10 and 40 are the idle's edges


def test_videos_without_idle_or_prediction_have_no_rate():
    rep = evaluate(
        [
            VideoPair("idle", GT_IDLE, cuts(25)),
            VideoPair("busy", GT_BUSY, cuts(20, 30, 40)),
            VideoPair("nolabels", track([(0, 60)], None, 60.0), cuts(30)),
            VideoPair("missing", GT_IDLE, None),
        ],
        OPTS,
    )
    rows = {r["video"]: r for r in rep.per_video}
    assert rows["idle"]["idle_false_per_min"] == pytest.approx(2.0)
    assert rows["busy"]["idle_false_per_min"] is None and rows["busy"]["idle_s"] == 0.0
    assert rows["nolabels"]["idle_false_per_min"] is None
    assert rows["missing"]["idle_false_boundaries"] is None
    s = rep.summary
    assert s["idle_videos"] == 2 and s["idle_s"] == 60.0
    assert s["idle_false_per_min"] == pytest.approx(2.0)  # only "idle" has idle + prediction


def test_macro_and_micro_idle_rates():
    short = track([(0, 10), (10, 16), (16, 20)], ["reach", "idle", "grasp"], 20.0)  # 6 s idle
    rep = evaluate(
        [VideoPair("long", GT_IDLE, cuts(25)), VideoPair("short", short, cuts(12, 14, 20.0))],
        OPTS,
    )
    # long: 1 / 0.5 min = 2; short: 2 / 0.1 min = 20; pooled: 3 / 0.6 min = 5.
    assert rep.summary["idle_false_per_min"] == pytest.approx(11.0)
    assert rep.summary["idle_false_per_min_micro"] == pytest.approx(5.0)


def test_no_idle_anywhere_gives_none():
    rep = evaluate([VideoPair("busy", GT_BUSY, cuts(25))], OPTS)
    assert rep.summary["idle_false_per_min"] is None and rep.summary["idle_videos"] == 0


def test_segment_count_ratio():
    rep = evaluate(
        [
            VideoPair("double", GT_BUSY, cuts(10, 20, 30, 40, 50)),  # 6 / 3
            VideoPair("half", track([(0, 10), (10, 20)], None, 20.0), cuts(duration=20.0)),
            VideoPair("missing", GT_BUSY, None),
        ],
        OPTS,
    )
    rows = {r["video"]: r for r in rep.per_video}
    assert rows["double"]["segment_ratio"] == 2.0 and rows["half"]["segment_ratio"] == 0.5
    assert rows["missing"]["segment_ratio"] is None
    assert rep.summary["segment_ratio"] == pytest.approx(1.25)  # mean of 2 and 0.5
    assert rep.summary["segment_ratio_micro"] == pytest.approx(7 / 5)  # pooled counts


def test_length_quantiles_known_values():
    # lengths 1..10 s: numpy's linear quantiles are 1.9, 5.5, 9.1.
    edges = np.cumsum([0, *range(1, 11)]).astype(float)
    spans = list(zip(edges, edges[1:], strict=False))
    assert length_quantiles(spans) == pytest.approx({"p10": 1.9, "median": 5.5, "p90": 9.1})
    assert length_quantiles([(3.0, 5.0)]) == {"p10": 2.0, "median": 2.0, "p90": 2.0}
    assert length_quantiles([]) == {"p10": None, "median": None, "p90": None}


def test_length_values_both_sides_and_missing_prediction():
    row = length_values(VideoPair("v", GT_IDLE, cuts(30)))
    assert row["pred_len_median"] == 30.0 and row["gt_len_median"] == 20.0
    assert row["gt_len_p10"] == pytest.approx(12.0) and row["gt_len_p90"] == pytest.approx(28.0)
    missing = length_values(VideoPair("v", GT_IDLE, None))
    assert missing["pred_len_median"] is None and missing["gt_len_median"] == 20.0


def test_length_summary_is_the_mean_over_predicted_videos():
    rep = evaluate(
        [
            VideoPair("a", GT_BUSY, cuts(30)),  # pred median 30, gt 20
            VideoPair("b", GT_IDLE, cuts(10, 20, 30, 40, 50)),  # pred 10, gt 20
            VideoPair("c", track([(0, 100)], None, 100.0), None),  # left out
        ],
        OPTS,
    )
    assert rep.summary["pred_len_median"] == pytest.approx(20.0)
    assert rep.summary["gt_len_median"] == pytest.approx(20.0)


def test_json_and_csv_carry_the_new_columns():
    pairs = [VideoPair("idle", GT_IDLE, cuts(25)), VideoPair("busy", GT_BUSY, cuts(30))]
    rep = evaluate(pairs, OPTS)
    doc = json.loads(json.dumps(rep.to_dict()))
    keys = ("idle_false_per_min", "segment_ratio", "pred_len_median", "gt_len_p90")
    for key in keys:
        assert key in doc["summary"] and key in doc["per_video"]["idle"]
    assert doc["options"]["idle_tolerance_s"] == 0.5
    rows = {r["video"]: r for r in csv.DictReader(io.StringIO(csv_text(rep)))}
    assert float(rows["idle"]["idle_false_per_min"]) == pytest.approx(2.0)
    assert rows["busy"]["idle_false_per_min"] == ""  # None: the video has no idle
    assert float(rows["ALL"]["segment_ratio_micro"]) == pytest.approx(4 / 6)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [({"idle_tolerance_s": -1.0}, "idle tolerance"), ({"idle_label": " "}, "idle label")],
)
def test_bad_idle_options(kwargs, message):
    with pytest.raises(ConfigError, match=message):
        EvalOptions(**kwargs)
