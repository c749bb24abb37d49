"""Offline use of a content run: its stored steps re-cut with other parameters, and the fit.

A run made with ``segment.method=content`` keeps what every step measured
(``content_steps.json``: activity and hand velocity). Deciding idle / active and the cuts
from them is cheap, so the decision parameters can be fitted after the fact on a training
split: coordinate ascent over a small grid per parameter, every candidate applied to every
training run and scored against its ground truth by the mean of boundary F1 at 0.5, 1 and
2 s (one-to-one matching), the benchmark's ranking figure. Train split only.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

from laps.calibrate.run_data import load_run
from laps.calibrate.sweep import Truth
from laps.errors import ConfigError
from laps.evaluate.boundaries import boundaries_from_segments, boundary_score
from laps.pipeline.content import STEPS_FILE
from laps.segment.content import ACTIVE, IDLE, ContentParams
from laps.segment.content_stream import recut_steps

TOLERANCES_S = (0.5, 1.0, 2.0)
# Candidate values of the decision parameters (the meter's are fixed by the run).
GRID: dict[str, tuple[Any, ...]] = {
    "on": (0.004, 0.006, 0.008, 0.012, 0.016, 0.024, 0.032),
    "min_idle": (4, 6, 8, 12, 16),
    "threshold": (1.5, 2.0, 3.0, 4.0, 6.0, 8.0, 12.0),
    "half_width": (3, 4, 5, 7, 9, 12),
    "pattern": (1, 3, 5, 7, 9, 11, 15),
    "min_active": (1, 2, 3, 5),
    "smooth": (1, 3, 5, 7),
}
OFF_RATIO = 2 / 3  # off follows on


@dataclass(frozen=True)
class ContentRun:
    """The stored steps of one content run and the time of every sample."""

    name: str
    activity: NDArray[np.float64]
    hand: NDArray[np.float64]
    sample_time: NDArray[np.float64]
    end_s: float
    params: ContentParams


def load_content_run(folder: Path) -> ContentRun:
    """Read a complete content run.

    Raises:
        ConfigError: not a run, or a run made without ``segment.method=content``.
    """
    run = load_run(Path(folder))
    path = Path(folder) / STEPS_FILE
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
        activity = np.asarray(doc["activity"], dtype=np.float64)
        hand = np.asarray(doc["hand"], dtype=np.float64).reshape(-1, 2)
        params = ContentParams(**doc["params"])
    except (OSError, ValueError, KeyError, TypeError) as err:
        raise ConfigError(
            f"{folder}: expected {STEPS_FILE} of a content run, got {err}; rerun it with "
            "--set segment.method=content"
        ) from err
    c = run.curve
    return ContentRun(run.name, activity, hand, c.sample_time, c.end_s, params)


def content_tiles(run: ContentRun, params: ContentParams) -> list[tuple[float, float, str]]:
    """The labelled tiling (seconds) the run's steps give at ``params``."""
    n = run.sample_time.size
    tiles = recut_steps(run.activity, run.hand, params, n)
    times = np.append(run.sample_time, run.end_s)
    out = []
    for a, b, active in tiles:
        start, end = float(times[min(a, n)]), float(times[min(b, n)])
        if end > start:
            out.append((start, end, ACTIVE if active else IDLE))
    return out


def f1_mean(run: ContentRun, truth: Truth, params: ContentParams) -> float:
    """Mean boundary F1 over :data:`TOLERANCES_S` of one run against its truth."""
    duration = truth.duration_s if truth.duration_s is not None else run.end_s
    true_b = boundaries_from_segments(truth.segments, duration)
    pred = [(a, b) for a, b, _ in content_tiles(run, params)]
    pred_b = boundaries_from_segments(pred, duration)
    return float(np.mean([boundary_score(true_b, pred_b, t).f1 for t in TOLERANCES_S]))


def _with(params: ContentParams, name: str, value: Any) -> ContentParams | None:
    change: dict[str, Any] = {name: value}
    if name == "on":
        change["off"] = value * OFF_RATIO
    try:
        return replace(params, **change)
    except ConfigError:
        return None  # an inconsistent combination: not a candidate


def fit_content(
    runs: Sequence[ContentRun],
    truths: Mapping[str, Truth],
    start: ContentParams | None = None,
    rounds: int = 2,
) -> tuple[ContentParams, float]:
    """(parameters, mean train F1 mean) after coordinate ascent over :data:`GRID`.

    Raises:
        ConfigError: no run, or a run without ground truth.
    """
    if not runs:
        raise ConfigError("content calibration: expected at least one run, got none")
    missing = [r.name for r in runs if r.name not in truths]
    if missing:
        raise ConfigError(f"content calibration: no ground truth for {', '.join(missing)}")
    best = start or runs[0].params
    best_score = _mean(runs, truths, best)
    for _ in range(rounds):
        for name, values in GRID.items():
            for value in values:
                cand = _with(best, name, value)
                if cand is None or cand == best:
                    continue
                score = _mean(runs, truths, cand)
                if score > best_score + 1e-9:
                    best, best_score = cand, score
    return best, best_score


def _mean(runs: Sequence[ContentRun], truths: Mapping[str, Truth], p: ContentParams) -> float:
    return float(np.mean([f1_mean(r, truths[r.name], p) for r in runs]))
