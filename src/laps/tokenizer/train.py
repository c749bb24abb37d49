"""Training of the motion tokenizer: ``train(cfg, dataset, out_dir) -> best checkpoint``.

A linear loop: split by video -> per epoch (train steps with warm-up + cosine lr, validation,
metrics line, plot, ``last.pt``, ``best.pt`` on a better val loss). ``--resume`` continues
from ``last.pt``; Ctrl-C writes ``last.pt`` first (its current weights; the interrupted epoch
continues on resume with the same batches and random state).
"""

from __future__ import annotations

import json
import logging
import math
import random
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import torch
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

import laps
from laps.errors import ConfigError
from laps.export.atomic import json_safe, write_text_atomic
from laps.tokenizer import loaders
from laps.tokenizer.checkpoint import load_checkpoint, plain, save_checkpoint, tokenizer_config_of
from laps.tokenizer.config import TokenizerConfig, TrainConfig
from laps.tokenizer.dataset import WindowDataset
from laps.tokenizer.metrics import EpochStats
from laps.tokenizer.model import MotionTokenizer, count_parameters
from laps.tokenizer.plots import plot_training
from laps.tokenizer.schedule import lr_at, warmup_steps_for
from laps.tokenizer.steps import Stepper, amp_dtype, make_optimizer, resolve_device

logger = logging.getLogger(__name__)


@dataclass
class Run:
    """Everything one training run holds."""

    cfg: TrainConfig
    out: Path
    stepper: Stepper
    train_set: WindowDataset
    val_set: WindowDataset | None
    info: dict[str, Any]  # data_meta, dataset_summary, dataset_path
    epoch: int = 0  # completed epochs
    batch: int = 0  # batches done of the epoch in progress (non-zero after an interrupt)
    step: int = 0
    best: float = math.inf
    history: list[dict[str, Any]] = field(default_factory=list)

    @property
    def steps_per_epoch(self) -> int:
        """Optimiser steps per epoch."""
        return math.ceil(len(self.train_set) / self.cfg.batch_size)


def train(
    cfg: TrainConfig,
    dataset: Path | WindowDataset,
    out_dir: Path,
    *,
    resume: bool = False,
    model_cfg: TokenizerConfig | None = None,
    progress: bool | None = None,
) -> Path:
    """Train a tokenizer on a window dataset; returns ``best.pt`` (``last.pt`` if none).

    Args:
        cfg: the run's settings.
        dataset: a dataset folder written by ``laps tracks``, or a loaded dataset.
        out_dir: run folder (last.pt, best.pt, metrics.jsonl, training.png).
        resume: continue the run in ``out_dir`` from its ``last.pt``.
        model_cfg: a model config instead of ``cfg.preset`` (N and T must fit the data).
        progress: show a progress bar (default: when stderr is a terminal).

    Raises:
        ConfigError: bad dataset, existing run without ``resume``, incompatible resume.
        LapsError: training diverged (non-finite losses) or does not fit in memory.
    """
    run = _setup(cfg, dataset, Path(out_dir), resume, model_cfg)
    if run.epoch >= cfg.epochs:
        logger.warning("%s already holds %d epochs; pass more --epochs", run.out, run.epoch)
    show = sys.stderr.isatty() if progress is None else progress
    with _progress(show) as bar:
        try:
            while run.epoch < cfg.epochs:
                _epoch(run, bar)
        except KeyboardInterrupt:
            _save(run, run.out / "last.pt")
            logger.warning("interrupted: wrote %s; continue with --resume", run.out / "last.pt")
            raise
    best = run.out / "best.pt"
    return best if best.exists() else run.out / "last.pt"


