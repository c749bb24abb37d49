"""Is the generated suite hard? Boundary F1 of simple segmenters on the `hard` preset.

For each video: the laps default pipeline with the velocity energy and an Otsu threshold,
a periodic cut every 2 s, and the ground truth itself (the perfect score), all scored with
one-to-one boundary matching at 0.5 / 1 / 2 s.

Usage:
    python bench/suite_triviality.py [--videos N] [--seconds 180] [--out bench_out/trivial]
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import numpy as np

from laps.config import load_config
from laps.evaluate.boundaries import boundaries_from_segments, boundary_score, read_segments_json
from laps.pipeline.run import segment_source
from laps.synth import SynthConfig, render_video

TOLS = (0.5, 1.0, 2.0)


def score(true_b: np.ndarray, pred_b: np.ndarray) -> list[float]:
    return [round(boundary_score(true_b, pred_b, t).f1, 3) for t in TOLS]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--videos", type=int, default=2)
    ap.add_argument("--seconds", type=float, default=180.0)
    ap.add_argument("--out", default="bench_out/trivial")
    args = ap.parse_args()
    out = Path(args.out)
    cfg = load_config(None, ["export.clips=false"])
    rows = []
    for k in range(args.videos):
        view = ("top", "oblique")[k % 2]
        synth = SynthConfig(seed=100 + k, duration_s=args.seconds, preset="hard", view=view)
        video = render_video(synth, out / "videos")
        truth, duration = read_segments_json(video.ground_truth)
        true_b = boundaries_from_segments(truth, duration)
        res = segment_source(str(video.video), out / "runs", cfg)
        pred = boundaries_from_segments([(s.start_s, s.end_s) for s in res.segments], duration)
        periodic = np.arange(2.0, float(duration or 0), 2.0)
        rows.append(
            {
                "video": video.video.name,
                "true_boundaries": int(true_b.size),
                "velocity_otsu": score(true_b, pred),
                "periodic_2s": score(true_b, periodic),
                "perfect": score(true_b, true_b),
                "pred_boundaries": int(pred.size),
            }
        )
        print(json.dumps(rows[-1]), flush=True)
    for key in ("velocity_otsu", "periodic_2s", "perfect"):
        mean = np.mean([r[key] for r in rows], axis=0).round(3).tolist()
        print(f"{key:14s} F1 @0.5/1/2 s: {mean}")


if __name__ == "__main__":
    main()
