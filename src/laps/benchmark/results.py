"""Scoring the benchmark's methods per preset and overall, and the results table."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from laps.benchmark.context import MethodResult
from laps.benchmark.suite import Suite
from laps.evaluate.evaluator import evaluate
from laps.evaluate.lengths import length_keys
from laps.evaluate.options import EvalOptions
from laps.evaluate.tracks import SegmentTrack, VideoPair, read_json, track_from_json

TOLERANCES = (0.5, 1.0, 2.0)
IOUS = (0.5,)
RANK_KEY = "f1_mean"  # the mean of F1 at the three tolerances ranks the rows
UPPER_REFERENCES = ("hand_speed",)  # rows that read the generator's truth: never "best"
SHAPE_KEYS = ("idle_false_per_min", "idle_false_per_min_micro", "segment_ratio",
              "segment_ratio_micro", *length_keys())  # fmt: skip


@dataclass(frozen=True)
class Row:
    """One method on one group of test videos."""

    key: str
    label: str
    group: str
    metrics: dict[str, float]


def _truth(suite: Suite, stems: set[str]) -> dict[str, SegmentTrack]:
    """Test ground truth with its labels (the idle metric needs them)."""
    return {
        v.stem: track_from_json(read_json(v.ground_truth), v.ground_truth)
        for v in suite.split("test")
        if v.stem in stems
    }


def _number(value: Any) -> float:
    return math.nan if value is None else float(value)


def score(result: MethodResult, truth: dict[str, SegmentTrack]) -> dict[str, float]:
    """One row's metrics on one group of test videos (NaN where undefined).

    Macro boundary F1 per tolerance and their mean, mAP, false cuts in idle, segment count
    ratio and length quantiles, segments/min and runtime per video.
    """
    pairs = [VideoPair(stem, gt, result.predictions.get(stem)) for stem, gt in truth.items()]
    summary = evaluate(pairs, EvalOptions(tolerances=TOLERANCES, ious=IOUS)).summary
    f1 = [float(summary[f"f1@{t:g}s"]) for t in TOLERANCES]
    times = [result.runtime_s.get(s, math.nan) for s in truth]
    return {
        **{f"f1@{t:g}s": v for t, v in zip(TOLERANCES, f1, strict=True)},
        RANK_KEY: float(np.mean(f1)),
        **{f"map@{i:g}": float(summary[f"map@{i:g}"]) for i in IOUS},
        **{k: _number(summary[k]) for k in SHAPE_KEYS},
        "segments_per_min": float(summary["pred_segments_per_min"]),
        "gt_segments_per_min": float(summary["gt_segments_per_min"]),
        "runtime_s_per_video": float(np.nanmean(times)) if np.isfinite(times).any() else math.nan,
    }


def score_all(suite: Suite, results: Sequence[MethodResult]) -> list[Row]:
    """Rows for every method: each preset of the test split (when named), then ``all``."""
    test = suite.split("test")
    presets = sorted({v.preset for v in test} - {""})
    groups = {p: {v.stem for v in test if v.preset == p} for p in presets}
    groups["all"] = {v.stem for v in test}
    rows: list[Row] = []
    for group, stems in groups.items():
        truth = _truth(suite, stems)
        rows.extend(Row(r.key, r.label, group, score(r, truth)) for r in results)
    return rows


def best_key(rows: Sequence[Row]) -> str:
    """The method with the highest mean F1 over all test videos.

    Upper references are left out, unless nothing else ran.
    """
    overall = [r for r in rows if r.group == "all"]
    methods = [r for r in overall if r.key not in UPPER_REFERENCES] or overall
    return max(methods, key=lambda r: r.metrics[RANK_KEY]).key


def _fmt(value: float, digits: int = 3) -> str:
    return "n/a" if not math.isfinite(value) else f"{value:.{digits}f}"


HEAD = (
    "| method | F1@0.5s | F1@1s | F1@2s | F1 mean | mAP@0.5 | false cuts/min in idle | "
    "pred/true segments | median length pred / true, s | segments/min | runtime s/video |"
)


def table(rows: Sequence[Row], group: str) -> list[str]:
    """A markdown table of one group, best mean F1 first."""
    lines = [HEAD, "|---|---|---|---|---|---|---|---|---|---|---|"]
    chosen = sorted((r for r in rows if r.group == group), key=lambda r: -r.metrics[RANK_KEY])
    for r in chosen:
        m = r.metrics
        lines.append(
            f"| {r.label} | {_fmt(m['f1@0.5s'])} | {_fmt(m['f1@1s'])} | {_fmt(m['f1@2s'])} | "
            f"**{_fmt(m[RANK_KEY])}** | {_fmt(m['map@0.5'])} | "
            f"{_fmt(m['idle_false_per_min'], 2)} | {_fmt(m['segment_ratio'], 2)} | "
            f"{_fmt(m['pred_len_median'], 2)} / {_fmt(m['gt_len_median'], 2)} | "
            f"{_fmt(m['segments_per_min'], 1)} | {_fmt(m['runtime_s_per_video'], 1)} |"
        )
    return lines


def rows_json(rows: Sequence[Row]) -> list[dict[str, Any]]:
    """JSON-ready rows."""
    return [{"method": r.key, "label": r.label, "group": r.group, **r.metrics} for r in rows]