def _setup(
    cfg: TrainConfig,
    dataset: Path | WindowDataset,
    out: Path,
    resume: bool,
    model_cfg: TokenizerConfig | None,
) -> Run:
    _seed_all(cfg.seed)
    ds, name = loaders.open_windows(dataset)
    ckpt = _previous_run(out, resume)
    if ckpt is not None:
        loaders.check_same_data(ckpt.get("data_meta") or {}, ds.meta, out / "last.pt")
        mcfg = tokenizer_config_of(ckpt, out / "last.pt")
    else:
        mcfg = loaders.model_config_for(cfg, ds.meta, model_cfg)
    train_set, val_set = loaders.split_windows(ds, cfg.val_fraction, cfg.seed)
    device = resolve_device(cfg.device)
    model = MotionTokenizer(mcfg).to(device)
    dtype = amp_dtype(device, cfg.amp)
    scaler = torch.amp.GradScaler(device.type, enabled=dtype is torch.float16)
    stepper = Stepper(model, make_optimizer(model, cfg), scaler, device, dtype, cfg)
    info = {"data_meta": plain(ds.meta), "dataset_summary": plain(ds.summary())}
    run = Run(cfg, out, stepper, train_set, val_set, info | {"dataset_path": name})
    if ckpt is not None:
        _restore(run, ckpt)
    out.mkdir(parents=True, exist_ok=True)
    n_val = len(val_set) if val_set is not None else 0
    logger.info(
        "tokenizer: %d parameters, codebook %d, on %s (autocast %s); %d train / %d val windows",
        *(count_parameters(model), mcfg.codebook_size, device, dtype, len(train_set), n_val),
    )
    return run


def _previous_run(out: Path, resume: bool) -> dict[str, Any] | None:
    """The ``last.pt`` to resume, or None for a new run; refuse to overwrite a run."""
    last = out / "last.pt"
    if last.exists() and not resume:
        raise ConfigError(
            f"{out} already holds a training run (last.pt); pass --resume to continue it or "
            "choose another --out"
        )
    if resume and not last.exists():
        raise ConfigError(f"--resume: no last.pt in {out}; drop --resume to start a new run")
    return load_checkpoint(last) if resume else None


def _restore(run: Run, ckpt: dict[str, Any]) -> None:
    st = run.stepper
    st.model.load_state_dict(ckpt["model"])
    st.opt.load_state_dict(ckpt["optimizer"])
    if ckpt.get("scaler"):
        st.scaler.load_state_dict(ckpt["scaler"])
    run.epoch, run.batch = int(ckpt["epoch"]), int(ckpt.get("batch_in_epoch", 0))
    run.step = run.epoch * run.steps_per_epoch + run.batch
    if run.batch and isinstance(ckpt.get("rng"), torch.Tensor):
        torch.set_rng_state(ckpt["rng"])
    run.best = float(ckpt.get("best_val_loss", math.inf))
    run.history = [dict(row) for row in ckpt.get("history", [])]
    logger.info("resuming %s at epoch %d batch %d", run.out / "last.pt", run.epoch + 1, run.batch)


def _epoch(run: Run, bar: Progress) -> None:
    cfg, st = run.cfg, run.stepper
    e = run.epoch
    if run.batch == 0:
        _seed_all(cfg.seed * 100_003 + e)  # dropout and noise repeat on resume
    cuda = st.device.type == "cuda"
    loader = loaders.make_loader(run.train_set, cfg, cuda, cfg.seed + e, run.batch)
    total = cfg.epochs * run.steps_per_epoch
    warm = warmup_steps_for(total, cfg.warmup_fraction)
    stats = EpochStats(st.mcfg.codebook_size)
    task = bar.add_task(f"epoch {e + 1}/{cfg.epochs}", total=run.steps_per_epoch, loss=math.nan)
    bar.update(task, completed=run.batch)
    st.model.train()
    t0 = time.perf_counter()
    lr = cfg.lr
    for batch in loader:
        lr = lr_at(run.step, total, cfg.lr, warm, cfg.min_lr_ratio)
        result = st.train_batch(batch, lr)
        run.step += 1
        run.batch += 1
        if result is None:
            stats.bad_batches += 1
        else:
            stats.add(result.parts, result.hits, result.codes)
        bar.update(task, advance=1, loss=stats.loss_sum / max(1, stats.n_windows))
    t_train = time.perf_counter() - t0
    bar.remove_task(task)
    val = _evaluate(run)
    _finish_epoch(run, stats, val, lr, t_train, time.perf_counter() - t0)


