"""``laps segment`` on good and bad input: one error line, exit code 2, outputs intact."""

import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cli_checks import assert_one_error_line
from laps.cli import app
from videos import render_motion_video

runner = CliRunner()
BASE = ["--set", "video.resize_shorter=240", "--no-clips"]


def _segment(*args: str):
    return runner.invoke(app, ["segment", *args, *BASE])


@pytest.fixture
def bad_inputs(tmp_path: Path, motion_video: Path) -> dict[str, Path]:
    empty = tmp_path / "empty.mp4"
    empty.write_bytes(b"")
    text = tmp_path / "notes.mp4"
    text.write_text("this is not a video\n" * 50)
    truncated = tmp_path / "truncated.mp4"
    data = motion_video.read_bytes()
    truncated.write_bytes(data[: len(data) // 3])
    short = render_motion_video(tmp_path / "short.mp4", seconds=1.0, active=())
    return {"empty": empty, "text": text, "truncated": truncated, "short": short}


@pytest.mark.parametrize(
    ("key", "fragment"),
    [
        ("empty", "empty.mp4"),
        ("text", "notes.mp4"),
        ("short", "one window needs window.length=16"),
    ],
)
def test_bad_files(bad_inputs: dict[str, Path], tmp_path: Path, key: str, fragment: str):
    result = _segment(str(bad_inputs[key]), "--out", str(tmp_path / "out"))
    assert_one_error_line(result, fragment)
    assert not (tmp_path / "out" / bad_inputs[key].stem).exists()


def test_truncated_file_is_processed_as_far_as_it_decodes(bad_inputs, tmp_path: Path):
    result = _segment(str(bad_inputs["truncated"]), "--out", str(tmp_path / "out"))
    assert result.exit_code in (0, 2), result.output
    if result.exit_code == 0:  # a truncated file yields its decodable frames
        perf = json.loads((tmp_path / "out" / "truncated" / "perf_summary.json").read_text())
        assert 0 < perf["frames_decoded"] < 360
    else:
        assert_one_error_line(result, "truncated.mp4")


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (["missing.mp4"], "missing.mp4"),
        (["camera:7"], "camera 7"),
        (["x.mp4", "--set", "tracking.nope=1"], "unknown key 'tracking.nope'"),
        (["x.mp4", "--set", "window.length=1"], "'window.length'"),
        (["x.mp4", "--tracker", "sift"], "'tracking.backend'"),
        (["x.mp4", "--config", "nope.yaml"], "config file not found"),
    ],
)
def test_bad_sources_and_configs(tmp_path: Path, args: list[str], fragment: str):
    assert_one_error_line(_segment(*args, "--out", str(tmp_path / "out")), fragment)


def test_unreachable_url_hides_credentials(tmp_path: Path):
    result = _segment(
        "rtsp://admin:hunter2@127.0.0.1:9/stream",
        "--out",
        str(tmp_path),
        "--set",
        "video.open_timeout_s=2",
    )
    assert_one_error_line(result, "127.0.0.1")
    assert "hunter2" not in result.output


def test_failed_run_leaves_earlier_outputs_intact(tmp_path: Path, motion_video: Path):
    video = tmp_path / "clip.mp4"
    shutil.copy(motion_video, video)
    out = tmp_path / "out"
    assert _segment(str(video), "--out", str(out)).exit_code == 0
    before = {p.name: p.read_bytes() for p in (out / "clip").iterdir() if p.is_file()}
    render_motion_video(video, seconds=1.0, active=())  # now too short
    assert_one_error_line(_segment(str(video), "--out", str(out)), "one window needs")
    after = {p.name: p.read_bytes() for p in (out / "clip").iterdir() if p.is_file()}
    assert after == before
    assert not list(out.glob("*.partial"))


def test_folder_with_one_bad_video(tmp_path: Path, motion_video: Path):
    folder = tmp_path / "videos"
    (folder / "sub").mkdir(parents=True)
    shutil.copy(motion_video, folder / "a.mp4")
    shutil.copy(motion_video, folder / "sub" / "c.MP4")
    (folder / "b.mp4").write_bytes(b"\x00" * 100)
    (folder / "readme.txt").write_text("not picked up")
    out = tmp_path / "out"
    result = _segment(str(folder), "--out", str(out))
    assert result.exit_code == 2
    assert "1 of 3 sources failed" in result.output
    assert sorted(p.name for p in out.iterdir() if p.is_dir()) == [".laps-job", "a", "c"]
    assert (out / "a" / "segments.json").exists() and (out / "c" / "segments.json").exists()
    summary = json.loads((out / "job_summary.json").read_text())
    status = {v["name"]: v["status"] for v in summary["videos"]}
    assert status == {"a": "done", "b": "failed", "c": "done"}
    failed = next(v for v in summary["videos"] if v["name"] == "b")
    assert "b.mp4" in failed["reason"] and failed["attempts"] == 1  # a bad file is not retried


def test_config_show_round_trips(tmp_path: Path):
    result = runner.invoke(app, ["config", "show", "--set", "tracking.backend=lk"])
    assert result.exit_code == 0
    cfg_file = tmp_path / "c.yaml"
    cfg_file.write_text(result.output)
    again = runner.invoke(app, ["config", "show", "--config", str(cfg_file)])
    assert again.output == result.output


def test_threshold_and_calibration_flags_reach_the_manifest(tmp_path: Path, motion_video: Path):
    out = tmp_path / "out"
    assert _segment(str(motion_video), "--out", str(out), "--threshold", "0.001").exit_code == 0
    manifest = json.loads((out / "motion" / "manifest.json").read_text())
    assert manifest["threshold"]["method"] == "fixed"
    assert manifest["threshold"]["value"] == 0.001
    calib = tmp_path / "calib.json"
    calib.write_text(json.dumps({"threshold": 0.002}))
    assert (
        _segment(str(motion_video), "--out", str(out), "--calibration", str(calib)).exit_code == 0
    )
    manifest = json.loads((out / "motion" / "manifest.json").read_text())
    assert manifest["threshold"]["method"] == "calibration"
    assert manifest["threshold"]["value"] == 0.002
    bad = tmp_path / "bad.json"
    bad.write_text("{}")
    assert_one_error_line(
        _segment(str(motion_video), "--out", str(out), "--calibration", str(bad)), "bad.json"
    )


def test_batch_flags_workers_sources_from_and_resume(tmp_path: Path, motion_video: Path):
    for stem in ("a", "b"):
        shutil.copy(motion_video, tmp_path / f"{stem}.mp4")
    listing = tmp_path / "list.txt"
    listing.write_text("# two videos\na.mp4\nb.mp4\n")
    out = tmp_path / "out"
    args = ["--sources-from", str(listing), "--out", str(out), "--workers", "2"]
    first = _segment(*args)
    assert first.exit_code == 0, first.output
    summary = json.loads((out / "job_summary.json").read_text())
    assert summary["backend"] == "local:2 workers" and summary["totals"]["done"] == 2
    again = _segment(*args)
    assert again.exit_code == 0 and again.output.count("skipped, done earlier") == 2
    forced = _segment(*args, "--force")
    assert forced.exit_code == 0 and "2 done, 0 skipped" in forced.output


@pytest.mark.parametrize(("flags", "fragment"), [
    (["--workers", "0"], "--workers: expected an integer >= 1"),
    (["--retries", "-1"], "--retries: expected an integer >= 0"),
])  # fmt: skip
def test_bad_batch_flags(tmp_path: Path, motion_video: Path, flags: list[str], fragment: str):
    assert_one_error_line(_segment(str(motion_video), "--out", str(tmp_path), *flags), fragment)
