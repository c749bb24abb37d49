"""The stages of ``laps run``: each reads the context and earlier stages, writes its folder.

Each stage is a pair of functions: ``inputs`` describes what it is made from (hashed into its
stamp) and ``run`` does the work and returns a small JSON-ready result. A stage that does not
apply (training with a given checkpoint, evaluation without ground truth) says why.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from laps.calibrate.fit import CalibrateOptions
from laps.calibrate.fit import calibrate as fit_threshold
from laps.calibrate.run_data import collect_runs
from laps.cluster import ClusterOptions, discover, write_outputs
from laps.config import PipelineConfig, load_config
from laps.errors import LapsError
from laps.evaluate import EvalOptions, evaluate, load_pairs
from laps.evaluate.options import tol_key
from laps.evaluate.report import write_json_report
from laps.export.atomic import write_json_atomic
from laps.export.layout import run_folders
from laps.export.run_folder import SEGMENTS, read_segments
from laps.orchestrate.context import RunContext
from laps.orchestrate.stamps import file_fingerprint, read_stamp
from laps.report import build_report
from laps.scale import BatchOptions, run_batch
from laps.scale.outcome import Status
from laps.scale.tracks import remote_for
from laps.tokenizer.budget import train_for_seconds
from laps.tokenizer.build import TRAINING_STRIDE, build_dataset
from laps.tokenizer.loading import LoadedTokenizer, file_sha256, load_tokenizer

logger = logging.getLogger(__name__)

HEADLINE_TOLERANCES = (0.5, 1.0, 2.0)
LATENTS = "export.latents=true"  # clustering embeds the segments' latents


@dataclass(frozen=True)
class Stage:
    """One stage: its name, why it is skipped (None: it applies), its inputs, its work."""

    name: str
    skip_reason: Callable[[RunContext], str | None]
    inputs: Callable[[RunContext], dict[str, Any]]
    run: Callable[[RunContext], dict[str, Any]]


def upstream(ctx: RunContext, *stages: str) -> dict[str, Any]:
    """The stamps of earlier stages (hash and finish time: a redo changes them)."""
    out: dict[str, Any] = {}
    for name in stages:
        stamp = read_stamp(ctx.stage_dir(name))
        out[name] = None if stamp is None else [stamp["hash"], stamp.get("finished")]
    return out


def _tokenizer(ctx: RunContext) -> LoadedTokenizer:
    tok = load_tokenizer(ctx.checkpoint_path, ctx.device)
    assert tok is not None  # a path was given
    return tok


def _config(ctx: RunContext, tok: LoadedTokenizer, **flags: Any) -> PipelineConfig:
    cfg = load_config(None, [*ctx.overrides, LATENTS], base=tok.layer, **flags)
    tok.check(cfg)
    return cfg


def _checkpoint_id(ctx: RunContext) -> str | None:
    path = ctx.checkpoint_path
    return file_sha256(path) if path.is_file() else None


# -- tracks and train: only without --checkpoint ------------------------------------------


def _no_training(ctx: RunContext) -> str | None:
    return "checkpoint given" if ctx.checkpoint is not None else None


def _tracks_inputs(ctx: RunContext) -> dict[str, Any]:
    videos = ctx.fingerprints(truth=False)  # training ignores the ground truth
    return {"videos": videos, "overrides": ctx.overrides, "stride": TRAINING_STRIDE}


def _tracks(ctx: RunContext) -> dict[str, Any]:
    cfg = load_config(None, ctx.overrides, window__stride=TRAINING_STRIDE)
    specs = [str(v) for v in ctx.videos]
    res = build_dataset(
        specs, ctx.stage_dir("tracks"), cfg, workers=ctx.workers, remote=remote_for(ctx.ray),
        raise_errors=ctx.workers == 1 and ctx.ray is None,
    )  # fmt: skip
    if res.failed:
        raise LapsError(f"tracks: {res.failed[0]['id']}: {res.failed[0]['reason']}")
    return {"windows": res.n_windows_total, "videos": len(specs)}


def _train_inputs(ctx: RunContext) -> dict[str, Any]:
    return {"seconds": ctx.train_seconds, "device": ctx.device} | upstream(ctx, "tracks")


def _train(ctx: RunContext) -> dict[str, Any]:
    folder = ctx.stage_dir("train")
    best = train_for_seconds(ctx.stage_dir("tracks"), folder, ctx.train_seconds, device=ctx.device)
    if best != folder / "best.pt":  # no validated epoch: segment with the last one
        (folder / "best.pt").write_bytes(best.read_bytes())
    return {"checkpoint": str(folder / "best.pt")}


# -- calibrate, segment --------------------------------------------------------------------


def _calibrate_inputs(ctx: RunContext) -> dict[str, Any]:
    videos = [] if ctx.gt_dir is None else ctx.fingerprints(ctx.truth_videos)
    return {"videos": videos, "overrides": ctx.overrides, "checkpoint": _checkpoint_id(ctx)}


def calibration_file(ctx: RunContext) -> Path:
    """The threshold the calibrate stage fitted (absent: the default threshold is used)."""
    return ctx.stage_dir("calibrate") / "calib.json"


def _calibrate(ctx: RunContext) -> dict[str, Any]:
    if ctx.gt_dir is None:
        logger.info("no ground truth beside the videos: segmenting with the default threshold")
        return {"threshold": "default", "reason": "no ground truth beside the videos"}
    tok = _tokenizer(ctx)
    cfg = _config(ctx, tok)
    work = ctx.stage_dir("calibrate") / "runs"
    sources = [str(v) for v in ctx.truth_videos]
    runs = collect_runs(sources, cfg, work, tok.encoder, tok.info)
    doc = fit_threshold(runs, cfg, CalibrateOptions(gt_dir=ctx.gt_dir))
    write_json_atomic(calibration_file(ctx), doc)
    logger.info(
        "threshold %.4g fitted on the ground truth of %d videos (these are also evaluated: "
        "their scores are optimistic)",
        doc["threshold"],
        len(runs),
    )
    return {"threshold": doc["threshold"], "method": doc["method"], "videos": len(runs)}


def _segment_inputs(ctx: RunContext) -> dict[str, Any]:
    return {
        "videos": ctx.fingerprints(),
        "overrides": ctx.overrides,
        "checkpoint": _checkpoint_id(ctx),
    } | upstream(ctx, "calibrate")


def _segment(ctx: RunContext) -> dict[str, Any]:
    tok = _tokenizer(ctx)
    calib = calibration_file(ctx)
    cfg = _config(ctx, tok, segment__calibration=calib if calib.is_file() else None)
    opts = BatchOptions(workers=ctx.workers, ray=ctx.ray, device=ctx.device)
    specs = [str(v) for v in ctx.videos]
    summary = run_batch(specs, ctx.stage_dir("segment"), cfg, opts, tok, ctx.observer)
    for outcome in summary.outcomes:
        logger.info("%s: %d segments (%s)", outcome.name, outcome.n_segments, outcome.status)
    failed = summary.of(Status.FAILED)
    if failed:  # the stage is not stamped: a rerun redoes just the failed videos
        raise LapsError(f"segment: {len(failed)} video(s) failed; {failed[0].line}")
    n_segments = sum(o.n_segments for o in summary.outcomes)
    return {"videos": len(ctx.videos), "segments": n_segments} | _idle_time(ctx)


def _idle_time(ctx: RunContext) -> dict[str, float | None]:
    """Seconds of segments labelled idle and active (None when the method labels none)."""
    total = {"idle": 0.0, "active": 0.0}
    for folder in run_folders(ctx.stage_dir("segment"), (SEGMENTS,)):
        for seg in read_segments(folder, skip_bad_lines=True):
            if seg.label in total:
                total[seg.label] += seg.end_s - seg.start_s
    if not any(total.values()):
        return {"idle_s": None, "active_s": None}
    return {"idle_s": round(total["idle"], 3), "active_s": round(total["active"], 3)}


# -- cluster, eval, report -----------------------------------------------------------------


def _never(ctx: RunContext) -> str | None:
    return None


def _no_truth(ctx: RunContext) -> str | None:
    return "no ground truth beside the videos" if ctx.gt_dir is None else None


def _with_truth(ctx: RunContext, *stages: str) -> dict[str, Any]:
    truth = [file_fingerprint(p) for p in ctx.truth.values()]
    return {"truth": truth} | upstream(ctx, *stages)


def _cluster(ctx: RunContext) -> dict[str, Any]:
    opts = ClusterOptions()
    found = discover([ctx.stage_dir("segment")], opts, ctx.gt_dir)
    write_outputs(ctx.stage_dir("cluster"), found, opts)
    out: dict[str, Any] = {"segments": len(found.segments), "k": found.fit.k}
    out["silhouette"] = found.fit.metrics["silhouette"]
    if found.gt is not None:
        out["nmi"] = found.gt["clusters"]["nmi"]
        out["nmi_random"] = found.gt["random_baseline"]["nmi"]
    return out


def _eval(ctx: RunContext) -> dict[str, Any]:
    assert ctx.gt_dir is not None  # skipped without ground truth
    report = evaluate(load_pairs(ctx.stage_dir("segment"), ctx.gt_dir), EvalOptions())
    inputs = {"pred": str(ctx.stage_dir("segment")), "gt": str(ctx.gt_dir)}
    write_json_report(ctx.stage_dir("eval") / "eval.json", report, inputs)
    out = {f"f1@{tol_key(t)}": report.summary[f"f1@{tol_key(t)}"] for t in HEADLINE_TOLERANCES}
    shape = ["segment_ratio", "idle_false_per_min", "pred_len_p10", "pred_len_median"]
    shape += ["pred_len_p90", "gt_len_p10", "gt_len_median", "gt_len_p90"]
    return out | {"shape": {k: report.summary.get(k) for k in shape}}


def _report(ctx: RunContext) -> dict[str, Any]:
    clusters = ctx.stage_dir("cluster")
    folder = ctx.stage_dir("report")
    index = build_report(ctx.stage_dir("segment"), folder, ctx.gt_dir, clusters)
    return {"index": str(index)}


STAGES: tuple[Stage, ...] = (
    Stage("tracks", _no_training, _tracks_inputs, _tracks),
    Stage("train", _no_training, _train_inputs, _train),
    Stage("calibrate", _never, _calibrate_inputs, _calibrate),
    Stage("segment", _never, _segment_inputs, _segment),
    Stage("cluster", _never, lambda c: _with_truth(c, "segment"), _cluster),
    Stage("eval", _no_truth, lambda c: _with_truth(c, "segment"), _eval),
    Stage("report", _never, lambda c: _with_truth(c, "segment", "cluster", "eval"), _report),
)
STAGE_NAMES = tuple(s.name for s in STAGES)
