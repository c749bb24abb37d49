"""Row factories for laps configurations: pipeline runs of a :class:`RunSpec`, then a cut.

- :func:`change_method`: the change segmenter, its threshold fitted on train (or default);
- :func:`energy_method`: the energy + hysteresis segmenter, thr_on fitted on train;
- :func:`pipeline_method`: the run's own ``segments.json``, nothing fitted (a segmenter
  that calibrates itself, or one evaluated at its defaults).

Runs are cached per (spec, video) under ``WORK/runs/<tag>/``. Nothing here reads the test
split's ground truth.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from laps.benchmark.context import Context, Method, MethodResult
from laps.benchmark.energy_method import (
    Calibrated,
    fit_pseudo_label,
    fit_supervised,
    predict_track,
    segment_params,
    truths_of,
)
from laps.benchmark.runs import RunSpec, ensure_runs, run_wall_time, spec_config
from laps.calibrate.change import change_segments, load_change_run, sweep_change_threshold
from laps.calibrate.run_data import load_run
from laps.evaluate.pairing import read_track
from laps.evaluate.tracks import SegmentTrack
from laps.export.run_folder import RunPaths
from laps.segment.change import ChangeParams
from laps.segment.config import SegmentConfig


@dataclass(frozen=True)
class _Rows:
    """Test predictions and runtimes of a row."""

    predictions: dict[str, SegmentTrack]
    runtime_s: dict[str, float]


def _energy_rows(ctx: Context, spec: RunSpec, calibration: str) -> tuple[_Rows, Calibrated]:
    train, test = ctx.suite.split("train"), ctx.suite.split("test")
    train_dirs = ensure_runs(spec, train, ctx.work, ctx.jobs)
    test_dirs = ensure_runs(spec, test, ctx.work, ctx.jobs)
    cfg = spec_config(spec)
    train_runs = [load_run(train_dirs[v.stem]) for v in train]
    if calibration == "supervised":
        truths = truths_of({v.stem: v.ground_truth for v in train})
        fit = fit_supervised([r.curve for r in train_runs], truths, cfg, ctx.tolerance_s)
    else:
        fit = fit_pseudo_label(train_runs)
    params = segment_params(cfg, fit.threshold)
    preds = {v.stem: predict_track(load_run(test_dirs[v.stem]).curve, params) for v in test}
    times = {v.stem: run_wall_time(test_dirs[v.stem]) for v in test}
    return _Rows(preds, times), fit


def energy_method(key: str, label: str, spec: RunSpec, calibration: str) -> Method:
    """A row from pipeline runs of ``spec`` and a calibration on the train split."""

    def run(ctx: Context) -> MethodResult:
        rows, fit = _energy_rows(ctx, spec.bind(ctx.checkpoint, ctx.device), calibration)
        calib = {"threshold": fit.threshold, "method": fit.method, **fit.detail}
        calib |= {"overrides": list(spec.overrides)}
        return MethodResult(key, label, rows.predictions, rows.runtime_s, calib)

    return Method(key, label, run, spec.learned)


def _change_threshold(ctx: Context, spec: RunSpec, calibration: str) -> dict[str, Any]:
    if calibration != "supervised":
        thr = SegmentConfig().change_threshold
        return {"threshold": thr, "method": "default (segment.change_threshold)"}
    train = ctx.suite.split("train")
    train_dirs = ensure_runs(spec, train, ctx.work, ctx.jobs)
    runs = [load_change_run(train_dirs[v.stem]) for v in train]
    truths = truths_of({v.stem: v.ground_truth for v in train})
    thr, f1 = sweep_change_threshold(runs, truths, ctx.tolerance_s)
    return {"threshold": thr, "method": "supervised_boundary_f1", "train_f1_mean": f1}


def change_method(key: str, label: str, spec: RunSpec, calibration: str) -> Method:
    """A row of the change segmenter: threshold fitted on train (or the default)."""

    def run(ctx: Context) -> MethodResult:
        bound = spec.bind(ctx.checkpoint, ctx.device)
        test = ctx.suite.split("test")
        test_dirs = ensure_runs(bound, test, ctx.work, ctx.jobs)
        calib = _change_threshold(ctx, bound, calibration)
        preds, times = {}, {}
        for v in test:
            run = load_change_run(test_dirs[v.stem])
            params = ChangeParams(calib["threshold"], run.half_width, run.min_distance)
            preds[v.stem] = SegmentTrack(tuple(change_segments(run, params)), duration_s=run.end_s)
            times[v.stem] = run_wall_time(test_dirs[v.stem])
        calib |= {"overrides": list(spec.overrides)}
        return MethodResult(key, label, preds, times, calib)

    return Method(key, label, run, spec.learned)


def pipeline_method(key: str, label: str, spec: RunSpec) -> Method:
    """A row of the pipeline's own segments (``segments.json``, labels kept), nothing fitted."""

    def run(ctx: Context) -> MethodResult:
        test = ctx.suite.split("test")
        dirs = ensure_runs(spec.bind(ctx.checkpoint, ctx.device), test, ctx.work, ctx.jobs)
        preds = {v.stem: read_track(RunPaths(dirs[v.stem]).segments_json)[1] for v in test}
        times = {v.stem: run_wall_time(dirs[v.stem]) for v in test}
        calib = {"method": "none (the run's own segments)", "overrides": list(spec.overrides)}
        return MethodResult(key, label, preds, times, calib)

    return Method(key, label, run, spec.learned)
