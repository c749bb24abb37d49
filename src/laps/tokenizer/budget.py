"""Time-bounded tokenizer training: whole epochs until a wall-clock budget is spent."""

from __future__ import annotations

import logging
import time
from pathlib import Path

from laps.tokenizer.config import TrainConfig
from laps.tokenizer.train import train

logger = logging.getLogger(__name__)


def train_for_seconds(
    dataset: Path,
    run_dir: Path,
    budget_s: float,
    *,
    preset: str = "small",
    device: str = "cpu",
    val_fraction: float = 0.0,
) -> Path:
    """Train ``preset`` on ``dataset`` one epoch at a time until ``budget_s`` is spent.

    Each epoch resumes ``last.pt`` of the previous one, so the run takes about ``budget_s``
    whatever the machine (at least one epoch).

    Args:
        dataset: a window dataset folder (``laps tracks``).
        run_dir: the training run folder (must not hold another run).
        budget_s: wall-clock budget, s.
        preset: model size.
        device: auto | cpu | cuda.
        val_fraction: videos held out for validation (0 with one training video).

    Returns:
        The best checkpoint (``last.pt`` when none).
    """
    t0, epochs, best = time.monotonic(), 0, run_dir / "best.pt"
    # Without a validation split every resumed epoch would repeat the same warning: hide it,
    # and restore the logger afterwards (it is process-wide).
    loaders_log = logging.getLogger("laps.tokenizer.loaders")
    level = loaders_log.level
    if val_fraction == 0.0:
        loaders_log.setLevel(logging.ERROR)
    try:
        while epochs == 0 or time.monotonic() - t0 < budget_s:
            epochs += 1
            tcfg = TrainConfig(
                preset=preset, epochs=epochs, device=device, val_fraction=val_fraction
            )
            best = train(tcfg, dataset, run_dir, resume=epochs > 1, progress=False)
    finally:
        loaders_log.setLevel(level)
    logger.info(
        "trained the %s tokenizer for %d epochs in %.0f s", preset, epochs, time.monotonic() - t0
    )
    return best
