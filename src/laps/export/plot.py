"""``energy.png``: raw and smoothed energy, thresholds and segments over time."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import matplotlib
import numpy as np
from numpy.typing import ArrayLike

from laps.export.atomic import write_atomic

matplotlib.use("Agg")  # headless: no display on servers and in CI
import matplotlib.pyplot as plt  # noqa: E402


def plot_energy(
    path: Path,
    series: tuple[ArrayLike, ArrayLike, ArrayLike],
    segments: Sequence[tuple[float, float]],
    thresholds: tuple[float, float] | None,
    title: str,
    truth: Sequence[tuple[float, float]] = (),
) -> None:
    """Write the energy timeline of one video.

    Args:
        path: PNG to write.
        series: per-window end time (s), raw energy and segmenter energy (NaN = none).
        segments: (start_s, end_s) of predicted segments.
        thresholds: (thr_on, thr_off) of a segmenter that thresholds this energy (the
            hysteresis method); None draws no threshold (the other methods cut elsewhere).
        title: figure title.
        truth: optional ground-truth (start_s, end_s) spans.

    Raises:
        ExportError: the PNG cannot be written (nothing is left half-written).
    """
    t, raw, used = (np.asarray(s, dtype=np.float64) for s in series)
    fig, ax = plt.subplots(figsize=(12, 3.2), dpi=100)
    ax.plot(t, raw, lw=0.7, color="0.6", label="energy (raw)")
    ax.plot(t, used, lw=1.2, color="tab:blue", label="energy (segmenter input)")
    if thresholds is not None:
        on, off = thresholds
        ax.axhline(on, color="tab:red", lw=0.8, ls="--", label=f"thr_on {on:.4g}")
        ax.axhline(off, color="tab:orange", lw=0.8, ls=":", label=f"thr_off {off:.4g}")
    for i, (a, b) in enumerate(segments):  # alternate shades: tiling segments stay apart
        shade = 0.18 if i % 2 == 0 else 0.08
        ax.axvspan(a, b, color="tab:green", alpha=shade, label="segments" if i == 0 else None)
    ymax = ax.get_ylim()[1]
    for i, (a, b) in enumerate(truth):
        ax.plot(
            [a, b], [ymax * 0.97] * 2, color="k", lw=2, label="ground truth" if i == 0 else None
        )
    ax.set_xlabel("time (s)")
    ax.set_ylabel("energy")
    ax.set_title(title, fontsize=9)
    ax.legend(loc="upper right", fontsize=7, ncol=3)
    fig.tight_layout()
    try:
        write_atomic(Path(path), lambda fh: fig.savefig(fh, format="png"))
    finally:
        plt.close(fig)
