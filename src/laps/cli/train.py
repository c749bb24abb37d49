"""``laps train``: train the motion tokenizer on a window dataset from ``laps tracks``.

Examples:
    laps train data/windows                          # small preset, CPU or GPU
    laps train data/windows --preset paper --out runs/paper --device cuda
    laps train data/windows --out runs/paper --resume --epochs 40
"""

from __future__ import annotations

import logging
import sys
from pathlib import Path
from typing import Annotated, Any

import typer
from pydantic import ValidationError

from laps._model import describe_errors
from laps.cli._errors import guarded, setup_logging
from laps.cli._options import DebugOpt, QuietOpt
from laps.errors import ConfigError
from laps.tokenizer.config import TrainConfig
from laps.tokenizer.train import train as train_tokenizer

logger = logging.getLogger("laps.cli")


def train(
    dataset: Annotated[Path, typer.Argument(help="Dataset folder written by `laps tracks`.")],
    out: Annotated[Path, typer.Option("--out", "-o", help="Run folder.")] = Path("runs/tokenizer"),
    preset: Annotated[str, typer.Option(help="Model size: small (CPU) | paper (GPU).")] = "small",
    epochs: Annotated[int | None, typer.Option(help="Epochs (default 20).")] = None,
    batch_size: Annotated[int | None, typer.Option(help="Windows per step (default 64).")] = None,
    lr: Annotated[float | None, typer.Option(help="Peak learning rate (default 1e-3).")] = None,
    device: Annotated[str, typer.Option(help="auto | cpu | cuda.")] = "auto",
    amp: Annotated[bool, typer.Option("--amp/--no-amp", help="bf16/fp16 on CUDA.")] = True,
    resume: Annotated[bool, typer.Option(help="Continue the run in --out (last.pt).")] = False,
    seed: Annotated[int, typer.Option(help="Seed of split, init and shuffling.")] = 0,
    debug: DebugOpt = False,
    quiet: QuietOpt = False,
) -> None:
    """Train the motion tokenizer; writes best.pt, last.pt, metrics.jsonl, training.png."""
    setup_logging(debug, quiet)
    given = {"epochs": epochs, "batch_size": batch_size, "lr": lr}
    fields: dict[str, Any] = {k: v for k, v in given.items() if v is not None}
    fields |= {"preset": preset, "device": device, "amp": amp, "seed": seed}
    cfg = guarded(lambda: _config(fields), debug)
    show = sys.stderr.isatty() and not quiet
    best = guarded(lambda: train_tokenizer(cfg, dataset, out, resume=resume, progress=show), debug)
    typer.echo(f"{out}: trained {cfg.epochs} epochs -> {best}")


def _config(fields: dict[str, Any]) -> TrainConfig:
    try:
        return TrainConfig(**fields)
    except ValidationError as err:
        raise ConfigError(
            f"invalid training option: {describe_errors(err)}; see `laps train --help`"
        ) from err
