"""Motion tokenizer speed: encoder ms per window, training windows/s, and an lr sweep.

    python bench/tokenizer_speed.py encoder --threads 2            # CPU, presets small+paper
    python bench/tokenizer_speed.py train --preset small --device cpu
    python bench/tokenizer_speed.py lr --preset small --device cuda --lrs 1e-4 3e-4 1e-3 3e-3
    python bench/tokenizer_speed.py collapse --preset small --device cuda --weights 0 0.1 0.5

Synthetic windows (N = 400, T = 16): blobs of points moving along smooth random paths,
drawn from 64 "primitives" with jitter, so there is something to learn.
"""

from __future__ import annotations

import argparse
import json
import logging
import tempfile
import time
from pathlib import Path

import numpy as np
import torch

from laps.tokenizer.config import LossConfig, TrainConfig
from laps.tokenizer.dataset import WindowDataset
from laps.tokenizer.loss import tokenizer_loss
from laps.tokenizer.model import MotionTokenizer, count_parameters
from laps.tokenizer.presets import preset_config
from laps.tokenizer.train import train

T, G = 16, 20
N = G * G


def synthetic(n_videos: int, per_video: int, seed: int = 0) -> WindowDataset:
    rng = np.random.default_rng(seed)
    m = n_videos * per_video
    k = rng.integers(0, 64, m)
    prng = np.random.default_rng(1234)  # the primitives are the same for every seed
    amp, freq, ph = prng.uniform(2, 25, (3, 64, 2)) * np.array([[[1.0]], [[0.08]], [[0.25]]])
    centre, radius = prng.uniform(0, G, (64, 2)), prng.uniform(2, 7, 64)
    t = np.arange(T - 1) / (T - 1)  # window time, so freq is in cycles per window
    px = amp[k][:, None] * np.sin(2 * np.pi * freq[k][:, None] * t[None, :, None] + ph[k][:, None])
    gy, gx = np.divmod(np.arange(N), G)
    c = centre[k] + rng.normal(0, 1.0, (m, 2))
    moving = (gx - c[:, :1]) ** 2 + (gy - c[:, 1:]) ** 2 <= radius[k][:, None] ** 2
    vel = px[:, :, None, :] * moving[:, None, :, None] + rng.normal(0, 0.7, (m, T - 1, N, 2))
    vis = np.ones((m, T, N), bool)
    meta = {"window_length": T, "n_points": N, "grid_size": G, "stride": 2,
            "target_fps": 10.0, "resize_shorter": 320, "tracker": "synthetic"}  # fmt: skip
    video_of = np.repeat(np.arange(n_videos), per_video)
    vids = [f"v{i}" for i in range(n_videos)]
    return WindowDataset((vel / 160.0).astype(np.float32), vis, video_of, vids, meta)


