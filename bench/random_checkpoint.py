"""A checkpoint with the same data conventions as a trained one, but another preset's
randomly initialised weights: for timing a preset whose trained weights are not at hand
(the cost of a forward pass does not depend on the weight values).

    python bench/random_checkpoint.py --like runs/small/best.pt --preset paper --out paper.pt
"""

from __future__ import annotations

import argparse
from pathlib import Path

import torch

from laps.tokenizer.checkpoint import load_checkpoint, plain, save_checkpoint
from laps.tokenizer.model import MotionTokenizer
from laps.tokenizer.presets import preset_config


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--like", type=Path, required=True)
    ap.add_argument("--preset", default="paper")
    ap.add_argument("--out", type=Path, required=True)
    args = ap.parse_args()
    ckpt = load_checkpoint(args.like, "cpu")
    old = ckpt["tokenizer_config"]
    cfg = preset_config(
        args.preset,
        loss=old["loss"],
        num_points=old["num_points"],
        window_length=old["window_length"],
        fsq_levels=tuple(old["fsq_levels"]),
    )
    torch.manual_seed(0)
    model = MotionTokenizer(cfg)
    ckpt = {k: v for k, v in ckpt.items() if k not in ("optimizer", "scaler")}
    ckpt["model"] = model.state_dict()
    ckpt["tokenizer_config"] = plain(cfg.model_dump(mode="json"))
    save_checkpoint(args.out, ckpt)
    print(f"{args.out}: {sum(p.numel() for p in model.parameters())} parameters (random)")


if __name__ == "__main__":
    main()
