"""CoTracker3-online speed (issue 8): both modes through WindowBuilder, beside DIS.

Synthetic 320p frames (a blurred texture translating 2 px per frame), grid 20x20, windows of
16 frames every 4: the laps defaults. Each mode first runs a warm-up stream (CUDA kernels,
cuDNN autotuning), then a timed one; ms per frame and per window are tracker + WindowBuilder
wall time over the timed stream (the tracker copies positions to the host, so the GPU is
synchronised at every read; torch.cuda.synchronize() closes the timing as well).

Weights: ``--checkpoint`` or, without one, the hub model's own random initialisation saved
to a temporary file (cost does not depend on weight values).

Usage:
    python bench/cotracker_speed.py --repo PATH [--checkpoint F] [--frames 96]
        [--modes online,per-window,dis] [--device auto] [--json F]
"""

from __future__ import annotations

import argparse
import json
import logging
import tempfile
import time
from pathlib import Path

import cv2
import numpy as np


def frames(n: int, width: int, height: int) -> list[np.ndarray]:
    rng = np.random.default_rng(0)
    big = rng.uniform(0, 255, (height + 2 * n + 64, width + 2 * n + 64)).astype(np.float32)
    big = cv2.GaussianBlur(big, (0, 0), 2.0)
    big = cv2.normalize(big, None, 0, 255, cv2.NORM_MINMAX).astype(np.uint8)
    return [big[32 + k : 32 + k + height, 32 + 2 * k : 32 + 2 * k + width].copy() for k in range(n)]


def stream(tracker, images: list[np.ndarray]) -> tuple[float, int]:
    from laps.types import Frame
    from laps.window.builder import WindowBuilder
    from laps.window.config import WindowConfig

    builder = WindowBuilder(tracker, WindowConfig(length=16, stride=4), grid_size=20)
    n_windows = 0
    t0 = time.perf_counter()
    for k, image in enumerate(images):
        for tw in builder.update(Frame(k, k, k / 10.0, image, 0.0)):
            assert np.isfinite(tw.window.tracks).all()
            n_windows += 1
    sync()
    return time.perf_counter() - t0, n_windows


def sync() -> None:
    import torch

    if torch.cuda.is_available():
        torch.cuda.synchronize()


def random_checkpoint(repo: Path, out: Path) -> Path:
    import torch

    model = torch.hub.load(str(repo), "cotracker3_online", source="local", pretrained=False)
    path = out / "random_online.pth"
    torch.save(getattr(model, "model", model).state_dict(), path)
    return path


def measure(mode: str, args: argparse.Namespace, images: list[np.ndarray]) -> dict:
    from laps.tracking import TrackingConfig, make_tracker

    if mode == "dis":
        cfg = TrackingConfig(backend="dis")
    else:
        sub = {"repo": args.repo, "checkpoint": args.checkpoint, "mode": mode}
        cfg = TrackingConfig(backend="cotracker", cotracker={**sub, "device": args.device})
    tracker = make_tracker(cfg)
    stream(tracker, images[: args.warmup])
    tracker.reset()
    calls0 = getattr(tracker, "n_model_calls", 0)
    wall, n_windows = stream(tracker, images)
    calls = getattr(tracker, "n_model_calls", 0) - calls0
    row = {
        "mode": mode,
        "frames": len(images),
        "windows": n_windows,
        "wall_s": round(wall, 3),
        "ms_per_frame": round(1000 * wall / len(images), 2),
        "ms_per_window": round(1000 * wall / max(n_windows, 1), 2),
        "model_calls": calls,
    }
    if calls:
        row["ms_per_model_call"] = round(1000 * wall / calls, 2)
    print(json.dumps(row), flush=True)
    return row


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repo", type=Path, required=True)
    parser.add_argument("--checkpoint", type=Path)
    parser.add_argument("--frames", type=int, default=96)
    parser.add_argument("--warmup", type=int, default=24)
    parser.add_argument("--width", type=int, default=568)
    parser.add_argument("--height", type=int, default=320)
    parser.add_argument("--modes", default="online,per-window,dis")
    parser.add_argument("--device", default="auto")
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING)
    import torch

    cuda, threads = torch.cuda.is_available(), torch.get_num_threads()
    print(f"torch {torch.__version__}, cuda {cuda}, threads {threads}")
    if torch.cuda.is_available():
        print(torch.cuda.get_device_name(0))
    images = frames(args.frames, args.width, args.height)
    with tempfile.TemporaryDirectory() as tmp:
        if args.checkpoint is None:
            args.checkpoint = random_checkpoint(args.repo, Path(tmp))
        rows = [measure(m, args, images) for m in args.modes.split(",")]
    if args.json:
        args.json.write_text(json.dumps(rows, indent=1))


if __name__ == "__main__":
    main()
