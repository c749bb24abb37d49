"""Pipeline speed benchmark (issue 2): decode floor vs. the full pipeline, one run.

Each mode runs in its own subprocess (so peak RSS is per mode) on the same video:

* ``decode``: every frame of the file decoded by PyAV, nothing else (the physical floor);
* ``sample``: decode + time-based resampling + resize to grayscale (laps.video);
* ``dis`` / ``lk``: the full pipeline (tracking, gates, energy, segmentation, outputs;
  clips off, they are measured separately as ``dis+clips``);
* ``live``: the full dis pipeline with the file replayed in real time (``--live``);
* ``tok`` / ``tok-live``: the full pipeline with the tokenizer of ``--checkpoint`` (learned
  energy), offline / live.

Usage:
    python bench/pipeline_speed.py [--video V.mp4] [--modes decode,sample,dis,lk] [--json F]
Without ``--video`` a 720p 30 fps medium workstation video of 120 s is generated first.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def run_decode(video: str) -> dict:
    import av

    t0 = time.perf_counter()
    n = 0
    with av.open(video) as c:
        s = c.streams.video[0]
        s.thread_type = "AUTO"
        for _ in c.decode(s):
            n += 1
    wall = time.perf_counter() - t0
    return {"wall_s": wall, "frames_decoded": n}


def run_sample(video: str) -> dict:
    from laps.config import PipelineConfig
    from laps.video.sources import open_source

    cfg = PipelineConfig()
    t0 = time.perf_counter()
    with open_source(video, cfg.video, live=False) as src:
        n = sum(1 for _ in src.frames())
        decoded = src.n_decoded
    wall = time.perf_counter() - t0
    return {"wall_s": wall, "frames_sampled": n, "frames_decoded": decoded, "sampled_fps": n / wall}


def run_pipeline(
    video: str, tracker: str, live: bool, clips: bool, checkpoint: str | None = None
) -> dict:
    from laps.config import load_config
    from laps.pipeline.run import segment_source

    encoder, layer = None, None
    if checkpoint:
        from laps.tokenizer.inference import TokenizerEncoder, pipeline_layer

        encoder, meta = TokenizerEncoder.from_checkpoint(Path(checkpoint), "cpu")
        layer = pipeline_layer(meta)
    overrides = [f"tracking.backend={tracker}", f"export.clips={clips}"]
    cfg = load_config(None, overrides, base=layer)
    with tempfile.TemporaryDirectory() as out:
        t0 = time.perf_counter()
        res = segment_source(video, Path(out), cfg, live=live, encoder=encoder)
        wall = time.perf_counter() - t0
    p = res.perf
    n = max(p["windows_done"], 1)
    return {
        "wall_s": wall,
        "frames_sampled": p["frames_sampled"],
        "sampled_fps": p["frames_sampled"] / wall,
        "windows_per_s": p["windows_done"] / wall,
        "ms_per_window": {k: 1000 * v / n for k, v in p["stage_time_s"].items()},
        "stage_share": p["stage_share"],
        "ok_ratio": p["ok_ratio"],
        "latency_p95_s": p["latency_s"]["p95"],
        "t_total_p95_s": p["t_total_s"]["p95"],
        "segments": p["segments"],
        "t_forward_mean_ms": 1000 * p["t_forward_s"]["mean"],
        "param_count": p["param_count"],
    }


def child(mode: str, video: str, checkpoint: str | None) -> None:
    if mode in ("tok", "tok-live"):
        out = run_pipeline(
            video, "dis", live=mode == "tok-live", clips=False, checkpoint=checkpoint
        )
    elif mode == "decode":
        out = run_decode(video)
    elif mode == "sample":
        out = run_sample(video)
    elif mode == "live":
        out = run_pipeline(video, "dis", live=True, clips=False)
    elif mode == "dis+clips":
        out = run_pipeline(video, "dis", live=False, clips=True)
    else:
        out = run_pipeline(video, mode, live=False, clips=False)
    out["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps(out))


def make_video(path: Path, seconds: float) -> str:
    from laps.synth import SynthConfig, render_video

    res = render_video(SynthConfig(seed=7, duration_s=seconds, preset="medium"), path)
    return str(res.video)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--video")
    ap.add_argument("--seconds", type=float, default=120.0)
    ap.add_argument("--modes", default="decode,sample,dis,lk")
    ap.add_argument("--json")
    ap.add_argument("--child")
    ap.add_argument("--checkpoint", help="tokenizer checkpoint for the tok / tok-live modes")
    args = ap.parse_args()
    if args.child:
        child(args.child, args.video, args.checkpoint)
        return
    video = args.video or make_video(Path(tempfile.mkdtemp()), args.seconds)
    results = {}
    for mode in args.modes.split(","):
        cmd = [sys.executable, __file__, "--child", mode, "--video", video]
        if args.checkpoint:
            cmd += ["--checkpoint", args.checkpoint]
        proc = subprocess.run(cmd, capture_output=True, text=True, check=True)
        results[mode] = json.loads(proc.stdout.strip().splitlines()[-1])
        print(mode, json.dumps(results[mode]), flush=True)
    floor = results.get("decode", {}).get("wall_s")
    if floor:
        for mode, r in results.items():
            r["ratio_to_decode"] = r["wall_s"] / floor
            print(f"{mode:10s} wall {r['wall_s']:7.2f} s  x{r['ratio_to_decode']:.2f} of decode")
    if args.json:
        Path(args.json).write_text(json.dumps({"video": video, "results": results}, indent=2))


if __name__ == "__main__":
    main()
