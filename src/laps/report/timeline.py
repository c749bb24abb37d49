"""The timeline PNG of one video: energy, change score, thresholds, segments, ground truth."""

from __future__ import annotations

import math
from collections.abc import Sequence
from pathlib import Path

import matplotlib
import numpy as np

from laps.report.runs import RunData

matplotlib.use("Agg")  # headless: no display on servers and in CI
import matplotlib.pyplot as plt  # noqa: E402
from matplotlib.axes import Axes  # noqa: E402

_SPAN_COLORS = ("tab:green", "tab:purple")


def _spans(ax: Axes, segments: Sequence[tuple[float, float]]) -> None:
    """Segments as shaded spans; neighbours alternate colours so a tiling stays readable."""
    for i, (a, b) in enumerate(segments):
        label = "segments" if i == 0 else None
        ax.axvspan(a, b, color=_SPAN_COLORS[i % 2], alpha=0.15, lw=0, label=label)


def _truth(ax: Axes, boundaries: Sequence[float]) -> None:
    for i, t in enumerate(boundaries):
        label = "ground-truth boundary" if i == 0 else None
        ax.axvline(t, color="k", lw=1.0, ls="--", label=label)


def _energy_axis(ax: Axes, run: RunData) -> None:
    t = run.window_end_s
    ax.plot(t, run.energy_raw, lw=0.7, color="0.55", label="energy (raw)")
    ax.plot(t, run.energy, lw=1.2, color="tab:blue", label="energy (smoothed)")
    if run.method == "hysteresis" and math.isfinite(run.threshold):
        thr_off = run.threshold * run.hysteresis_ratio
        ax.axhline(run.threshold, color="tab:red", lw=0.8, ls="--", label="thr_on")
        ax.axhline(thr_off, color="tab:orange", lw=0.8, ls=":", label="thr_off")
    ax.set_ylabel("energy")


def _score_axis(ax: Axes, run: RunData, scores: np.ndarray) -> None:
    fps = run.target_fps if run.target_fps > 0 else 10.0
    t = np.arange(len(scores), dtype=np.float64) / fps
    ax.plot(t, scores, lw=1.0, color="tab:brown", label="change score")
    if math.isfinite(run.threshold):
        ax.axhline(run.threshold, color="tab:red", lw=0.8, ls="--", label="threshold")
    ax.set_ylabel("change score")


def plot_timeline(path: Path, run: RunData, truth: Sequence[float] = ()) -> None:
    """Write the timeline PNG of ``run`` (no data-derived text: names stay out of the image).

    Args:
        path: PNG to write.
        run: the run's data.
        truth: ground-truth boundary times, s.
    """
    scores = run.scores if run.scores is not None and len(run.scores) else None
    rows = 2 if scores is not None else 1
    fig, axes = plt.subplots(rows, 1, figsize=(12, 1.2 + 1.9 * rows), dpi=90, sharex=True)
    axes = np.atleast_1d(axes)
    segments = [
        (s, e)
        for s, e in ((r.start_s, r.end_s) for r in run.segments)
        if math.isfinite(s) and math.isfinite(e)
    ]
    _energy_axis(axes[0], run)
    if scores is not None:
        _score_axis(axes[1], run, scores)
    for ax in axes:
        _spans(ax, segments)
        _truth(ax, truth)
        ax.legend(loc="upper right", fontsize=7, ncol=5)
    axes[-1].set_xlabel("time (s)")
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)
