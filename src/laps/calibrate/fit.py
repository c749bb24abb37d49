"""``laps calibrate``: runs (made or reused) -> one threshold -> ``calib.json``.

Sources are videos (segmented here with the configured energy, clips off, into a work
folder) or finished run folders (reused as they are, after checking that their energy
settings match the config). Then either:

* **unsupervised** (default): per video, pseudo-labels from the velocity proxy, and the
  threshold of the target energy maximising F1 or Youden's J against them
  (:mod:`laps.calibrate.calibration`); aggregated by median / mean, or ``pooled`` (one sweep
  over all videos' windows, with one proxy threshold);
* **supervised** (``gt_dir``): the threshold maximising the mean boundary F1 against the
  ground truth of a *training split* (:mod:`laps.calibrate.sweep`); ``pooled`` (default) is
  the reference's joint choice, median / mean aggregate each video's own best.

The document's ``threshold`` is at the top level, so ``laps segment --calibration`` reads it
with the default key. Format: docs/CALIBRATION.md.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from laps.calibrate.calibration import (
    Aggregate,
    LabelSpec,
    Objective,
    aggregate,
    label_threshold,
    pseudo_labels,
    sweep_threshold,
)
from laps.calibrate.change import load_change_run, sweep_change_threshold
from laps.calibrate.content import fit_content, load_content_run
from laps.calibrate.run_data import RunData
from laps.calibrate.sweep import Truth, score_threshold, supervised_sweep
from laps.config import PipelineConfig
from laps.errors import ConfigError
from laps.evaluate.boundaries import read_segments_json
from laps.export.manifest import now_iso
from laps.pipeline.content import CONTENT_METHOD
from laps.pipeline.thresholding import CHANGE_METHOD
from laps.segment.config import SegmentMethod
from laps.segment.functional import HysteresisParams

logger = logging.getLogger(__name__)
SCHEMA = 1


@dataclass(frozen=True)
class Fit:
    """A fitted threshold, the per-video results and a summary of the fit."""

    threshold: float
    per_video: dict[str, Any]
    summary: dict[str, Any]


@dataclass(frozen=True)
class CalibrateOptions:
    """What to fit and how (see the module docstring)."""

    objective: Objective = Objective.F1
    label: LabelSpec = LabelSpec("auto")
    aggregate: Aggregate | None = None  # None: median (unsupervised), pooled (supervised)
    tolerance_s: float = 1.0
    gt_dir: Path | None = None

    @property
    def method(self) -> str:
        """The ``method`` recorded in calib.json."""
        if self.gt_dir is not None:
            return "supervised_boundary_f1"
        return "pseudo_label_f1" if self.objective is Objective.F1 else "pseudo_label_youden"

    @property
    def resolved_aggregate(self) -> Aggregate:
        """The aggregate in effect."""
        if self.aggregate is not None:
            return self.aggregate
        return Aggregate.POOLED if self.gt_dir is not None else Aggregate.MEDIAN


def _pseudo_label_fit(
    energy: np.ndarray, proxy: np.ndarray, opts: CalibrateOptions
) -> dict[str, Any]:
    """Proxy threshold, pseudo-labels and the best target threshold of one set of windows."""
    keep = np.isfinite(energy) & np.isfinite(proxy)
    thr_v = label_threshold(proxy[keep], opts.label)
    labels = pseudo_labels(proxy[keep], thr_v)
    sweep = sweep_threshold(energy[keep], labels)
    best = sweep.best(opts.objective)
    return {
        "threshold": best.thr,
        "proxy_threshold": thr_v,
        "f1": best.f1,
        "youden_j": best.youden_j,
        "precision": best.precision,
        "recall": best.recall,
        "n_windows": int(keep.sum()),
        "n_pos": sweep.n_pos,
        "n_neg": sweep.n_neg,
    }


def unsupervised(runs: Sequence[RunData], opts: CalibrateOptions) -> Fit:
    """The pseudo-label threshold and the per-video results (degenerate videos are skipped).

    Raises:
        ConfigError: no video gives a threshold.
    """
    per_video: dict[str, Any] = {}
    for run in runs:
        try:
            per_video[run.name] = _pseudo_label_fit(run.curve.energy, run.proxy, opts)
        except ConfigError as err:
            logger.warning("%s: skipped (%s)", run.name, err)
            per_video[run.name] = {"skipped": str(err), "n_windows": int(run.curve.energy.size)}
    fitted = [v["threshold"] for v in per_video.values() if "threshold" in v]
    if not fitted:
        reasons = "; ".join(f"{k}: {v['skipped']}" for k, v in per_video.items())
        raise ConfigError(f"calibrate: no video gave a threshold ({reasons})")
    method = opts.resolved_aggregate
    if method is Aggregate.POOLED:
        energy = np.concatenate([r.curve.energy for r in runs])
        proxy = np.concatenate([r.proxy for r in runs])
        pooled = _pseudo_label_fit(energy, proxy, opts)
        return Fit(float(pooled["threshold"]), per_video, {"pooled": pooled})
    return Fit(aggregate(fitted, method), per_video, {"n_videos_fitted": len(fitted)})


def read_truths(gt_dir: Path, names: Sequence[str]) -> dict[str, Truth]:
    """Ground truth ``<gt_dir>/<name>.json`` (or ``<name>_segments.json``) of every video.

    Raises:
        ConfigError: a missing folder or file; LapsError: an unreadable file.
    """
    if not gt_dir.is_dir():
        raise ConfigError(f"--gt: expected a folder of ground-truth JSON files, got {gt_dir}")
    out = {}
    for name in names:
        paths = [gt_dir / f"{name}.json", gt_dir / f"{name}_segments.json"]
        path = next((p for p in paths if p.is_file()), None)
        if path is None:
            raise ConfigError(
                f"--gt: expected ground truth {paths[0]} for video {name!r}, found none; pass "
                "only training-split videos that have ground truth"
            )
        out[name] = Truth(*read_segments_json(path))
    return out


def supervised(runs: Sequence[RunData], cfg: PipelineConfig, opts: CalibrateOptions) -> Fit:
    """The boundary-F1 threshold on the training split and the per-video results."""
    assert opts.gt_dir is not None
    truths = read_truths(opts.gt_dir, [r.name for r in runs])
    seg = cfg.segment
    params = HysteresisParams.from_config(seg, 1.0, cfg.window, cfg.video.target_fps)
    curves = [r.curve for r in runs]
    ratio, tol = seg.hysteresis_ratio, opts.tolerance_s
    sweep = supervised_sweep(curves, truths, params, hysteresis_ratio=ratio, tolerance_s=tol)
    own = sweep.per_video()
    method = opts.resolved_aggregate
    if method is Aggregate.POOLED:
        threshold = float(sweep.thresholds[sweep.joint()])
    else:
        threshold = aggregate(sweep.thresholds[own], method)
    at = score_threshold(curves, truths, params, threshold, ratio, tol)
    per_video = {}
    for i, run in enumerate(runs):
        k = own[i]
        per_video[run.name] = {
            "threshold": float(sweep.thresholds[k]),
            "f1": float(sweep.f1[i, k]),
            "precision": float(sweep.precision[i, k]),
            "recall": float(sweep.recall[i, k]),
            "f1_at_threshold": float(at[i, 0]),
            "precision_at_threshold": float(at[i, 1]),
            "recall_at_threshold": float(at[i, 2]),
            "n_windows": int(run.curve.energy.size),
        }
    f1, precision, recall = (float(v) for v in at.mean(axis=0))
    summary = {"f1_mean": f1, "precision_mean": precision, "recall_mean": recall}
    return Fit(threshold, per_video, summary | {"n_candidates": int(sweep.thresholds.size)})


def _method_name(method: SegmentMethod, opts: CalibrateOptions) -> str:
    if method is SegmentMethod.CHANGE:
        return CHANGE_METHOD
    return CONTENT_METHOD if method is SegmentMethod.CONTENT else str(opts.method)


def _checkpoint_sha(runs: Sequence[RunData]) -> str | None:
    shas = {r.checkpoint_sha256 for r in runs}
    if len(shas) > 1:
        raise ConfigError(
            f"calibrate: expected runs of one checkpoint, got {len(shas)} different ones "
            f"({', '.join(sorted(str(s)[:12] for s in shas))}); calibrate each separately"
        )
    return next(iter(shas))


def calibrate(
    runs: Sequence[RunData], cfg: PipelineConfig, opts: CalibrateOptions
) -> dict[str, Any]:
    """The calibration document of a set of runs (see docs/CALIBRATION.md).

    Raises:
        LapsError: no run, no usable energies, bad or missing ground truth.
    """
    if not runs:
        raise ConfigError("calibrate: expected at least one video or run folder, got none")
    if opts.gt_dir is not None and opts.objective is not Objective.F1:
        raise ConfigError("--objective youden needs pseudo-labels; drop it with --gt")
    if cfg.segment.method is SegmentMethod.CHANGE:
        fit = change_supervised(runs, opts)
    elif cfg.segment.method is SegmentMethod.CONTENT:
        fit = content_supervised(runs, opts)
    elif opts.gt_dir is not None:
        fit = supervised(runs, cfg, opts)
    else:
        fit = unsupervised(runs, opts)
    return _document(runs, cfg, opts, fit)


def change_supervised(runs: Sequence[RunData], opts: CalibrateOptions) -> Fit:
    """The change segmenter's score threshold with the best train boundary F1.

    Raises:
        ConfigError: without ground truth (pseudo-labels calibrate an energy threshold of
            the hysteresis segmenter, which the change segmenter does not use).
    """
    if opts.gt_dir is None:
        raise ConfigError(
            "calibrate: segment.method=change needs ground truth (--gt TRAIN_GT): its "
            "default threshold needs no calibration, and pseudo-labels fit the hysteresis "
            "segmenter's energy threshold (add --set segment.method=hysteresis for that)"
        )
    truths = read_truths(opts.gt_dir, [r.name for r in runs])
    change_runs = [load_change_run(r.folder) for r in runs]
    threshold, f1 = sweep_change_threshold(change_runs, truths, opts.tolerance_s)
    per_video = {r.name: {"n_samples": int(r.scores.size)} for r in change_runs}
    return Fit(threshold, per_video, {"f1_mean": f1, "segmenter": "change"})


def content_supervised(runs: Sequence[RunData], opts: CalibrateOptions) -> Fit:
    """The content segmenter's decision parameters with the best train F1 mean.

    Raises:
        ConfigError: without ground truth, or a run made with another segmenter.
    """
    if opts.gt_dir is None:
        raise ConfigError(
            "calibrate: segment.method=content needs ground truth (--gt TRAIN_GT): its "
            "activity floor is each video's own and needs no calibration"
        )
    truths = read_truths(opts.gt_dir, [r.name for r in runs])
    content_runs = [load_content_run(r.folder) for r in runs]
    params, f1 = fit_content(content_runs, truths)
    per_video = {r.name: {"n_samples": int(r.sample_time.size)} for r in content_runs}
    summary = {"f1_mean_0.5_1_2": f1, "segmenter": "content", "content": params.to_dict()}
    return Fit(params.threshold, per_video, summary)


def _document(
    runs: Sequence[RunData], cfg: PipelineConfig, opts: CalibrateOptions, fit: Fit
) -> dict[str, Any]:
    seg, energy = cfg.segment, cfg.energy.model_dump(mode="json")
    energy.pop("batch_windows", None)
    supervised_run = opts.gt_dir is not None
    return {
        "schema": SCHEMA,
        "threshold": fit.threshold,
        "method": _method_name(seg.method, opts),
        "aggregate": opts.resolved_aggregate.value,
        "energy": energy,
        "sampling": {
            "target_fps": cfg.video.target_fps,
            "window_length": cfg.window.length,
            "stride": cfg.window.stride,
        },
        "segment_params": seg.model_dump(
            mode="json", exclude={"threshold", "threshold_method", "calibration", "calibration_key"}
        ),
        "checkpoint_sha256": _checkpoint_sha(runs),
        "label_spec": None if supervised_run else str(opts.label),
        "tolerance_s": opts.tolerance_s if supervised_run else None,
        "gt_dir": str(opts.gt_dir) if supervised_run else None,
        "summary": fit.summary,
        "per_video": fit.per_video,
        "videos": [r.source for r in runs],
        "created": now_iso(),
    }
