"""``perf_summary.json``: the reference's performance fields plus decode time and shares.

Per-window figures are kept as compact columns (8 bytes per value), so a stream of hours
keeps a flat memory profile while the summary still has exact quantiles.
"""

from __future__ import annotations

import resource
from array import array
from collections import Counter
from typing import Any

import numpy as np
from numpy.typing import ArrayLike

COLUMNS = ("t_track_s", "t_forward_s", "t_total_s", "latency_s", "slack_s", "end_s")


def stats(values: ArrayLike) -> dict[str, float | None]:
    """Mean / p50 / p95 / max (linear interpolation), None for an empty series."""
    arr = np.asarray(values, dtype=np.float64)
    arr = arr[np.isfinite(arr)]
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


class PerfColumns:
    """Per-window timings, energies and outcomes as compact columns."""

    def __init__(self) -> None:
        self.cols: dict[str, array[float]] = {c: array("d") for c in COLUMNS}
        self.energy_raw: array[float] = array("d")
        self.energy: array[float] = array("d")
        self.outcomes: Counter[str] = Counter()

    def __len__(self) -> int:
        return len(self.cols["t_total_s"])

    def add(self, record: dict[str, Any]) -> None:
        """Append one window record (a ``WindowRecord.to_dict()``)."""
        for c in COLUMNS:
            self.cols[c].append(float(record[c]))
        for col, key in ((self.energy_raw, "energy_raw"), (self.energy, "energy")):
            col.append(float("nan") if record[key] is None else float(record[key]))
        self.outcomes[record["outcome"]] += 1

    def summary(
        self, *, wall_time_s: float, stage_times_s: dict[str, float], budget_s: float, stride: int
    ) -> dict[str, Any]:
        """The run's performance figures.

        Args:
            wall_time_s: wall time of the whole run.
            stage_times_s: seconds per stage (decode, track, gate_energy, ...).
            budget_s: real-time budget per window (stride / target_fps).
            stride: samples per window step.
        """
        n = len(self)
        slack = np.asarray(self.cols["slack_s"])
        timed = np.isfinite(slack)  # windows cut by a stream gap have no timings
        wps = n / wall_time_s if wall_time_s > 0 else 0.0
        total_stage = sum(stage_times_s.values())
        return {
            "windows_done": n,
            "wall_time_s": wall_time_s,
            "budget_per_window_s": budget_s,
            "ok_ratio": float((slack[timed] >= 0).mean()) if timed.any() else None,
            "realized_windows_per_sec": wps,
            "throughput_fps_estimate": wps * stride,
            **{c: stats(self.cols[c]) for c in ("t_track_s", "t_forward_s", "t_total_s")},
            "latency_s": stats(self.cols["latency_s"]),
            "gpu_max_mem_allocated_mb": None,
            "gpu_max_mem_reserved_mb": None,
            "cpu_max_rss_mb": peak_rss_mb(),
            "param_count": 0,
            "window_outcomes": dict(self.outcomes),
            "stage_time_s": stage_times_s,
            "stage_share": {
                k: (v / total_stage if total_stage > 0 else 0.0) for k, v in stage_times_s.items()
            },
        }
