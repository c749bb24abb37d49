"""Rows of the content segmenter: its decision parameters fitted on train, or its defaults.

The runs keep every step's activity and hand motion (``content_steps.json``), so the fit
re-decides the train runs offline (:mod:`laps.calibrate.content`) and the test runs
are re-decided with the fitted parameters; nothing is tracked twice.
"""

from __future__ import annotations

from typing import Any

from laps.benchmark.context import Context, Method, MethodResult
from laps.benchmark.energy_method import truths_of
from laps.benchmark.runs import RunSpec, ensure_runs, run_wall_time
from laps.calibrate.content import content_tiles, fit_content, load_content_run
from laps.evaluate.tracks import SegmentTrack
from laps.segment.content import ContentParams


def _params(
    ctx: Context, spec: RunSpec, calibration: str
) -> tuple[ContentParams | None, dict[str, Any]]:
    if calibration != "supervised":
        return None, {"method": "default (segment.content)"}
    train = ctx.suite.split("train")
    dirs = ensure_runs(spec, train, ctx.work, ctx.jobs)
    runs = [load_content_run(dirs[v.stem]) for v in train]
    params, f1 = fit_content(runs, truths_of({v.stem: v.ground_truth for v in train}))
    return params, {"method": "supervised_f1_mean", "train_f1_mean": f1, **params.to_dict()}


def content_method(key: str, label: str, spec: RunSpec, calibration: str) -> Method:
    """A row of the content segmenter (``calibration``: ``supervised`` or ``default``)."""

    def run(ctx: Context) -> MethodResult:
        bound = spec.bind(ctx.checkpoint, ctx.device)
        test = ctx.suite.split("test")
        test_dirs = ensure_runs(bound, test, ctx.work, ctx.jobs)
        fitted, calib = _params(ctx, bound, calibration)
        preds, times = {}, {}
        for v in test:
            run = load_content_run(test_dirs[v.stem])
            params = run.params if fitted is None else fitted
            tiles = content_tiles(run, params)
            preds[v.stem] = SegmentTrack(
                tuple((a, b) for a, b, _ in tiles),
                labels=tuple(lab for _, _, lab in tiles),
                duration_s=run.end_s,
            )
            times[v.stem] = run_wall_time(test_dirs[v.stem])
        calib |= {"overrides": list(spec.overrides)}
        return MethodResult(key, label, preds, times, calib)

    return Method(key, label, run, spec.learned)
