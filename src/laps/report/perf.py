"""The performance table of the report, from each run's ``perf_summary.json``."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

from laps.report.runs import RunData

# (header, key path in perf_summary.json, format)
_COLUMNS: tuple[tuple[str, tuple[str, ...], str], ...] = (
    ("windows", ("windows_done",), "{:.0f}"),
    ("segments", ("segments",), "{:.0f}"),
    ("wall time (s)", ("wall_time_s",), "{:.2f}"),
    ("windows/s", ("realized_windows_per_sec",), "{:.1f}"),
    ("est. fps", ("throughput_fps_estimate",), "{:.1f}"),
    ("ok ratio", ("ok_ratio",), "{:.3f}"),
    ("window p50 (ms)", ("t_total_s", "p50"), "ms"),
    ("window p95 (ms)", ("t_total_s", "p95"), "ms"),
    ("latency p95 (ms)", ("latency_s", "p95"), "ms"),
    ("max RSS (MB)", ("cpu_max_rss_mb",), "{:.0f}"),
    ("tracker", ("tracker",), "{}"),
)

PERF_COLUMNS = ("video", *(c[0] for c in _COLUMNS))


def _lookup(perf: dict[str, Any], path: tuple[str, ...]) -> Any:
    value: Any = perf
    for key in path:
        if not isinstance(value, dict):
            return None
        value = value.get(key)
    return value


def _cell(value: Any, fmt: str) -> str:
    if isinstance(value, bool) or value is None:
        return "–"
    if isinstance(value, int | float):
        if not math.isfinite(value):
            return "–"
        return f"{value * 1000:.1f}" if fmt == "ms" else fmt.format(value)
    return str(value)[:40] if fmt == "{}" else "–"


def perf_rows(runs: Sequence[RunData]) -> list[list[str]]:
    """One row per run (``–`` where the summary lacks a value)."""
    return [_row(run.name, {} if run.perf is None else run.perf.to_dict()) for run in runs]


def _row(name: str, perf: dict[str, Any]) -> list[str]:
    return [name, *(_cell(_lookup(perf, p), f) for _, p, f in _COLUMNS)]
