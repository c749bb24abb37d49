"""Kill -9 in the middle of a batch, rerun: every video done exactly once, nothing lost."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from laps.config import load_config
from laps.scale import BatchOptions, run_batch
from videos import render_motion_video

LAPS = str(Path(sys.executable).parent / "laps")
ARGS = ["--set", "video.resize_shorter=120", "--no-clips", "--quiet"]
N_VIDEOS = 8
pytestmark = pytest.mark.timeout(240)


@pytest.fixture(scope="module")
def eight_videos(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("kill9") / "videos"
    folder.mkdir()
    for i in range(N_VIDEOS):
        active = ((0.5 + 0.2 * i, 2.0 + 0.3 * i), (4.0, 5.0))
        render_motion_video(
            folder / f"v{i}.mp4", seconds=6.0, size_wh=(160, 120), patch_px=48,
            active=active, seed=i,
        )  # fmt: skip
    return folder


def _kill_after_first_done(cmd: list[str], done_dir: Path) -> set[str]:
    proc = subprocess.Popen(cmd, start_new_session=True, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 180
        while time.monotonic() < deadline and proc.poll() is None:
            if done_dir.is_dir() and any(done_dir.glob("*.json")):
                break
            time.sleep(0.02)
        os.killpg(proc.pid, signal.SIGKILL)  # the batch and its workers, mid-flight
    finally:
        proc.wait()
    return {p.stem for p in done_dir.glob("*.json")}


def test_kill_9_then_rerun_does_every_video_exactly_once(tmp_path: Path, eight_videos: Path):
    out = tmp_path / "out"
    cmd = [LAPS, "segment", str(eight_videos), "--out", str(out), "--workers", "2", *ARGS]
    done_before = _kill_after_first_done(cmd, out / ".laps-job" / "done")
    assert 1 <= len(done_before) < N_VIDEOS, "the kill should land mid-batch"
    records = {n: (out / ".laps-job" / "done" / f"{n}.json").read_bytes() for n in done_before}

    rerun = subprocess.run(cmd, check=False, capture_output=True, text=True, timeout=180)
    assert rerun.returncode == 0, rerun.stderr

    summary = json.loads((out / "job_summary.json").read_text())
    status = {v["name"]: v["status"] for v in summary["videos"]}
    names = {f"v{i}" for i in range(N_VIDEOS)}
    assert set(status) == names and len(summary["videos"]) == N_VIDEOS
    assert {n for n, s in status.items() if s == "skipped"} == done_before  # not redone
    assert {n for n, s in status.items() if s == "done"} == names - done_before
    for name in done_before:  # their completion records were not rewritten
        assert (out / ".laps-job" / "done" / f"{name}.json").read_bytes() == records[name]

    leftovers = [p for p in out.rglob("*") if p.name.endswith((".partial", ".old", ".tmp"))]
    assert leftovers == []
    assert sorted(p.name for p in out.iterdir() if not p.name.startswith(".")) == sorted(
        [*names, "job_summary.json"]
    )

    cfg = load_config(None, ["video.resize_shorter=120", "export.clips=false"])
    specs = sorted(str(p) for p in eight_videos.glob("*.mp4"))
    run_batch(specs, tmp_path / "clean", cfg, BatchOptions())
    for name in names:  # no segment lost or duplicated, whichever run made it
        for file in ("segments.jsonl", "segments.json"):
            assert (out / name / file).read_text() == (tmp_path / "clean" / name / file).read_text()
        manifest = json.loads((out / name / "manifest.json").read_text())
        assert manifest["status"] == "complete"
