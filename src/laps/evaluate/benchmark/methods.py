"""The rows of the accuracy benchmark: laps configurations and the baselines.

Each method returns its predictions on the test split, its runtime per test video and how
it was calibrated. Nothing here reads the test split's ground truth.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from laps.evaluate.benchmark.energy_method import (
    Calibrated,
    fit_pseudo_label,
    fit_supervised,
    predict_track,
    segment_params,
    truths_of,
)
from laps.evaluate.benchmark.flow_runs import flow_curve, flow_features, flow_prediction
from laps.evaluate.benchmark.runs import RunSpec, ensure_runs, run_wall_time, spec_config
from laps.evaluate.benchmark.suite import Suite
from laps.evaluate.tracks import SegmentTrack
from laps.pipeline.change_calibrate import change_segments, load_change_run, sweep_change_threshold
from laps.pipeline.run_data import load_run
from laps.segment.change import ChangeParams
from laps.segment.config import SegmentConfig

logger = logging.getLogger(__name__)

# The reference's streaming defaults (laps_method.md 3.13), pinned so that changing ours
# never changes this row.
REFERENCE = (
    "segment.method=hysteresis",
    "segment.max_duration_seconds=2.0",
    "segment.hysteresis_ratio=0.95",
    "segment.up_count=2",
    "segment.down_count=2",
    "segment.cooldown_windows=1",
    "gates.pre_gate.enabled=true",
    "gates.pre_gate.min_active_ratio=0.05",
    "gates.motion_gate.enabled=true",
    "gates.motion_gate.min_active_ratio=0.025",
    "energy.source=quantized",
    "energy.mode=token_diff_l2_mean",
)


# The runs every laps row reads: the change segmenter's scores and, from the same windows,
# the energy the hysteresis rows segment. Pinned, so changing defaults reuses no stale run.
CHANGE = (
    "segment.method=change",
    "segment.change_threshold=0.05",  # the runs' own cut; rows re-cut at their threshold
    "gates.pre_gate.enabled=false",
    "gates.motion_gate.enabled=false",
)
LEARNED = RunSpec("learned", CHANGE)
VELOCITY = RunSpec("velocity", ("energy.source=velocity", *CHANGE))


@dataclass(frozen=True)
class Context:
    """What every method may use: the suite, the work folder and the train statistics."""

    suite: Suite
    work: Path
    jobs: int = 1
    checkpoint: Path | None = None
    device: str = "cpu"
    tolerance_s: float = 1.0
    train_segments_per_minute: float = 40.0
    train_median_segment_s: float = 1.5


@dataclass(frozen=True)
class MethodResult:
    """One row's predictions on the test split."""

    key: str
    label: str
    predictions: dict[str, SegmentTrack]
    runtime_s: dict[str, float]
    calibration: dict[str, Any] = field(default_factory=dict)


def _energy_rows(ctx: Context, spec: RunSpec, calibration: str) -> tuple[dict, dict, Calibrated]:
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
    return preds, times, fit


def energy_method(
    key: str, label: str, spec: RunSpec, calibration: str
) -> Callable[[Context], MethodResult]:
    """A row from pipeline runs of ``spec`` and a calibration on the train split."""

    def run(ctx: Context) -> MethodResult:
        spec_here = spec
        if spec is not VELOCITY:
            spec_here = RunSpec(spec.tag, spec.overrides, ctx.checkpoint, ctx.device)
        preds, times, fit = _energy_rows(ctx, spec_here, calibration)
        calib = {"threshold": fit.threshold, "method": fit.method, **fit.detail}
        return MethodResult(key, label, preds, times, calib | {"overrides": list(spec.overrides)})

    return run


def change_method(
    key: str, label: str, spec: RunSpec, calibration: str
) -> Callable[[Context], MethodResult]:
    """A row of the change segmenter: threshold fitted on train (or the default)."""

    def run(ctx: Context) -> MethodResult:
        spec_here = spec
        if spec is LEARNED:
            spec_here = RunSpec(spec.tag, spec.overrides, ctx.checkpoint, ctx.device)
        train, test = ctx.suite.split("train"), ctx.suite.split("test")
        test_dirs = ensure_runs(spec_here, test, ctx.work, ctx.jobs)
        if calibration == "supervised":
            train_dirs = ensure_runs(spec_here, train, ctx.work, ctx.jobs)
            runs = [load_change_run(train_dirs[v.stem]) for v in train]
            truths = truths_of({v.stem: v.ground_truth for v in train})
            thr, f1 = sweep_change_threshold(runs, truths, ctx.tolerance_s)
            calib = {"threshold": thr, "method": "supervised_boundary_f1", "train_f1_mean": f1}
        else:
            thr = SegmentConfig().change_threshold
            calib = {"threshold": thr, "method": "default (segment.change_threshold)"}
        preds, times = {}, {}
        for v in test:
            run = load_change_run(test_dirs[v.stem])
            segs = change_segments(run, ChangeParams(thr, run.half_width, run.min_distance))
            preds[v.stem] = SegmentTrack(tuple(segs), duration_s=run.end_s)
            times[v.stem] = run_wall_time(test_dirs[v.stem])
        return MethodResult(key, label, preds, times, calib | {"overrides": list(spec.overrides)})

    return run


