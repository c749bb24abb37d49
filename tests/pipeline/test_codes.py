"""Codes per segment: windows overlapping the segment, looked up by their own index."""

import json
from pathlib import Path

import numpy as np
import pytest
from test_failed_windows import FlakyEncoder

from laps.config import load_config
from laps.pipeline.codes import CodeStore, overlapping_windows
from laps.pipeline.run import segment_source


def test_overlap_rule_hand_worked():
    starts = np.array([0, 4, 8, 12, 16])
    # span [10, 20), T 16, ratio 0.25 -> at least 4 samples inside
    assert overlapping_windows(starts, 16, (10, 20), 0.25).tolist() == [0, 1, 2, 3, 4]
    assert overlapping_windows(starts, 16, (14, 18), 0.25).tolist() == [1, 2, 3]
    assert overlapping_windows(starts, 16, (0, 3), 0.25).tolist() == []
    assert overlapping_windows(starts, 16, (0, 8), 0.5).tolist() == [0]


def test_store_prunes_and_skips_missing_windows():
    store = CodeStore(length=16, stride=4, keep_vectors=True)
    for w in range(10):
        codes = None if w == 4 else [w] * 3
        store.add(w, codes, np.full((3, 2), w, np.float32))
    windows, codes, vectors = store.select((16, 32), 0.25)
    assert 4 not in windows and windows == [1, 2, 3, 5, 6, 7]
    assert codes == [[w] * 3 for w in windows]
    assert vectors is not None and vectors.shape == (6, 3, 2)
    store.prune(6)
    assert store.select((0, 100), 0.25)[0] == [6, 7, 8, 9]


@pytest.fixture
def coded_run(motion_video: Path, tmp_path: Path):
    cfg = load_config(
        None,
        [
            "video.resize_shorter=240",
            "energy.source=prequant",
            "energy.mode=l2_mean",
            "export.clips=false",
            "export.latents=true",
            "gates.pre_gate.enabled=false",
            "gates.motion_gate.enabled=false",
        ],
    )
    return segment_source(str(motion_video), tmp_path, cfg, encoder=FlakyEncoder({5}))


def test_segments_carry_codes_and_latents(coded_run):
    out = coded_run.out_dir
    windows = {
        r["window"]: r for r in map(json.loads, (out / "windows.jsonl").read_text().splitlines())
    }
    segs = [json.loads(x) for x in (out / "segments.jsonl").read_text().splitlines()]
    assert segs, "the motion video has active intervals"
    latents = np.load(out / "latents.npz")
    for seg in segs:
        key = f"segment_{seg['id']:06d}"
        ids = latents[f"{key}_windows"].tolist()
        assert seg["codes"] == [windows[w]["codes"] for w in ids]
        assert latents[key].shape == (len(ids), 15, 8)
        for w in ids:  # every chosen window overlaps the segment by >= 4 samples
            s = windows[w]["start_sample"]
            assert min(s + 16, seg["end_sample"]) - max(s, seg["start_sample"]) >= 4
            assert windows[w]["outcome"] != "failed"
