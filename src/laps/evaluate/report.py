"""An :class:`EvalReport` as console tables, a JSON file and a CSV file."""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table

from laps.evaluate.evaluator import EvalReport
from laps.evaluate.options import iou_key, overlap_key, tol_key
from laps.export.atomic import write_json_atomic, write_text_atomic

SUMMARY_ROW = "ALL"  # the CSV's summary row, under the ``video`` column
_BOUNDARY = ("precision", "recall", "f1", "precision_micro", "recall_micro", "f1_micro")


def _fmt(value: Any) -> str:
    if value is None:
        return "n/a"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return f"{value:.3f}" if abs(value) < 10 else f"{value:.1f}"
    return str(value)


def boundary_table(report: EvalReport) -> Table:
    """One row per tolerance: macro (mean over videos) and micro (summed counts) P/R/F1."""
    table = Table(title=f"Boundaries ({report.options.matching} matching)", title_justify="left")
    for col in ("tolerance", "P", "R", "F1", "P micro", "R micro", "F1 micro"):
        table.add_column(col, justify="right")
    for tol in report.options.tolerances:
        key = tol_key(tol)
        table.add_row(key, *(_fmt(report.summary[f"{n}@{key}"]) for n in _BOUNDARY))
    return table


def summary_table(report: EvalReport) -> Table:
    """Everything in the summary but the boundary scores: counts, mAP, label metrics."""
    boundary = {f"{n}@{tol_key(t)}" for t in report.options.tolerances for n in _BOUNDARY}
    table = Table(title="Summary", title_justify="left")
    table.add_column("metric")
    table.add_column("value", justify="right")
    for key, value in report.summary.items():
        if key not in boundary:
            table.add_row(key, _fmt(value))
    return table


def video_columns(report: EvalReport) -> list[str]:
    """The per-video columns shown on the console (the files carry every column)."""
    opts = report.options
    cols = ["video", "gt_segments", "pred_segments"]
    cols += [f"f1@{tol_key(t)}" for t in opts.tolerances]
    cols += [f"ap@{iou_key(i)}" for i in opts.ious]
    cols += ["idle_false_per_min", "segment_ratio", "pred_len_median", "gt_len_median"]
    if opts.labels:
        cols += ["mof", "edit"] + [f"f1@{overlap_key(k)}" for k in opts.f1_overlaps]
    return cols


def video_table(report: EvalReport) -> Table:
    """One row per video; a video without prediction is marked."""
    cols = video_columns(report)
    table = Table(title="Per video", title_justify="left")
    for col in cols:
        table.add_column(col, justify="left" if col == "video" else "right")
    for row in report.per_video:
        cells = [_fmt(row.get(c, "")) for c in cols]
        if not row["has_prediction"]:
            cells[cols.index("pred_segments")] = "missing"
        table.add_row(*cells)
    return table


def print_report(report: EvalReport, console: Console | None = None) -> None:
    """Boundary and summary tables, then the per-video table."""
    console = console or Console()
    console.print(boundary_table(report))
    console.print(summary_table(report))
    console.print(video_table(report))


def write_json_report(path: Path, report: EvalReport, inputs: Mapping[str, Any]) -> None:
    """``{inputs, options, summary, per_video}`` written atomically."""
    write_json_atomic(path, {"inputs": dict(inputs)} | report.to_dict())


def csv_text(report: EvalReport) -> str:
    """Per-video rows, then one ``ALL`` row holding the summary (its own columns)."""
    columns: list[str] = []
    for row in (*report.per_video, report.summary):
        columns += [k for k in row if k not in columns]
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=["video", *[c for c in columns if c != "video"]])
    writer.writeheader()
    for row in report.per_video:
        writer.writerow(dict(row))
    writer.writerow({"video": SUMMARY_ROW} | dict(report.summary))
    return buf.getvalue()


def write_csv_report(path: Path, report: EvalReport) -> None:
    """The CSV of :func:`csv_text`, written atomically."""
    write_text_atomic(path, csv_text(report))
