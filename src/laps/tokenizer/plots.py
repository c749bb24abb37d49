"""``training.png``: loss and codebook-usage curves of a tokenizer training run."""

from __future__ import annotations

import math
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import matplotlib

matplotlib.use("Agg")  # headless: no display on servers and in CI
import matplotlib.pyplot as plt  # noqa: E402

from laps.export.atomic import write_atomic  # noqa: E402


def _series(history: Sequence[dict[str, Any]], key: str) -> list[float]:
    out = []
    for row in history:
        v = row.get(key)
        out.append(float(v) if isinstance(v, int | float) else math.nan)
    return out


def plot_training(path: Path, history: Sequence[dict[str, Any]], title: str) -> None:
    """Write train/val loss and train/val codebook usage per epoch (atomically).

    Raises:
        ExportError: when the file cannot be written.
    """
    path = Path(path)
    epochs = [int(row["epoch"]) for row in history]
    fig, (ax_loss, ax_use) = plt.subplots(1, 2, figsize=(11, 3.6), dpi=100)
    for split, style in (("train", "-"), ("val", "--")):
        ax_loss.plot(epochs, _series(history, f"{split}_loss"), style, marker=".", label=split)
        ax_use.plot(epochs, _series(history, f"{split}_usage_pct"), style, marker=".", label=split)
    ax_loss.set_xlabel("epoch")
    ax_loss.set_ylabel("loss")
    ax_loss.set_title("loss", fontsize=9)
    ax_use.set_xlabel("epoch")
    ax_use.set_ylabel("codes used (% of codebook)")
    ax_use.set_ylim(0, 100)
    ax_use.set_title("codebook usage", fontsize=9)
    for ax in (ax_loss, ax_use):
        ax.grid(alpha=0.3)
        ax.legend(fontsize=8)
    fig.suptitle(title, fontsize=9)
    fig.tight_layout()
    try:
        write_atomic(path, lambda fh: fig.savefig(fh, format="png"))
    finally:
        plt.close(fig)
