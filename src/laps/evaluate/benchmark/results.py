"""Scoring the benchmark's methods per preset and overall, and the results table."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from laps.evaluate.benchmark.methods import MethodResult
from laps.evaluate.benchmark.suite import Suite
from laps.evaluate.evaluator import evaluate
from laps.evaluate.options import EvalOptions
from laps.evaluate.tracks import SegmentTrack, VideoPair

TOLERANCES = (0.5, 1.0, 2.0)
IOUS = (0.5,)
RANK_KEY = "f1_mean"  # the mean of F1 at the three tolerances ranks the rows


@dataclass(frozen=True)
class Row:
    """One method on one group of test videos."""

    key: str
    label: str
    group: str
    metrics: dict[str, float]


def _truth(suite: Suite, stems: set[str]) -> dict[str, SegmentTrack]:
    from laps.evaluate.boundaries import read_segments_json  # noqa: PLC0415 - light

    out = {}
    for v in suite.split("test"):
        if v.stem in stems:
            segs, duration = read_segments_json(v.ground_truth)
            out[v.stem] = SegmentTrack(tuple(segs), duration_s=duration)
    return out


def score(result: MethodResult, truth: dict[str, SegmentTrack]) -> dict[str, float]:
    """Macro boundary F1 per tolerance, their mean, mAP, segments/min, runtime per video."""
    pairs = [VideoPair(stem, gt, result.predictions.get(stem)) for stem, gt in truth.items()]
    summary = evaluate(pairs, EvalOptions(tolerances=TOLERANCES, ious=IOUS)).summary
    f1 = [float(summary[f"f1@{t:g}s"]) for t in TOLERANCES]
    times = [result.runtime_s.get(s, math.nan) for s in truth]
    return {
        **{f"f1@{t:g}s": v for t, v in zip(TOLERANCES, f1, strict=True)},
        RANK_KEY: float(np.mean(f1)),
        **{f"map@{i:g}": float(summary[f"map@{i:g}"]) for i in IOUS},
        "segments_per_min": float(summary["pred_segments_per_min"]),
        "gt_segments_per_min": float(summary["gt_segments_per_min"]),
        "runtime_s_per_video": float(np.nanmean(times)) if np.isfinite(times).any() else math.nan,
    }


def score_all(suite: Suite, results: Sequence[MethodResult]) -> list[Row]:
    """Rows for every method: each preset of the test split, then ``all``."""
    test = suite.split("test")
    groups = {p: {v.stem for v in test if v.preset == p} for p in sorted({v.preset for v in test})}
    groups["all"] = {v.stem for v in test}
    rows: list[Row] = []
    for group, stems in groups.items():
        truth = _truth(suite, stems)
        rows.extend(Row(r.key, r.label, group, score(r, truth)) for r in results)
    return rows


def best_key(rows: Sequence[Row]) -> str:
    """The method with the highest mean F1 over all test videos."""
    overall = [r for r in rows if r.group == "all"]
    return max(overall, key=lambda r: r.metrics[RANK_KEY]).key


def _fmt(value: float, digits: int = 3) -> str:
    return "n/a" if not math.isfinite(value) else f"{value:.{digits}f}"


def table(rows: Sequence[Row], group: str) -> list[str]:
    """A markdown table of one group, best mean F1 first."""
    head = (
        "| method | F1@0.5s | F1@1s | F1@2s | F1 mean | mAP@0.5 | segments/min | runtime s/video |"
    )
    lines = [head, "|---|---|---|---|---|---|---|---|"]
    chosen = sorted((r for r in rows if r.group == group), key=lambda r: -r.metrics[RANK_KEY])
    for r in chosen:
        m = r.metrics
        lines.append(
            f"| {r.label} | {_fmt(m['f1@0.5s'])} | {_fmt(m['f1@1s'])} | {_fmt(m['f1@2s'])} | "
            f"**{_fmt(m[RANK_KEY])}** | {_fmt(m['map@0.5'])} | {_fmt(m['segments_per_min'], 1)} | "
            f"{_fmt(m['runtime_s_per_video'], 1)} |"
        )
    return lines


def rows_json(rows: Sequence[Row]) -> list[dict[str, Any]]:
    """JSON-ready rows."""
    return [{"method": r.key, "label": r.label, "group": r.group, **r.metrics} for r in rows]
