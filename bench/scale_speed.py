"""Scale-out benchmark (issue 7): videos per hour and sampled frames/s against the worker count.

Each configuration is one fresh ``laps segment FOLDER --out OUT`` process on the same videos
(worker start-up included, as a user pays it), with the default pipeline (clips on):

* ``local:N``: ``--workers N`` (spawned processes on this machine);
* ``ray:N``: ``--ray --workers N`` (a Ray instance on this machine with N CPUs; video tasks
  plus the tokenizer in an actor, on the GPU when there is one).

Throughput is taken from the batch's ``job_summary.json`` (its wall clock covers planning,
worker start-up, every video and the summary). Scaling efficiency of N workers is
throughput(N) / (N x throughput(1)) within the same backend.

Usage:
    python bench/scale_speed.py --generate 8 --duration 20 --size 640x360 \
        --configs local:1,local:2,local:4 [--checkpoint CKPT] [--json F]
    python bench/scale_speed.py --videos DIR --configs ray:1,ray:4,ray:16 --checkpoint CKPT
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

LAPS = [sys.executable, "-m", "laps"]  # works without the console script (PYTHONPATH=src)


def generate(folder: Path, n: int, duration: float, size: str, jobs: int) -> None:
    folder.mkdir(parents=True, exist_ok=True)

    def one(i: int) -> None:
        if (folder / f"s{i:03d}.mp4").is_file():
            return
        cmd = [*LAPS, "synth", "video", "--seed", str(100 + i), "--duration", str(duration),
               "--size", size, "--stem", f"s{i:03d}", "--out", str(folder), "--quiet"]  # fmt: skip
        proc = subprocess.run(cmd, check=False, capture_output=True, text=True)
        if proc.returncode != 0:
            raise SystemExit(f"generating s{i:03d} failed:\n{proc.stderr[-2000:]}")

    t0 = time.perf_counter()
    with ThreadPoolExecutor(jobs) as pool:
        list(pool.map(one, range(n)))
    print(f"generated {n} x {duration:g} s videos in {time.perf_counter() - t0:.0f} s")


def run_config(config: str, videos: Path, work: Path, checkpoint: str | None, device: str) -> dict:
    backend, n = config.split(":")
    out = work / config.replace(":", "_")
    shutil.rmtree(out, ignore_errors=True)
    cmd = [*LAPS, "segment", str(videos), "--out", str(out), "--quiet", "--workers", n]
    if backend == "ray":
        cmd.append("--ray")
    if checkpoint:
        cmd += ["--checkpoint", checkpoint, "--device", device]
    t0 = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True, check=False)
    wall = time.perf_counter() - t0
    if proc.returncode != 0:
        raise SystemExit(f"{config} failed ({proc.returncode}):\n{proc.stderr[-3000:]}")
    doc = json.loads((out / "job_summary.json").read_text())
    totals = doc["totals"]
    per_video = [v["wall_s"] for v in doc["videos"] if v["status"] == "done"]
    busy = sum(per_video) / (max(int(n), 1) * totals["wall_s"]) if totals["wall_s"] else 0.0
    return {"config": config, "backend": backend, "workers": int(n), "process_wall_s": wall,
            "mean_video_wall_s": sum(per_video) / max(len(per_video), 1),
            "worker_busy_fraction": busy, **totals}  # fmt: skip


def add_efficiency(rows: list[dict]) -> None:
    single = next((r for r in rows if r["config"] == "local:1"), None)
    for row in rows:
        if single is not None and single["videos_per_hour"] > 0:
            row["vs_local1"] = row["videos_per_hour"] / single["videos_per_hour"]
        base = next((r for r in rows if r["backend"] == row["backend"] and r["workers"] == 1), None)
        if base is not None and base["videos_per_hour"] > 0:
            speedup = row["videos_per_hour"] / base["videos_per_hour"]
            row["speedup"] = speedup
            row["efficiency"] = speedup / row["workers"]


def machine() -> dict:
    info = {"cpus": os.cpu_count(), "python": platform.python_version(),
            "platform": platform.platform()}  # fmt: skip
    try:
        import torch

        if torch.cuda.is_available():
            info["gpu"] = torch.cuda.get_device_name(0)
    except ImportError:
        pass
    return info


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--videos", type=Path, help="folder of videos (else --generate)")
    ap.add_argument("--generate", type=int, default=8, help="synthetic videos to make")
    ap.add_argument("--duration", type=float, default=20.0)
    ap.add_argument("--size", default="640x360")
    ap.add_argument("--configs", default="local:1,local:2,local:4")
    ap.add_argument("--checkpoint", default=None)
    ap.add_argument("--device", default="auto")
    ap.add_argument("--work", type=Path, default=None, help="working folder (kept)")
    ap.add_argument("--json", type=Path, default=None)
    args = ap.parse_args()
    work = args.work or Path(tempfile.mkdtemp(prefix="laps_scale_"))
    videos = args.videos or work / "videos"
    if args.videos is None:
        generate(videos, args.generate, args.duration, args.size, os.cpu_count() or 1)
    rows = []
    for config in args.configs.split(","):
        row = run_config(config, videos, work, args.checkpoint, args.device)
        rows.append(row)
        print(f"{config:>9}: {row['done']} videos in {row['wall_s']:.1f} s "
              f"({row['videos_per_hour']:.0f} videos/h, {row['sampled_fps']:.1f} sampled "
              f"frames/s, {row['realtime_factor']:.1f}x real time; "
              f"{row['mean_video_wall_s']:.1f} s per video, "
              f"workers busy {row['worker_busy_fraction']:.2f})", flush=True)  # fmt: skip
    add_efficiency(rows)
    for row in rows:
        if "efficiency" in row:
            print(f"{row['config']:>9}: speedup {row['speedup']:.2f}, "
                  f"efficiency {row['efficiency']:.2f}, vs local:1 "
                  f"{row.get('vs_local1', float('nan')):.2f}")  # fmt: skip
    doc = {"machine": machine(), "date": time.strftime("%Y-%m-%d"), "argv": sys.argv[1:],
           "rows": rows}  # fmt: skip
    if args.json:
        args.json.write_text(json.dumps(doc, indent=2))


if __name__ == "__main__":
    main()
