"""Long run (issue 7): ``laps segment`` on a 30+ minute video, RSS polled from /proc.

Usage:
    python bench/long_run.py [--video V.mp4] [--minutes 30] [--work DIR] [--json R.json]

Without ``--video`` a 305 s 640x360 workstation video is rendered once and copies of it are
concatenated losslessly (PyAV packet remux, timestamps rebased) into one file of at least
``--minutes``. ``laps segment VIDEO --out OUT`` (default config: offline, clips on) runs in a
subprocess; its RSS is read from ``/proc/<pid>/status`` every second and its progress from the
lines of ``windows.jsonl`` in its staging folder. Reports the RSS at 10 %, 50 % and 100 % of
the windows, the RSS slope over the second half (MB per 10 minutes of video), the wall time,
and whether the outputs are complete (:func:`check_outputs`).
"""

from __future__ import annotations

import argparse
import json
import logging
import math
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import av

logger = logging.getLogger("long_run")

TARGET_FPS, WINDOW, STRIDE = 10.0, 16, 4  # the default config (video.target_fps, window.*)
LAPS = Path(sys.executable).with_name("laps")  # the console script beside this Python


def expected_windows(duration_s: float) -> int:
    """Windows of the default config over ``duration_s`` of video (0 when too short)."""
    n_samples = math.floor(duration_s * TARGET_FPS + 1e-6)
    return max(0, (n_samples - WINDOW) // STRIDE + 1)


def concat_copies(src: Path, dst: Path, copies: int) -> float:
    """Write ``copies`` copies of ``src`` back to back into ``dst`` without re-encoding.

    Packets are remuxed with their timestamps shifted by one copy's length each time, so the
    result is one ordinary video file. Returns its duration in seconds.
    """
    with av.open(str(src)) as inp:
        packets = [p for p in inp.demux(inp.streams.video[0]) if p.pts is not None]
        tb = inp.streams.video[0].time_base
        first = min(p.pts for p in packets)
        span = max(p.pts + p.duration for p in packets) - first
        dst.parent.mkdir(parents=True, exist_ok=True)
        with av.open(str(dst), "w") as out:
            stream = out.add_stream_from_template(inp.streams.video[0])
            for k in range(copies):
                for p in packets:
                    q = av.Packet(bytes(p))
                    q.pts, q.dts = p.pts + k * span, p.dts + k * span
                    q.duration, q.time_base, q.is_keyframe = p.duration, tb, p.is_keyframe
                    q.stream = stream
                    out.mux(q)
    return float(copies * span * tb)


def make_long_video(work: Path, minutes: float, seed: int = 7) -> Path:
    """Render a 305 s base video once and concatenate copies to at least ``minutes``."""
    base = work / "base" / f"base{seed}.mp4"
    if not base.exists():
        args = ["synth", "video", "--duration", "305", "--size", "640x360", "--seed", str(seed)]
        args += ["--out", str(base.parent), "--stem", base.stem, "--quiet"]
        subprocess.run([str(LAPS), *args], check=True)
    copies = math.ceil(minutes * 60 / 305)
    dst = work / f"long_{copies * 305 // 60}min.mp4"
    if not dst.exists():
        concat_copies(base, dst, copies)
    return dst


def video_duration(path: Path) -> float:
    """Duration of a video's first video stream, seconds."""
    with av.open(str(path)) as c:
        s = c.streams.video[0]
        if s.duration is not None and s.time_base is not None:
            return float(s.duration * s.time_base)
        return float(c.duration or 0) / av.time_base


def rss_mb(pid: int) -> tuple[float, float]:
    """(VmRSS, VmHWM) of a process in MB; NaN when it is gone."""
    vals = {"VmRSS:": math.nan, "VmHWM:": math.nan}
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            key = line.split(maxsplit=1)[0] if line else ""
            if key in vals:
                vals[key] = int(line.split()[1]) / 1024
    except OSError:
        pass
    return vals["VmRSS:"], vals["VmHWM:"]


@dataclass
class Trace:
    """RSS samples of a run: (wall s, windows done, RSS MB)."""

    samples: list[tuple[float, int, float]] = field(default_factory=list)
    peak_mb: float = 0.0

    def at(self, frac: float, total: int) -> float:
        """RSS at the first sample with at least ``frac`` of ``total`` windows done."""
        for _, done, rss in self.samples:
            if done >= frac * total:
                return rss
        return self.samples[-1][2] if self.samples else math.nan

    def slope_mb_per_10min(self, total: int) -> float:
        """Least-squares slope of RSS against video time over the second half."""
        pts = [(d * STRIDE / TARGET_FPS, r) for _, d, r in self.samples if d >= total / 2]
        if len(pts) < 2:
            return math.nan
        mx = sum(x for x, _ in pts) / len(pts)
        my = sum(y for _, y in pts) / len(pts)
        sxx = sum((x - mx) ** 2 for x, _ in pts)
        sxy = sum((x - mx) * (y - my) for x, y in pts)
        return sxy / sxx * 600 if sxx > 0 else math.nan


class LineCounter:
    """Counts the lines of a file that is being appended to, reading only what is new."""

    def __init__(self, path: Path) -> None:
        self.path, self.offset, self.lines = path, 0, 0

    def poll(self) -> int:
        """Lines so far (0 while the file does not exist)."""
        try:
            with self.path.open("rb") as fh:
                fh.seek(self.offset)
                chunk = fh.read()
        except OSError:
            return self.lines
        self.offset += len(chunk)
        self.lines += chunk.count(b"\n")
        return self.lines


def run_segment(video: Path, out: Path, every_s: float = 1.0, extra: tuple[str, ...] = ()) -> Any:
    """Run ``laps segment VIDEO --out OUT`` in a subprocess, sampling its RSS every second.

    Returns ``(returncode, wall_s, trace, stderr)``.
    """
    counter = LineCounter(out / f"{video.stem}.partial" / "windows.jsonl")
    trace = Trace()
    cmd = [str(LAPS), "segment", str(video), "--out", str(out), "--quiet", *extra]
    t0 = time.monotonic()
    with tempfile.TemporaryFile() as err:
        proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=err)
        try:
            while proc.poll() is None:
                rss, hwm = rss_mb(proc.pid)
                done = counter.poll()
                if not math.isnan(rss):
                    trace.samples.append((time.monotonic() - t0, done, rss))
                    trace.peak_mb = max(trace.peak_mb, hwm)
                time.sleep(every_s)
        finally:  # a timeout or Ctrl-C here must not leave the run going on its own
            if proc.poll() is None:
                proc.kill()
                proc.wait()
        wall = time.monotonic() - t0
        err.seek(0)
        stderr = err.read().decode("utf-8", "replace")
    return proc.returncode, wall, trace, stderr


