"""Energy-curve methods: calibrate thr_on on the train split, segment the test split.

Every energy method (learned, velocity, optical flow) goes through the pipeline's own
hysteresis segmenter and span-to-seconds mapping; only the curve and the calibration
differ. A threshold never sees test ground truth: supervised calibration sweeps the
train split's boundaries, pseudo-label calibration uses the train runs' velocity proxy.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from laps.calibrate.fit import CalibrateOptions, unsupervised
from laps.calibrate.run_data import RunData
from laps.calibrate.sweep import EnergyCurve, Truth, curve_segments, supervised_sweep
from laps.config import PipelineConfig
from laps.evaluate.boundaries import read_segments_json
from laps.evaluate.tracks import SegmentTrack
from laps.segment.functional import HysteresisParams

CALIBRATIONS = ("supervised", "pseudo_label")


@dataclass(frozen=True, slots=True)
class Calibrated:
    """A fitted thr_on and how it was fitted."""

    threshold: float
    method: str
    detail: dict[str, Any]


def truths_of(videos: Mapping[str, Any]) -> dict[str, Truth]:
    """Ground truth by stem from ``{stem: path to the ground-truth JSON}``."""
    return {stem: Truth(*read_segments_json(path)) for stem, path in videos.items()}


def segment_params(cfg: PipelineConfig, thr_on: float) -> HysteresisParams:
    """The run's state machine with ``thr_on``."""
    return HysteresisParams.from_config(cfg.segment, thr_on, cfg.window, cfg.video.target_fps)


def fit_supervised(
    curves: Sequence[EnergyCurve],
    truths: Mapping[str, Truth],
    cfg: PipelineConfig,
    tolerance_s: float,
) -> Calibrated:
    """The threshold with the best mean boundary F1 on the training curves."""
    params = segment_params(cfg, 1.0)
    sweep = supervised_sweep(
        curves, truths, params, hysteresis_ratio=cfg.segment.hysteresis_ratio,
        tolerance_s=tolerance_s,
    )  # fmt: skip
    k = sweep.joint()
    detail = {"train_f1_mean": float(sweep.f1[:, k].mean()), "tolerance_s": tolerance_s}
    return Calibrated(float(sweep.thresholds[k]), "supervised_boundary_f1", detail)


def fit_pseudo_label(runs: Sequence[RunData]) -> Calibrated:
    """The reference's calibration: Otsu on the velocity proxy -> best-F1 threshold, median."""
    fit = unsupervised(runs, CalibrateOptions())
    return Calibrated(fit.threshold, "pseudo_label_f1", dict(fit.summary))


def predict_track(curve: EnergyCurve, params: HysteresisParams) -> SegmentTrack:
    """Segments of one curve, in seconds as the pipeline gives them, energy as confidence."""
    segs = curve_segments(curve, params)
    conf = [s.energy_mean if np.isfinite(s.energy_mean) else 0.0 for s in segs]
    return SegmentTrack(
        segments=tuple((s.start_s, s.end_s) for s in segs),
        labels=None,
        confidences=tuple(conf),
        duration_s=curve.end_s,
        confidence_source="energy_mean",
    )
