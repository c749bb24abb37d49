"""The evaluation table of the report: boundary F1 against ground truth (laps.evaluate)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from laps.evaluate import EvalOptions, evaluate, load_pairs

TOLERANCES_S = (0.5, 1.0, 2.0)


@dataclass(frozen=True)
class EvalTable:
    """Rows of the evaluation table and the ground truth of each video.

    Attributes:
        columns: header of the table.
        rows: one row of cells per ground-truth video, then ``all`` (F1: mean over videos;
            mAP: pooled).
        boundaries: ground-truth boundary times per pairing key, s.
    """

    columns: tuple[str, ...]
    rows: list[list[str]]
    boundaries: dict[str, list[float]]


def _fmt(value: Any) -> str:
    return f"{value:.3f}" if isinstance(value, float) else str(value)


def _boundaries(segments: tuple[tuple[float, float], ...], duration: float) -> list[float]:
    """Segment starts and ends, deduplicated, without the video's own start and end."""
    times = {round(t, 6) for seg in segments for t in seg}
    return sorted(t for t in times if 0.0 < t < duration - 1e-6)


def evaluation_table(run_root: Path, gt: Path) -> EvalTable:
    """Score the runs under ``run_root`` against ``gt`` at 0.5, 1 and 2 s.

    Raises:
        LapsError: for a missing or malformed ground truth, or no pair at all.
    """
    pairs = load_pairs(run_root, gt)
    report = evaluate(pairs, EvalOptions(tolerances=TOLERANCES_S, ious=(0.5,)))
    keys = [f"f1@{t:g}s" for t in TOLERANCES_S]
    columns = ("video", "GT segments", "predicted", *keys, "mAP@0.5")
    rows = [
        [
            str(r["video"]),
            _fmt(r["gt_segments"]),
            _fmt(r["pred_segments"]) if r["has_prediction"] else "missing",
            *(_fmt(r[k]) for k in keys),
            _fmt(r["ap@0.5"]),
        ]
        for r in report.per_video
    ]
    s = report.summary
    total = ["all", _fmt(s["gt_segments"]), _fmt(s["pred_segments"])]
    rows.append([*total, *(_fmt(s[k]) for k in keys), _fmt(s["map@0.5"])])
    truth = {p.name: _boundaries(p.gt.segments, p.duration_s) for p in pairs}
    return EvalTable(columns, rows, truth)