def flow_method(ctx: Context) -> MethodResult:
    """Optical-flow magnitude energy through our segmenter, supervised calibration."""
    train, test = ctx.suite.split("train"), ctx.suite.split("test")
    feats, times = flow_features(ctx, [*train, *test])
    cfg = spec_config(RunSpec("flow"))
    curves = {v.stem: flow_curve(v.stem, feats[v.stem], cfg) for v in [*train, *test]}
    truths = truths_of({v.stem: v.ground_truth for v in train})
    fit = fit_supervised([curves[v.stem] for v in train], truths, cfg, ctx.tolerance_s)
    params = segment_params(cfg, fit.threshold)
    preds = {v.stem: predict_track(curves[v.stem], params) for v in test}
    calib = {"threshold": fit.threshold, "method": fit.method, **fit.detail}
    return MethodResult(
        "flow", "optical-flow energy", preds, {v.stem: times[v.stem] for v in test}, calib
    )


def feature_method(name: str, label: str) -> Callable[[Context], MethodResult]:
    """ABD or TW-FINCH on per-window HOF features, K from the train split's segment rate."""

    def run(ctx: Context) -> MethodResult:
        test = ctx.suite.split("test")
        _, times = flow_features(ctx, test)
        rate = ctx.train_segments_per_minute
        preds, run_times = {}, {}
        for v in test:
            track, seconds = flow_prediction(ctx, name, v, {name: {"segments_per_minute": rate}})
            preds[v.stem], run_times[v.stem] = track, times[v.stem] + seconds
        return MethodResult(name, label, preds, run_times, {"segments_per_minute": rate})

    return run


def periodic_method(
    key: str, label: str, period_s: float | None
) -> Callable[[Context], MethodResult]:
    """A cut every ``period_s`` (None: the train split's median segment length)."""

    def run(ctx: Context) -> MethodResult:
        period = ctx.train_median_segment_s if period_s is None else period_s
        preds, times = {}, {}
        for v in ctx.suite.split("test"):
            params = {"periodic": {"period_s": period}}
            preds[v.stem], times[v.stem] = flow_prediction(ctx, "periodic", v, params)
        return MethodResult(key, label, preds, times, {"period_s": period})

    return run


METHODS: dict[str, Callable[[Context], MethodResult]] = {
    "laps": change_method("laps", "laps default: change points of learned latents, threshold "
                          "fitted on train", LEARNED, "supervised"),
    "laps_uncalibrated": change_method("laps_uncalibrated", "laps default, default threshold "
                                       "(no calibration)", LEARNED, "default"),
    "laps_velocity": change_method("laps_velocity", "laps default without a tokenizer: change "
                                   "points of velocities", VELOCITY, "supervised"),
    "laps_hysteresis": energy_method("laps_hysteresis", "learned energy + hysteresis, threshold "
                                     "fitted on train", LEARNED, "supervised"),
    "laps_pseudo": energy_method("laps_pseudo", "learned energy + hysteresis, pseudo-label "
                                 "threshold", LEARNED, "pseudo_label"),
    "reference": energy_method("reference", "reference configuration (2 s max, pseudo-label)",
                               RunSpec("reference", REFERENCE), "pseudo_label"),
    "velocity": energy_method("velocity", "velocity energy + hysteresis, threshold fitted on "
                              "train", VELOCITY, "supervised"),
    "flow": flow_method,
    "abd": feature_method("abd", "ABD on HOF features"),
    "twfinch": feature_method("twfinch", "TW-FINCH on HOF features"),
    "periodic": periodic_method("periodic", "periodic (train median length)", None),
    "periodic_2s": periodic_method("periodic_2s", "periodic 2 s", 2.0),
}  # fmt: skip