def encoder_ms(preset: str, batch: int, reps: int, device: str) -> tuple[float, float]:
    cfg = preset_config(preset)
    model = MotionTokenizer(cfg).to(device).eval()
    vel = torch.randn(batch, cfg.seq_len, cfg.num_points, 2, device=device) * 0.05
    times = []
    with torch.inference_mode():
        for i in range(reps + 3):
            t0 = time.perf_counter()
            model.quantize(model.encode(vel))
            if device == "cuda":
                torch.cuda.synchronize()
            if i >= 3:
                times.append(time.perf_counter() - t0)
    times.sort()
    return 1000 * times[len(times) // 2] / batch, 1000 * times[0] / batch


def bench_encoder(args: argparse.Namespace) -> None:
    torch.set_num_threads(args.threads)
    for preset in args.presets:
        for batch, reps in ((1, 50), (64, 9)):
            med, best = encoder_ms(preset, batch, reps, args.device)
            print(f"encoder+fsq {preset} batch {batch} {args.device} threads {args.threads}: "
                  f"{med:.3f} ms/window (median; min {best:.3f})")  # fmt: skip


def bench_train(args: argparse.Namespace) -> None:
    torch.set_num_threads(args.threads)
    ds = synthetic(1, args.batch * (args.steps + 2))
    cfg = preset_config(args.preset)
    model = MotionTokenizer(cfg).to(args.device).train()
    opt = torch.optim.AdamW(model.parameters(), lr=1e-4)
    dtype = torch.bfloat16 if args.device == "cuda" else None
    t0 = 0.0
    for i in range(args.steps + 2):
        if i == 2:  # two warm-up steps
            if args.device == "cuda":
                torch.cuda.synchronize()
            t0 = time.perf_counter()
        idx = range(i * args.batch, (i + 1) * args.batch)
        vel = torch.from_numpy(ds.velocities[idx.start : idx.stop]).to(args.device)
        vis = torch.from_numpy(ds.visible[idx.start : idx.stop]).to(args.device)
        with torch.autocast(args.device, dtype=dtype, enabled=dtype is not None):
            out = model(vel)
            loss = tokenizer_loss(out.logits, out.bounded, vel, vis, cfg).total
        opt.zero_grad()
        loss.backward()
        opt.step()
    if args.device == "cuda":
        torch.cuda.synchronize()
    wps = args.batch * args.steps / (time.perf_counter() - t0)
    print(f"train {args.preset} ({count_parameters(model):,} params) batch {args.batch} "
          f"{args.device} threads {args.threads}: {wps:.1f} windows/s")  # fmt: skip


def bench_lr(args: argparse.Namespace) -> None:
    torch.set_num_threads(args.threads)
    ds = synthetic(5, args.windows // 5)
    for lr in args.lrs:
        out = Path(tempfile.mkdtemp())
        cfg = TrainConfig(preset=args.preset, epochs=args.epochs, batch_size=args.batch, lr=lr,
                          device=args.device, seed=0)  # fmt: skip
        train(cfg, ds, out, progress=False)
        rows = [json.loads(x) for x in (out / "metrics.jsonl").read_text().splitlines()]
        r = rows[-1]
        print(f"lr {lr:g}: val recon {r['val_recon']:.4f} acc {r['val_accuracy']:.3f} usage "
              f"{r['val_usage_pct']:.1f}% ppl {r['val_perplexity']:.0f}; train loss "
              f"{r['train_loss']:.4f}; moving acc {r['val_moving_accuracy']:.3f}; "
              f"{r['windows_per_s']:.0f} windows/s; curve "
              f"{[round(x['val_recon'], 3) for x in rows]}", flush=True)  # fmt: skip


def bench_collapse(args: argparse.Namespace) -> None:
    """Codebook usage with and without the anti-collapse term: same data, model and seed."""
    torch.set_num_threads(args.threads)
    ds = synthetic(5, args.windows // 5)
    for w in args.weights:
        mcfg = preset_config(args.preset, loss=LossConfig(entropy_weight=w))
        out = Path(tempfile.mkdtemp())
        cfg = TrainConfig(epochs=args.epochs, batch_size=args.batch, lr=args.lrs[0],
                          device=args.device, seed=0)  # fmt: skip
        train(cfg, ds, out, model_cfg=mcfg, progress=False)
        r = json.loads((out / "metrics.jsonl").read_text().splitlines()[-1])
        print(f"entropy_weight {w:g}: train usage {r['train_usage_pct']:.1f}% ppl "
              f"{r['train_perplexity']:.0f}; val usage {r['val_usage_pct']:.1f}% ppl "
              f"{r['val_perplexity']:.0f}, recon {r['val_recon']:.4f}, moving acc "
              f"{r['val_moving_accuracy']:.3f}", flush=True)  # fmt: skip


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("what", choices=["encoder", "train", "lr", "collapse"])
    p.add_argument("--presets", nargs="+", default=["small", "paper"])
    p.add_argument("--preset", default="small")
    p.add_argument("--device", default="cpu")
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--batch", type=int, default=64)
    p.add_argument("--steps", type=int, default=10)
    p.add_argument("--epochs", type=int, default=10)
    p.add_argument("--windows", type=int, default=5000)
    p.add_argument("--lrs", type=float, nargs="+", default=[1e-4, 3e-4, 1e-3, 3e-3])
    p.add_argument("--weights", type=float, nargs="+", default=[0.0, 0.1, 0.5])
    args = p.parse_args()
    logging.basicConfig(level=logging.WARNING)
    modes = {"encoder": bench_encoder, "train": bench_train, "lr": bench_lr}
    (modes | {"collapse": bench_collapse})[args.what](args)


if __name__ == "__main__":
    main()
