"""run_baseline writes the ground-truth layout, tiled over the whole video where it should."""

import json
from pathlib import Path

import pytest

from laps.errors import ConfigError
from laps.evaluate.baselines import run_baseline
from laps.evaluate.boundaries import boundaries_from_segments, boundary_score, read_segments_json

ACTIVE_EDGES = [2.0, 5.0, 7.0, 10.0]


@pytest.fixture(scope="module")
def params(tmp_path_factory: pytest.TempPathFactory) -> dict:
    return {
        "motion": {
            "video": {"resize_shorter": 120},
            "cache_dir": str(tmp_path_factory.mktemp("c")),
        },
        "abd": {"k": 5},
        "twfinch": {"segments_per_minute": 25.0},
    }


@pytest.mark.parametrize("name", ["periodic", "abd", "twfinch", "flow_energy"])
def test_writes_the_ground_truth_layout(name, params, motion_video: Path, tmp_path: Path):
    path = run_baseline(name, motion_video, tmp_path / name, params)
    assert path == tmp_path / name / "motion.json"
    data = json.loads(path.read_text())
    assert set(data) == {"video", "segments", "fps", "video_duration_sec", "method", "params"}
    assert data["video"] == "motion.mp4" and data["method"] == name and data["fps"] == 30
    assert data["video_duration_sec"] == pytest.approx(12.0)
    segs, duration = read_segments_json(path)
    assert all(a < b for a, b in segs)
    if name != "flow_energy":  # a tiling of [0, duration]
        assert segs[0][0] == 0.0 and segs[-1][1] == duration
        assert all(s[1] == t[0] for s, t in zip(segs, segs[1:], strict=False))
    if name == "abd":
        assert len(segs) == 5 and data["params"]["k"] == 5
    if name == "twfinch":
        assert data["params"]["k"] == 5  # 25 per minute over 12 s
    if name == "flow_energy":  # the patch moves in [2, 5) and [7, 10)
        pred = boundaries_from_segments(segs, duration)
        assert boundary_score(ACTIVE_EDGES, pred, 1.0).f1 == 1.0


def test_errors_are_clear(params, motion_video: Path, tmp_path: Path):
    with pytest.raises(ConfigError, match="expected one of"):
        run_baseline("otas", motion_video, tmp_path, params)
    with pytest.raises(ConfigError, match="abd.k or abd.segments_per_minute"):
        run_baseline("abd", motion_video, tmp_path, {**params, "abd": {}})
    with pytest.raises(ConfigError, match="unknown key"):
        run_baseline("abd", motion_video, tmp_path, {**params, "abd": {"kk": 3}})
    with pytest.raises(ConfigError, match="expected 1 <= K <= N"):
        run_baseline("abd", motion_video, tmp_path, {**params, "abd": {"k": 1000}})
