"""The line `laps run` (and `make demo`) ends with: F1, idle vs active, segment lengths."""

from __future__ import annotations

from laps.orchestrate.runner import RunSummary, headline

SHAPE = {
    "segment_ratio": 1.05,
    "idle_false_per_min": 0.5,
    "pred_len_p10": 0.6,
    "pred_len_median": 1.9,
    "pred_len_p90": 6.2,
    "gt_len_p10": 0.64,
    "gt_len_median": 2.4,
    "gt_len_p90": 7.6,
}


def test_headline_shows_idle_time_and_the_length_distribution() -> None:
    results = {
        "segment": {"videos": 3, "segments": 40, "idle_s": 61.5, "active_s": 88.5},
        "eval": {"f1@0.5": 0.61, "f1@1": 0.7, "f1@2": 0.75, "shape": SHAPE},
        "cluster": {"k": 5, "segments": 40},
    }
    text = headline(RunSummary(status={"eval": "done"}, results=results))
    assert "idle 61.5 s, active 88.5 s" in text
    assert "boundary F1 0.5 0.610, 1 0.700, 2 0.750" in text
    assert "segment length p10/median/p90 0.60 / 1.90 / 6.20 s (truth 0.64 / 2.40 / 7.60 s)" in text
    assert "predicted/true segments 1.05" in text and "inside true idle 0.5/min" in text


def test_headline_without_labels_or_truth_says_less() -> None:
    results = {"segment": {"videos": 1, "segments": 9, "idle_s": None, "active_s": None}}
    text = headline(RunSummary(status={"eval": "skipped: no ground truth"}, results=results))
    assert "idle" not in text and "F1" not in text
