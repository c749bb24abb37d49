"""``perf_summary.json``: the reference's performance fields plus decode time and shares."""

from __future__ import annotations

import resource
from collections.abc import Sequence
from typing import Any

import numpy as np


def stats(values: Sequence[float]) -> dict[str, float | None]:
    """Mean / p50 / p95 / max (linear interpolation), None for an empty series."""
    arr = np.asarray([v for v in values if v is not None], dtype=np.float64)
    if arr.size == 0:
        return {"mean": None, "p50": None, "p95": None, "max": None}
    return {
        "mean": float(arr.mean()),
        "p50": float(np.percentile(arr, 50)),
        "p95": float(np.percentile(arr, 95)),
        "max": float(arr.max()),
    }


def peak_rss_mb() -> float:
    """Peak resident set size of this process, MB (Linux ru_maxrss is in KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def perf_summary(
    records: Sequence[dict[str, Any]],
    *,
    wall_time_s: float,
    stage_times_s: dict[str, float],
    budget_s: float,
    stride: int,
    extra: dict[str, Any],
) -> dict[str, Any]:
    """Summarise per-window records into the run's performance figures.

    Args:
        records: per-window dicts with t_track_s, t_forward_s, t_total_s, latency_s, slack_s.
        wall_time_s: wall time of the whole run.
        stage_times_s: seconds per stage (decode, track, energy, segment, export, ...).
        budget_s: real-time budget per window (stride / target_fps).
        stride: samples per window step.
        extra: other fields (identity, counts) copied in.
    """
    n = len(records)
    ok = sum(1 for r in records if r["slack_s"] >= 0)
    wps = n / wall_time_s if wall_time_s > 0 else 0.0
    total_stage = sum(stage_times_s.values())
    return {
        **extra,
        "windows_done": n,
        "wall_time_s": wall_time_s,
        "budget_per_window_s": budget_s,
        "ok_ratio": ok / n if n else None,
        "realized_windows_per_sec": wps,
        "throughput_fps_estimate": wps * stride,
        "t_track_s": stats([r["t_track_s"] for r in records]),
        "t_forward_s": stats([r["t_forward_s"] for r in records]),
        "t_total_s": stats([r["t_total_s"] for r in records]),
        "latency_s": stats([r["latency_s"] for r in records]),
        "gpu_max_mem_allocated_mb": None,
        "gpu_max_mem_reserved_mb": None,
        "cpu_max_rss_mb": peak_rss_mb(),
        "param_count": 0,
        "stage_time_s": stage_times_s,
        "stage_share": {
            k: (v / total_stage if total_stage > 0 else 0.0) for k, v in stage_times_s.items()
        },
    }
