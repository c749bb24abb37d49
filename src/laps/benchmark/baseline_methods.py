"""Row factories for the baselines: optical-flow energy, ABD, TW-FINCH, periodic cuts.

Each fits on the train split only: the flow row's threshold on the train truth, ABD /
TW-FINCH's K from the train split's segment rate, the periodic row's period from the train
split's median segment length.
"""

from __future__ import annotations

from laps.benchmark.context import Context, Method, MethodResult
from laps.benchmark.energy_method import (
    fit_supervised,
    predict_track,
    segment_params,
    truths_of,
)
from laps.benchmark.flow_runs import flow_curve, flow_features, flow_prediction
from laps.benchmark.runs import RunSpec, spec_config


def _flow(ctx: Context) -> MethodResult:
    train, test = ctx.suite.split("train"), ctx.suite.split("test")
    feats, times = flow_features(ctx, [*train, *test])
    cfg = spec_config(RunSpec("flow"))
    curves = {v.stem: flow_curve(v.stem, feats[v.stem], cfg) for v in [*train, *test]}
    truths = truths_of({v.stem: v.ground_truth for v in train})
    fit = fit_supervised([curves[v.stem] for v in train], truths, cfg, ctx.tolerance_s)
    params = segment_params(cfg, fit.threshold)
    preds = {v.stem: predict_track(curves[v.stem], params) for v in test}
    calib = {"threshold": fit.threshold, "method": fit.method, **fit.detail}
    return MethodResult("flow", FLOW_LABEL, preds, {v.stem: times[v.stem] for v in test}, calib)


FLOW_LABEL = "optical-flow energy"


def flow_method() -> Method:
    """Optical-flow magnitude energy through our segmenter, supervised calibration."""
    return Method("flow", FLOW_LABEL, _flow)


def feature_method(name: str, label: str) -> Method:
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

    return Method(name, label, run)


def periodic_method(key: str, label: str, period_s: float | None) -> Method:
    """A cut every ``period_s`` (None: the train split's median segment length)."""

    def run(ctx: Context) -> MethodResult:
        period = ctx.train_median_segment_s if period_s is None else period_s
        preds, times = {}, {}
        for v in ctx.suite.split("test"):
            params = {"periodic": {"period_s": period}}
            preds[v.stem], times[v.stem] = flow_prediction(ctx, "periodic", v, params)
        return MethodResult(key, label, preds, times, {"period_s": period})

    return Method(key, label, run)
