import json
import math
from pathlib import Path

import numpy as np
import pytest

from laps.cluster.groundtruth import gt_report, label_scores, majority_label, purity, segment_labels
from laps.cluster.runs import SegmentRef
from laps.errors import LapsError
from laps.evaluate.tracks import SegmentTrack


def test_purity_and_nmi_exact_values() -> None:
    truth = ["a", "a", "b", "b"]
    assert label_scores(truth, [0, 0, 1, 1]) == {"nmi": 1.0, "ari": 1.0, "purity": 1.0}
    # one cluster: purity = largest label share, NMI 0
    one = label_scores(truth, [0, 0, 0, 0])
    assert one["purity"] == 0.5
    assert one["nmi"] == pytest.approx(0.0)
    # clusters split each label evenly: independent -> NMI 0, purity 1/2
    split = label_scores(truth, [0, 1, 0, 1])
    assert split["nmi"] == pytest.approx(0.0, abs=1e-12)
    assert split["purity"] == 0.5
    # a a a b | b b: purity 5/6; NMI = I / mean(H) computed by hand
    t6, c6 = ["a", "a", "a", "b", "b", "b"], [0, 0, 0, 0, 1, 1]
    assert purity(t6, c6) == pytest.approx(5 / 6)
    h = math.log(2)  # H(labels) = ln 2
    hc = -(4 / 6 * math.log(4 / 6) + 2 / 6 * math.log(2 / 6))
    joint = [(3 / 6), (1 / 6), (2 / 6)]  # (a,0), (b,0), (b,1)
    mi = sum(
        p * math.log(p / (pl * pc))
        for p, pl, pc in zip(joint, [0.5] * 3, [4 / 6, 4 / 6, 2 / 6], strict=True)
    )
    assert label_scores(t6, c6)["nmi"] == pytest.approx(mi / ((h + hc) / 2))


def test_majority_label_by_overlap() -> None:
    track = SegmentTrack(((0.0, 1.0), (1.0, 3.0), (3.0, 4.0)), labels=("x", "y", "x"))
    assert majority_label(track, 0.5, 2.0) == "y"  # 1.0 s of y against 0.5 s of x
    assert majority_label(track, 0.0, 1.2) == "x"
    assert majority_label(track, 5.0, 6.0) is None


def test_segment_labels_pair_by_video(tmp_path: Path) -> None:
    gt = {"video": "v1.mp4", "segments": [{"start_sec": 0, "end_sec": 2, "label": "reach"}]}
    (tmp_path / "v1.json").write_text(json.dumps(gt))
    segs = [
        SegmentRef("v1", tmp_path, 0, 0.0, 1.0, ()),
        SegmentRef("v2", tmp_path, 0, 0.0, 1.0, ()),
    ]
    assert segment_labels(segs, tmp_path) == ["reach", None]
    with pytest.raises(LapsError, match="match none"):
        segment_labels(segs[1:], tmp_path)


def test_gt_report_skips_unlabelled_and_shows_gain() -> None:
    labels = ["a", "a", None, "b", "b"]
    ours = np.array([0, 0, 1, 1, 1])
    base = [np.array([0, 1, 0, 1, 0])]
    rep = gt_report(labels, ours, base)
    assert rep["n_labelled"] == 4
    assert rep["clusters"]["purity"] == 1.0
    assert rep["random_baseline"]["purity"] == 0.5
    assert rep["gain"]["purity"] == 0.5