def check_outputs(run_dir: Path, duration_s: float) -> list[str]:
    """Problems with a finished run folder (empty when complete)."""
    problems = []
    if run_dir.with_name(run_dir.name + ".partial").exists():
        problems.append("staging folder left behind")
    manifest = json.loads((run_dir / "manifest.json").read_text())
    if manifest.get("status") != "complete":
        problems.append(f"manifest status {manifest.get('status')!r}")
    n_windows = sum(1 for _ in (run_dir / "windows.jsonl").open())
    if n_windows != expected_windows(duration_s):
        problems.append(f"{n_windows} windows, expected {expected_windows(duration_s)}")
    lines = (run_dir / "segments.jsonl").read_text().splitlines()
    segs = [json.loads(line) for line in lines]
    problems += _tiling_problems(segs, int(manifest["source"]["n_frames"]))
    clips = sorted(p.name for p in (run_dir / "clips").glob("*.mp4"))
    wanted = sorted(Path(s["clip"]).name for s in segs if s.get("clip"))
    if len(wanted) != len(segs) or clips != wanted:
        problems.append(f"{len(clips)} clips for {len(segs)} segments")
    if any((run_dir / "clips" / c).stat().st_size == 0 for c in clips):
        problems.append("an empty clip")
    return problems


def _tiling_problems(segs: list[dict[str, Any]], n_frames: int) -> list[str]:
    if not segs:
        return ["no segments"]
    problems = []
    if segs[0]["start_frame"] != 0 or segs[-1]["end_frame"] != n_frames:
        span = (segs[0]["start_frame"], segs[-1]["end_frame"])
        problems.append(f"segments span {span}, expected (0, {n_frames})")
    for a, b in zip(segs, segs[1:], strict=False):
        if a["end_frame"] != b["start_frame"]:
            problems.append(f"gap/overlap between segments {a['id']} and {b['id']}")
    return problems


@dataclass
class Report:
    """What one long run measured."""

    video: str
    video_s: float
    windows_expected: int
    returncode: int
    wall_s: float
    rss_10pct_mb: float
    rss_50pct_mb: float
    rss_100pct_mb: float
    peak_rss_mb: float
    slope_mb_per_10min_video: float
    problems: list[str]


def long_run(video: Path, out: Path) -> Report:
    """Segment ``video`` into ``out`` in a subprocess and measure it."""
    duration = video_duration(video)
    total = expected_windows(duration)
    code, wall, trace, stderr = run_segment(video, out)
    if code != 0:
        logger.error("laps segment failed (%d): %s", code, stderr[-2000:])
    problems = check_outputs(out / video.stem, duration) if code == 0 else [f"exit {code}"]
    return Report(
        str(video),
        round(duration, 2),
        total,
        code,
        round(wall, 1),
        round(trace.at(0.1, total), 1),
        round(trace.at(0.5, total), 1),
        round(trace.at(1.0, total), 1),
        round(trace.peak_mb, 1),
        round(trace.slope_mb_per_10min(total), 2),
        problems,
    )


def main() -> int:
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--video", type=Path)
    ap.add_argument("--minutes", type=float, default=30.0)
    ap.add_argument("--work", type=Path, default=Path("bench_out/long_run"))
    ap.add_argument("--json", type=Path)
    args = ap.parse_args()
    video = args.video or make_long_video(args.work, args.minutes)
    out = args.work / "out"
    report = long_run(video, out)
    text = json.dumps(asdict(report), indent=1)
    logger.info("%s", text)
    if args.json:
        args.json.write_text(text + "\n")
    return 0 if report.returncode == 0 and not report.problems else 1


if __name__ == "__main__":
    sys.exit(main())
