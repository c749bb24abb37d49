"""``laps run`` end to end on two short videos with the shipped tokenizer (no training)."""

import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cli_checks import assert_one_error_line
from laps.cli import app
from laps.orchestrate import STAGE_NAMES
from laps.tokenizer.assets import SUITE1_SMALL

runner = CliRunner()
SPANS = [(0, 2, "still"), (2, 5, "move"), (5, 7, "still"), (7, 10, "move"), (10, 12, "still")]
RUN_STAGES = ("calibrate", "segment", "cluster", "eval", "report")


@pytest.fixture(scope="module")
def videos(tmp_path_factory: pytest.TempPathFactory, motion_video: Path) -> Path:
    """Two copies of the motion video; ground truth beside the first only."""
    folder = tmp_path_factory.mktemp("videos")
    for stem in ("a", "b"):
        shutil.copy(motion_video, folder / f"{stem}.mp4")
    segments = [{"start_sec": s, "end_sec": e, "label": lab} for s, e, lab in SPANS]
    doc = {"video": "a.mp4", "segments": segments, "fps": 30.0, "video_duration_sec": 12.0}
    (folder / "a.json").write_text(json.dumps(doc))
    return folder


def _run(videos: Path, out: Path, *extra: str):
    args = ["run", str(videos), "--out", str(out), "--checkpoint", str(SUITE1_SMALL)]
    return runner.invoke(app, [*args, "--device", "cpu", *extra])


def _stamps(out: Path) -> dict[str, int]:
    return {s: (out / s / ".done.json").stat().st_mtime_ns for s in RUN_STAGES}


@pytest.fixture(scope="module")
def first_run(videos: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("run")
    res = _run(videos, out)
    assert res.exit_code == 0, res.output
    assert "boundary F1 0.5s" in res.output and "NMI" in res.output
    assert "report:" in res.output
    return out


def test_run_writes_every_stage(first_run: Path) -> None:
    out = first_run
    for stage in RUN_STAGES:
        assert (out / stage / ".done.json").is_file(), stage
    assert not (out / "tracks").exists() and not (out / "train").exists()  # --checkpoint
    assert (out / "calibrate" / "calib.json").is_file()  # ground truth beside a.mp4
    for name in ("a", "b"):
        assert (out / "segment" / name / "segments.json").is_file()
    assert (out / "cluster" / "clusters.json").is_file()
    assert (out / "eval" / "eval.json").is_file()
    assert (out / "report" / "index.html").is_file()
    assert (out / "gt" / "a.json").is_file() and not (out / "gt" / "b.json").exists()


def test_second_run_skips_then_force_redoes_later_stages(videos: Path, first_run: Path) -> None:
    before = _stamps(first_run)
    res = _run(videos, first_run)
    assert res.exit_code == 0, res.output
    assert _stamps(first_run) == before
    res = _run(videos, first_run, "--force", "cluster")
    assert res.exit_code == 0, res.output
    after = _stamps(first_run)
    for stage in ("calibrate", "segment"):
        assert after[stage] == before[stage], stage
    for stage in ("cluster", "eval", "report"):
        assert after[stage] != before[stage], stage
    assert (first_run / "report" / "index.html").is_file()


def test_run_without_truth_uses_default_threshold(tmp_path: Path, motion_video: Path) -> None:
    shutil.copy(motion_video, tmp_path / "only.mp4")
    out = tmp_path / "run"
    res = _run(tmp_path / "only.mp4", out)
    assert res.exit_code == 0, res.output
    stamp = json.loads((out / "calibrate" / ".done.json").read_text())
    assert stamp["result"]["threshold"] == "default"
    assert not (out / "calibrate" / "calib.json").exists()
    assert not (out / "eval").exists() and (out / "report" / "index.html").is_file()


def test_bad_force_is_one_error_line(videos: Path, tmp_path: Path) -> None:
    res = _run(videos, tmp_path / "run", "--force", "nope")
    assert_one_error_line(res, "--force")
    assert all(name in res.output for name in STAGE_NAMES)


def test_no_videos_is_one_error_line(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    res = _run(tmp_path / "empty", tmp_path / "run")
    assert res.exit_code == 2 and res.output.count("error:") == 1, res.output


def test_run_trains_without_checkpoint(tmp_path: Path, motion_video: Path) -> None:
    shutil.copy(motion_video, tmp_path / "only.mp4")
    out = tmp_path / "run"
    args = ["run", str(tmp_path / "only.mp4"), "--out", str(out), "--device", "cpu"]
    res = runner.invoke(app, [*args, "--train-seconds", "0", "--quiet"])
    assert res.exit_code == 0, res.output
    assert (out / "tracks" / "dataset.json").is_file()
    assert (out / "train" / "best.pt").is_file()
    seg = json.loads((out / "segment" / "only" / "segments.json").read_text())
    assert "segments" in seg
    for stage in ("tracks", "train", "segment", "cluster", "report"):
        assert (out / stage / ".done.json").is_file(), stage


def test_run_with_workers_matches_the_in_process_run(videos: Path, first_run: Path, tmp_path):
    out = tmp_path / "run2"
    res = _run(videos, out, "--workers", "2")
    assert res.exit_code == 0, res.output
    for name in ("a", "b"):
        mine = (out / "segment" / name / "segments.jsonl").read_text()
        assert mine == (first_run / "segment" / name / "segments.jsonl").read_text()
    summary = json.loads((out / "segment" / "job_summary.json").read_text())
    assert summary["backend"] == "local:2 workers" and summary["totals"]["done"] == 2
