"""Train the tokenizer on a window dataset and report speed and final metrics (issue 4).

Runs where it is started (CPU or GPU); imports no video code, so it runs on a machine that
has torch, pyarrow and pydantic but no decoder. Copies metrics.jsonl and training.png (and
the checkpoint when it is small enough) to ``--report`` for the record.

    python bench/train_tokenizer.py DATASET --preset paper --epochs 60 --batch-size 64 \
        --out runs/paper --report $OUT/paper
"""

from __future__ import annotations

import argparse
import json
import logging
import shutil
import time
from pathlib import Path

import torch

from laps.tokenizer.config import TrainConfig
from laps.tokenizer.train import train

MAX_COPY_BYTES = 15 * 2**20


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("dataset", type=Path)
    ap.add_argument("--preset", default="small")
    ap.add_argument("--epochs", type=int, default=20)
    ap.add_argument("--batch-size", type=int, default=64)
    ap.add_argument("--lr", type=float, default=1e-3)
    ap.add_argument("--device", default="auto")
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument("--report", type=Path)
    args = ap.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    cfg = TrainConfig(
        preset=args.preset,
        epochs=args.epochs,
        batch_size=args.batch_size,
        lr=args.lr,
        device=args.device,
    )
    t0 = time.perf_counter()
    best = train(cfg, args.dataset, args.out, progress=False)
    wall = time.perf_counter() - t0
    rows = [json.loads(x) for x in (args.out / "metrics.jsonl").read_text().splitlines()]
    device = torch.cuda.get_device_name() if torch.cuda.is_available() else "cpu"
    summary = {
        "preset": args.preset,
        "device": device,
        "wall_s": wall,
        "best": str(best),
        "epochs": len(rows),
        "last": rows[-1],
        "first": rows[0],
    }
    print(json.dumps(summary, indent=1))
    if args.report is not None:
        args.report.mkdir(parents=True, exist_ok=True)
        (args.report / "summary.json").write_text(json.dumps(summary, indent=1))
        for name in ("metrics.jsonl", "training.png", "best.pt"):
            src = args.out / name
            if src.exists() and src.stat().st_size <= MAX_COPY_BYTES:
                shutil.copy(src, args.report / name)


if __name__ == "__main__":
    main()