def _evaluate(run: Run) -> EpochStats | None:
    if run.val_set is None:
        return None
    st, cfg = run.stepper, run.cfg
    stats = EpochStats(st.mcfg.codebook_size)
    loader = loaders.make_loader(run.val_set, cfg, False, None)
    st.model.eval()
    for batch in loader:
        res = st.eval_batch(batch)
        stats.add(res.parts, res.hits, res.codes)
    return stats


def _finish_epoch(
    run: Run, tr: EpochStats, val: EpochStats | None, lr: float, t_train: float, t_all: float
) -> None:
    run.epoch += 1
    run.batch = 0
    row: dict[str, Any] = {"epoch": run.epoch, "step": run.step, "lr": lr}
    row |= tr.summary("train")
    row |= val.summary("val") if val is not None else {}
    row |= {
        "train_bad_batches": tr.bad_batches,
        "micro_batch": run.stepper.micro_batch or run.cfg.batch_size,
        "windows_per_s": tr.n_windows / max(t_train, 1e-9),
        "epoch_time_s": t_all,
    }
    run.history.append(json_safe(row))
    score = row["val_loss"] if val is not None else row["train_loss"]
    improved = math.isfinite(score) and score < run.best
    run.best = score if improved else run.best
    _save(run, run.out / "last.pt")
    if improved:
        _save(run, run.out / "best.pt")
    lines = "".join(json.dumps(r, allow_nan=False) + "\n" for r in run.history)
    write_text_atomic(run.out / "metrics.jsonl", lines)
    plot_training(run.out / "training.png", run.history, f"motion tokenizer: {run.out}")
    logger.info(
        "epoch %d/%d: train loss %.4f, val loss %.4f, val acc %.3f (moving %.3f), codes used "
        "%.1f%%, %.0f windows/s%s",
        *(run.epoch, run.cfg.epochs, row["train_loss"], row.get("val_loss", math.nan)),
        *(row.get("val_accuracy", math.nan), row.get("val_moving_accuracy", math.nan)),
        *(row["train_usage_pct"], row["windows_per_s"], " (best)" if improved else ""),
    )


def _save(run: Run, path: Path) -> None:
    st = run.stepper
    mcfg = st.mcfg
    payload = {
        "laps_version": laps.__version__,
        "model": {k: v.detach().cpu() for k, v in st.model.state_dict().items()},
        "optimizer": st.opt.state_dict(),
        "scaler": st.scaler.state_dict() if st.scaler.is_enabled() else {},
        "step": run.step,
        "epoch": run.epoch,
        "batch_in_epoch": run.batch,
        "rng": torch.get_rng_state(),
        "best_val_loss": run.best,
        "tokenizer_config": mcfg.model_dump(mode="json"),
        "train_config": run.cfg.model_dump(mode="json"),
        "fsq_levels": list(mcfg.fsq_levels),
        "codebook_size": mcfg.codebook_size,
        "n_parameters": count_parameters(st.model),
        "history": run.history,
        **run.info,
    }
    save_checkpoint(path, payload)


def _seed_all(seed: int) -> None:
    random.seed(seed)
    np.random.seed(seed % 2**32)
    torch.manual_seed(seed)


@contextmanager
def _progress(enabled: bool) -> Iterator[Progress]:
    bar = Progress(
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("loss {task.fields[loss]:.4f}"),
        TimeElapsedColumn(),
        transient=True,
        disable=not enabled,
    )
    with bar:
        yield bar
