"""Offline use of a change run: its scores re-cut at any threshold, and the supervised sweep.

A run made with ``segment.method=change`` keeps the change score of every sample
(``change_scores.json``). Peak picking is cheap, so the threshold can be fitted after the
fact: every candidate is applied to the training runs' scores and scored against their
ground truth (one-to-one boundary F1 at a tolerance); the best mean F1 wins (ties: higher
mean precision, then the smaller threshold). Train split only.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from numpy.typing import NDArray

from laps.calibrate.run_data import load_run
from laps.calibrate.sweep import Truth
from laps.errors import ConfigError
from laps.evaluate.boundaries import boundaries_from_segments, boundary_score
from laps.export.run_folder import CHANGE_SCORES, read_change_scores
from laps.segment.change import ChangeParams, is_peak, pick_boundaries


@dataclass(frozen=True)
class ChangeRun:
    """The change scores of one run and the time of every sample."""

    name: str
    scores: NDArray[np.float64]
    sample_time: NDArray[np.float64]
    end_s: float
    half_width: int
    min_distance: int


def load_change_run(folder: Path) -> ChangeRun:
    """Read a complete change run.

    Raises:
        ConfigError: not a run, or a run made without ``segment.method=change``.
    """
    run = load_run(Path(folder))
    try:
        doc = read_change_scores(Path(folder))
        scores = np.asarray(doc["scores"], dtype=np.float64)
        half, dist = int(doc["half_width"]), int(doc["min_distance"])
    except (ValueError, KeyError, TypeError) as err:
        raise ConfigError(
            f"{folder}: expected {CHANGE_SCORES} of a change run, got {err}; rerun it with "
            "--set segment.method=change"
        ) from err
    c = run.curve
    return ChangeRun(run.name, scores, c.sample_time, c.end_s, half, dist)


def change_segments(run: ChangeRun, params: ChangeParams) -> list[tuple[float, float]]:
    """The tiling (seconds) the run's scores give at ``params``."""
    bounds = [b for b in pick_boundaries(run.scores, params) if 0 < b < run.sample_time.size]
    edges = [float(run.sample_time[0])] + [float(run.sample_time[b]) for b in bounds]
    edges.append(run.end_s)
    return [(a, b) for a, b in zip(edges[:-1], edges[1:], strict=True) if b > a]


def candidate_thresholds(runs: Sequence[ChangeRun], n: int = 40) -> NDArray[np.float64]:
    """0 and quantiles of the heights of every local maximum of every run."""
    heights = [
        float(r.scores[s])
        for r in runs
        for s in range(1, r.scores.size - 1)
        if is_peak(r.scores, s)
    ]
    if not heights:
        raise ConfigError("change calibration: expected peaks in the change scores, got none")
    q = np.quantile(np.asarray(heights), np.linspace(0.0, 0.95, n))
    return np.unique(np.concatenate([[0.0], q]))


def _score(run: ChangeRun, truth: Truth, params: ChangeParams, tol: float) -> tuple[float, float]:
    duration = truth.duration_s if truth.duration_s is not None else run.end_s
    true_b = boundaries_from_segments(truth.segments, duration)
    pred_b = boundaries_from_segments(change_segments(run, params), duration)
    s = boundary_score(true_b, pred_b, tol)
    return s.f1, s.precision


def sweep_change_threshold(
    runs: Sequence[ChangeRun], truths: Mapping[str, Truth], tolerance_s: float = 1.0
) -> tuple[float, float]:
    """(threshold, mean train F1) of the best candidate on the training runs.

    Raises:
        ConfigError: no run, a run without ground truth, or no peak at all.
    """
    if not runs:
        raise ConfigError("change calibration: expected at least one run, got none")
    missing = [r.name for r in runs if r.name not in truths]
    if missing:
        raise ConfigError(f"change calibration: no ground truth for {', '.join(missing)}")
    best: tuple[float, float, float] | None = None  # (f1, precision, -threshold)
    for thr in candidate_thresholds(runs):
        scores = [
            _score(r, truths[r.name], ChangeParams(float(thr), r.half_width, r.min_distance),
                   tolerance_s)
            for r in runs
        ]  # fmt: skip
        key = (float(np.mean([f for f, _ in scores])), float(np.mean([p for _, p in scores])))
        if best is None or key > best[:2]:
            best = (*key, -float(thr))
    assert best is not None
    return -best[2], best[0]
