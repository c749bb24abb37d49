"""``segment.method=content`` in a whole run: idle and active labels, idle clips skipped."""

from __future__ import annotations

import json
import logging
from pathlib import Path

import pytest
from typer.testing import CliRunner

from laps.cli import app
from laps.config import load_config
from laps.errors import ConfigError
from laps.pipeline.content import STEPS_FILE
from laps.pipeline.run import RunResult, segment_source
from laps.segment.content import ContentParams
from laps.segment.content_stream import recut_steps
from videos import render_motion_video

SETTINGS = ["video.resize_shorter=240", "segment.method=content"]


def _lines(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text().splitlines()]


@pytest.fixture(scope="module")
def content_run(motion_video: Path, tmp_path_factory: pytest.TempPathFactory) -> RunResult:
    return segment_source(
        str(motion_video), tmp_path_factory.mktemp("out"), load_config(None, SETTINGS)
    )


def test_idle_and_active_follow_the_motion(content_run: RunResult) -> None:
    segs = _lines(content_run.out_dir / "segments.jsonl")
    labels = [s["label"] for s in segs]
    assert labels[0] == "idle" and labels[-1] == "idle" and "active" in labels
    idle = [(s["start_s"], s["end_s"]) for s in segs if s["label"] == "idle"]
    assert len(idle) == 3  # before, between and after the two motions
    # the patch moves during [2, 5) and [7, 10) s: idle ends and starts within 0.3 s of it
    for (a, b), (want_a, want_b) in zip(idle, [(0, 2), (5, 7), (10, 12)], strict=True):
        assert abs(a - want_a) <= 0.3 and abs(b - want_b) <= 0.3
    for a, b in zip(segs, segs[1:], strict=False):
        assert a["end_sample"] == b["start_sample"]  # a tiling


def test_idle_segments_get_no_clip(content_run: RunResult) -> None:
    segs = _lines(content_run.out_dir / "segments.jsonl")
    for s in segs:
        assert (s["clip"] is None) == (s["label"] == "idle")
    clips = sorted(p.name for p in (content_run.out_dir / "clips").iterdir())
    assert clips == sorted(Path(s["clip"]).name for s in segs if s["clip"])


def test_outputs_describe_the_content_method(content_run: RunResult) -> None:
    out = content_run.out_dir
    doc = json.loads((out / "segments.json").read_text())
    assert {s["label"] for s in doc["segments"]} == {"idle", "active"}
    params = doc["segmentation_params"]
    assert params["method"] == "content" and "hysteresis_ratio" not in params
    assert params["noise_floor"]["cell_floor_median"] is not None
    steps = json.loads((out / STEPS_FILE).read_text())
    n = len(steps["evidence"])
    assert n == 120 and len(steps["active"]) in (n - 1, n)
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["segmenter"] == {"method": "content", "tiles": True}


def test_a_recut_of_the_stored_steps_gives_the_runs_segments(content_run: RunResult) -> None:
    steps = json.loads((content_run.out_dir / STEPS_FILE).read_text())
    params = ContentParams(**steps["params"])
    n = len(steps["evidence"])
    tiles = recut_steps(steps["activity"], steps["hand"], params, n)
    want = [(s.start_sample, s.end_sample, s.label == "active") for s in content_run.segments]
    assert tiles == want


def test_idle_clips_on_request(motion_video: Path, tmp_path: Path) -> None:
    cfg = load_config(None, [*SETTINGS, "export.idle_clips=true"])
    result = segment_source(str(motion_video), tmp_path, cfg)
    segs = _lines(result.out_dir / "segments.jsonl")
    assert all(s["clip"] for s in segs)


def test_a_still_video_is_one_idle_segment_and_a_warning(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    video = render_motion_video(tmp_path / "still.mp4", seconds=6.0, active=())
    cfg = load_config(None, [*SETTINGS, "export.clips=false"])
    with caplog.at_level(logging.WARNING):
        result = segment_source(str(video), tmp_path / "out", cfg)
    assert [s.label for s in result.segments] == ["idle"]
    assert "no hand motion above the noise floor" in caplog.text


def test_a_calibration_for_another_segmenter_is_refused(motion_video: Path, tmp_path: Path) -> None:
    calib = tmp_path / "calib.json"
    calib.write_text(json.dumps({"threshold": 0.01, "method": "supervised_change_f1"}))
    cfg = load_config(None, [*SETTINGS, f"segment.calibration={calib}"])
    with pytest.raises(ConfigError, match="made for another segmenter .*supervised_change_f1"):
        segment_source(str(motion_video), tmp_path / "out", cfg)
    assert not (tmp_path / "out" / "motion").exists()


def test_cli_segment_with_the_content_method(motion_video: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    sets = ["video.resize_shorter=240", "segment.method=content"]
    args = ["segment", str(motion_video), "--out", str(out), "--no-clips"]
    result = CliRunner().invoke(app, [*args, *(x for s in sets for x in ("--set", s))])
    assert result.exit_code == 0, result.output
    assert {s["label"] for s in _lines(out / "motion" / "segments.jsonl")} == {"idle", "active"}
