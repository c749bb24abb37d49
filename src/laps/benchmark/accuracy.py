"""The accuracy benchmark: every method on the suite's test split, one results document.

Thresholds, periods and K come from the train split only (its runs and its ground truth);
the test split's ground truth is read once, by the evaluator.
"""

from __future__ import annotations

import json
import logging
import os
import platform
import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np

from laps.benchmark.context import Context, MethodResult
from laps.benchmark.document import update_results
from laps.benchmark.methods import METHODS
from laps.benchmark.results import (
    RANK_KEY,
    Row,
    best_key,
    rows_json,
    score_all,
    table,
)
from laps.benchmark.suite import Suite, read_suite
from laps.errors import ConfigError
from laps.evaluate.boundaries import read_segments_json
from laps.evaluate.options import EvalOptions
from laps.tokenizer.loading import file_sha256

logger = logging.getLogger(__name__)
IDLE_TOLERANCE_S = EvalOptions().idle_tolerance_s


@dataclass(frozen=True)
class AccuracyReport:
    """Everything the results document shows."""

    suite: Suite
    context: Context
    results: list[MethodResult]
    rows: list[Row]
    wall_s: float

    @property
    def best(self) -> str:
        """Key of the best method overall."""
        return best_key(self.rows)


def train_statistics(suite: Suite) -> tuple[float, float]:
    """Segments per minute and median segment length (s) of the train split's ground truth."""
    lengths, n, seconds = [], 0, 0.0
    for v in suite.split("train"):
        segs, duration = read_segments_json(v.ground_truth)
        lengths += [b - a for a, b in segs]
        n += len(segs)
        seconds += duration if duration is not None else max(b for _, b in segs)
    return 60.0 * n / seconds, float(np.median(lengths))


def run_accuracy(
    suite_dir: Path,
    work: Path,
    *,
    checkpoint: Path | None,
    device: str = "cpu",
    jobs: int = 1,
    methods: Sequence[str] | None = None,
    tolerance_s: float = 1.0,
) -> AccuracyReport:
    """Run the chosen methods (default: all) on the suite.

    Raises:
        ConfigError: unknown method, a learned method without a checkpoint, a bad suite.
    """
    keys = list(methods or METHODS)
    unknown = [k for k in keys if k not in METHODS]
    if unknown:
        raise ConfigError(f"benchmark: unknown methods {unknown}; choose from {list(METHODS)}")
    learned = {k for k in keys if METHODS[k].tokenizer}
    if learned and checkpoint is None:
        raise ConfigError(
            f"benchmark: methods {sorted(learned)} need a tokenizer checkpoint; pass "
            "--checkpoint (e.g. one `laps train` made on the suite's train split)"
        )
    suite = read_suite(suite_dir)
    rate, median = train_statistics(suite)
    ctx = Context(suite, Path(work), jobs, checkpoint, device, tolerance_s, rate, median)
    t0 = time.perf_counter()
    results = []
    for k in keys:
        logger.info("benchmark: %s", k)
        results.append(METHODS[k].run(ctx))
    rows = score_all(suite, results)
    return AccuracyReport(suite, ctx, results, rows, time.perf_counter() - t0)


def _facts(report: AccuracyReport, command: str, date: str) -> list[str]:
    s, ctx = report.suite, report.context
    ckpt = ctx.checkpoint
    sha = file_sha256(ckpt)[:16] if ckpt is not None else "none"
    if ckpt is not None and ckpt.resolve().is_relative_to(Path.cwd()):
        ckpt = ckpt.resolve().relative_to(Path.cwd())
    return [
        f"- Command: `{command}`",
        f"- Date: {date}; machine: {platform.machine()}, {os.cpu_count()} CPUs, Python "
        f"{platform.python_version()}; benchmark wall time {report.wall_s / 60:.1f} min.",
        f"- Suite version {s.suite_version} (generator {s.generator_version}, overrides "
        f"{json.dumps(s.overrides)}): {len(s.split('test'))} test videos scored, "
        f"{len(s.split('train'))} train videos used for every calibration.",
        f"- Tokenizer checkpoint: `{ckpt}` (sha256 {sha}...).",
        f"- Train split: {ctx.train_segments_per_minute:.1f} segments/min, median segment "
        f"{ctx.train_median_segment_s:.2f} s (periodic period, ABD / TW-FINCH K).",
        "- Boundary F1: one-to-one matching, mean over videos; rows ranked by **F1 mean** "
        "(mean of F1 at 0.5, 1 and 2 s). mAP@0.5: class-agnostic, pooled over videos.",
        "- False cuts/min in idle: predicted boundaries inside a true idle segment, more than "
        f"{IDLE_TOLERANCE_S:g} s from its edges, per minute of true idle (mean over videos with "
        "idle). Pred/true segments: predicted / true segment count (mean over videos). Median "
        "length: median predicted vs true segment length (mean over videos). "
        "docs/EVALUATION.md defines them.",
        "",
    ]


def _calibrations(report: AccuracyReport) -> list[str]:
    lines = ["### How each row was calibrated (train split only)", ""]
    for r in report.results:
        lines.append(f"- {r.label}: `{json.dumps(r.calibration, default=str)}`")
    return lines


def section(report: AccuracyReport, command: str, date: str) -> str:
    """The suite's section of RESULTS.md: facts, tables (all, then per preset), calibrations."""
    lines = [f"## Suite v{report.suite.suite_version}", ""] + _facts(report, command, date)
    best = next(r.label for r in report.results if r.key == report.best)
    lines += [f"Best row overall: **{best}**.", "", "### All test videos", ""]
    lines += table(report.rows, "all") + [""]
    for group in sorted({r.group for r in report.rows} - {"all"}):
        lines += [f"### Preset `{group}`", ""] + table(report.rows, group) + [""]
    return "\n".join(lines + _calibrations(report)) + "\n"


def write_results(report: AccuracyReport, md: Path, command: str) -> Path:
    """Write this suite's section of ``md`` and its entry of ``<md stem>.json`` (atomically).

    Other suites' sections and entries are kept as they are.
    """
    date = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    ctx = report.context
    doc: dict[str, Any] = {
        "suite_version": report.suite.suite_version,
        "command": command,
        "date": date,
        "rank_key": RANK_KEY,
        "best": report.best,
        "train": {"segments_per_min": ctx.train_segments_per_minute,
                  "median_segment_s": ctx.train_median_segment_s},
        "rows": rows_json(report.rows),
        "calibration": {r.key: r.calibration for r in report.results},
    }  # fmt: skip
    return update_results(md, report.suite.suite_version, section(report, command, date), doc)
