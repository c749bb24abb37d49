"""Long runs (issue 7): ``laps segment`` over minutes of video keeps memory flat and finishes
every output (windows for the whole duration, segments tiling it, a clip per segment).

The measuring code is ``bench/long_run.py`` (the benchmark in docs/BENCHMARKS.md): the run is
a subprocess whose RSS is read from /proc every fraction of a second.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))
import long_run  # noqa: E402

pytestmark = pytest.mark.skipif(
    not long_run.LAPS.exists() or not Path("/proc/self/status").exists(),
    reason="needs the laps console script and /proc (Linux)",
)


def _concatenated(tmp: Path, base_s: int, copies: int, size: str) -> Path:
    """A generated ``base_s`` video, copied ``copies`` times back to back into one file."""
    args = ["synth", "video", "--duration", str(base_s), "--size", size, "--seed", "3"]
    args += ["--out", str(tmp), "--stem", "base", "--quiet"]
    subprocess.run([str(long_run.LAPS), *args], check=True, capture_output=True, timeout=300)
    long_run.concat_copies(tmp / "base.mp4", tmp / "long.mp4", copies)
    return tmp / "long.mp4"


def test_three_minutes_complete_and_memory_bounded(tmp_path: Path):
    video = _concatenated(tmp_path, 30, 6, "256x144")  # 180 s; the run takes ~15 s
    assert long_run.video_duration(video) == pytest.approx(180.0)
    extra = ("--set", "video.resize_shorter=144")  # keep the smoke short on 2 cores
    code, _, trace, stderr = long_run.run_segment(video, tmp_path / "out", 0.25, extra)
    assert code == 0, stderr
    assert long_run.check_outputs(tmp_path / "out" / "long", 180.0) == []
    total = long_run.expected_windows(180.0)
    assert total == 447
    growth = trace.at(1.0, total) - trace.at(0.1, total)
    assert growth < 30, f"RSS grew {growth:.1f} MB over 3 minutes of video"


@pytest.mark.slow
@pytest.mark.timeout(3600)  # ~2 min to render, ~14 min to segment on 2 cores
def test_thirty_minutes_complete_and_memory_flat(tmp_path: Path):
    video = long_run.make_long_video(tmp_path, 30.0)  # 6 x 305 s of 640x360
    report = long_run.long_run(video, tmp_path / "out")
    assert report.returncode == 0 and report.problems == []
    assert report.windows_expected == long_run.expected_windows(report.video_s) >= 4500
    assert report.rss_100pct_mb - report.rss_10pct_mb < 50
    assert report.slope_mb_per_10min_video < 10  # 10 min = 1500 windows: catches ~7 KB/window
