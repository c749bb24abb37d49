"""Frame labelling, Hungarian mapping, and MS-TCN's MoF / Edit / F1@k on worked cases."""

import numpy as np
import pytest

from laps.evaluate.framewise import (
    BACKGROUND,
    apply_mapping,
    frame_labels,
    frame_times,
    hungarian_mapping,
    merged_counts,
    overlap_counts,
)
from laps.evaluate.labels import (
    edit_score,
    label_runs,
    levenshtein,
    missing_score,
    score_labels,
    segment_hits,
    segmental_f1,
)


def arr(text):
    return np.array(list(text), dtype=np.str_)


def test_frames_are_half_open_with_background_gaps():
    times = frame_times(3.0, 2.0)
    assert times.tolist() == [0.0, 0.5, 1.0, 1.5, 2.0, 2.5]
    out = frame_labels([(1.0, 2.0), (0.0, 1.0)], ["b", "a"], times)
    assert out.tolist() == ["a", "a", "b", "b", BACKGROUND, BACKGROUND]


def test_later_segment_wins_an_overlap():
    out = frame_labels([(0.0, 2.0), (1.0, 3.0)], ["a", "b"], frame_times(3.0, 1.0))
    assert out.tolist() == ["a", "b", "b"]


def test_runs_skip_background():
    frames = np.array(["a", "a", BACKGROUND, "b", "a"], dtype=np.str_)
    assert label_runs(frames) == [("a", 0, 2), ("b", 3, 4), ("a", 4, 5)]


def test_levenshtein_and_edit():
    assert levenshtein("kitten", "sitting") == 3
    assert edit_score(["a", "b", "c"], ["a", "c"]) == pytest.approx(100 * (1 - 1 / 3))
    assert edit_score([], []) == 100.0
    assert edit_score(["a"], []) == 0.0


def test_segment_hits_hand_worked():
    truth = [("x", 0, 10), ("y", 10, 20)]
    pred = [("x", 0, 8), ("y", 8, 20)]  # IoU 0.8 and 10/12
    assert segment_hits(pred, truth, 0.5) == (2, 0, 0)
    assert segment_hits(pred, truth, 0.9) == (0, 2, 2)
    # A second prediction on an already-hit segment is a false positive.
    assert segment_hits([("x", 0, 9), ("x", 1, 10)], truth, 0.5) == (1, 1, 1)
    # Labels must agree.
    assert segment_hits([("y", 0, 10)], truth, 0.1) == (0, 1, 2)
    assert segmental_f1(2, 0, 0) == 100.0
    assert segmental_f1(1, 1, 1) == pytest.approx(50.0)
    assert segmental_f1(0, 0, 0) == 0.0


def test_score_hand_worked():
    truth = arr("aaaabbbbcc")
    pred = arr("aaabbbbbcc")
    s = score_labels(pred, truth)
    assert (s.correct, s.frames, s.mof) == (9, 10, 90.0)
    assert s.edit == 100.0
    # IoUs: a 3/4, b 4/5, c 1 -> all hit at 0.10, 0.25, 0.50.
    assert s.tp == (3, 3, 3) and s.fp == (0, 0, 0) and s.fn == (0, 0, 0)
    m = missing_score(truth)
    assert (m.mof, m.edit, m.fn) == (0.0, 0.0, (3, 3, 3))


def test_hungarian_maps_clusters_to_the_labels_they_cover_most():
    truth = arr("aaaabbbbcc")
    pred = arr("1111222233")
    mapping = hungarian_mapping(overlap_counts(pred, truth))
    assert mapping == {"1": "a", "2": "b", "3": "c"}


def test_leftover_clusters_are_unmatched_but_background_stays_background():
    truth = arr("aaaabbbb")
    pred = np.array(["1", "1", "2", "2", "3", "3", BACKGROUND, BACKGROUND], dtype=np.str_)
    mapping = hungarian_mapping(overlap_counts(pred, truth))
    assert sorted(mapping.values()).count("a") == 1
    assert any(v.startswith("unmatched:") for v in mapping.values())
    truth2 = arr("aaaa")
    pred2 = np.array(["1", "1", BACKGROUND, BACKGROUND], dtype=np.str_)
    mapping2 = hungarian_mapping(overlap_counts(pred2, truth2))
    assert mapping2[BACKGROUND] == BACKGROUND and mapping2["1"] == "a"
    assert apply_mapping(arr("9"), mapping2).tolist() == ["unmatched:9"]


def test_global_mapping_differs_from_per_video():
    t1, p1 = arr("aaaabbbb"), arr("xxxxyyyy")
    t2, p2 = arr("bbbbaaaa"), arr("xxxxyyyy")
    per = [
        score_labels(apply_mapping(p, hungarian_mapping(overlap_counts(p, t))), t)
        for p, t in ((p1, t1), (p2, t2))
    ]
    assert [s.mof for s in per] == [100.0, 100.0]
    shared = hungarian_mapping(merged_counts([overlap_counts(p1, t1), overlap_counts(p2, t2)]))
    glob = [score_labels(apply_mapping(p, shared), t) for p, t in ((p1, t1), (p2, t2))]
    assert sum(s.correct for s in glob) == 8  # one video right, the other all wrong


@pytest.mark.parametrize("seed", range(10))
def test_scores_do_not_depend_on_cluster_names(seed):
    rng = np.random.default_rng(seed)
    truth = np.repeat(rng.choice(list("abcd"), 12), rng.integers(1, 9, 12)).astype(np.str_)
    pred = np.repeat(rng.choice(list("0123"), 15), rng.integers(1, 7, 15))[: truth.size]
    pred = np.pad(pred, (0, truth.size - pred.size), constant_values="0").astype(np.str_)
    renamed = {c: f"k{v}" for c, v in zip("0123", rng.permutation(4), strict=True)}
    pred2 = np.array([renamed[c] for c in pred], dtype=np.str_)

    def scored(p):
        return score_labels(apply_mapping(p, hungarian_mapping(overlap_counts(p, truth))), truth)

    a, b = scored(pred), scored(pred2)
    assert (a.correct, a.edit, a.tp, a.fp, a.fn) == (b.correct, b.edit, b.tp, b.fp, b.fn)
