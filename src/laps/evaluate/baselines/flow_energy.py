"""The optical-flow energy baseline: our smoother and hysteresis segmenter on mean |flow|.

As the reference's "optical flow" row (and its "w/o M_theta" ablation), but on our windows:
the per-window energy is the mean normalised |flow| over the window's pairs
(:attr:`MotionFeatures.flow_energy`), smoothed (EMA 0.7 as the reference), thresholded at
``segment.threshold`` (Otsu over the video's windows when None, or a calibration file) and
segmented by :func:`laps.segment.functional.segment_energy`. Spans map to seconds exactly
as the pipeline maps them (``laps.pipeline.spans``): sample ``a`` starts at its time, and an
end sample past the last one ends at the video's end.
"""

from __future__ import annotations

import numpy as np

from laps.energy.functional import smooth
from laps.evaluate.baselines.config import FlowEnergyConfig
from laps.evaluate.baselines.motion import MotionFeatures
from laps.evaluate.baselines.prediction import PredictedSegment
from laps.segment.config import ThresholdMethod
from laps.segment.functional import HysteresisParams, segment_energy
from laps.segment.threshold import read_calibration, threshold_from_energies
from laps.types import SegmentSpan
from laps.window.config import WindowConfig


def flow_energy_threshold(energy: np.ndarray, cfg: FlowEnergyConfig) -> float:
    """thr_on: the configured value, a calibration file's, or Otsu over ``energy``."""
    seg = cfg.segment
    if seg.threshold is not None:
        return float(seg.threshold)
    if seg.threshold_method is ThresholdMethod.CALIBRATION and seg.calibration is not None:
        return read_calibration(seg.calibration, seg.calibration_key)
    return threshold_from_energies(energy)


def flow_energy_segments(
    features: MotionFeatures, cfg: FlowEnergyConfig, target_fps: float, label: str = "motion"
) -> tuple[list[PredictedSegment], float]:
    """Segments of motion (not a tiling: still stretches are left out) and the thr_on used.

    ``target_fps`` (the sampled rate) turns ``segment.max_duration_seconds`` into windows.
    """
    energy = smooth(features.flow_energy, cfg.smoothing, cfg.alpha, cfg.ma_window)
    thr = flow_energy_threshold(energy, cfg)
    window = WindowConfig(length=features.window_length, stride=features.stride)
    params = HysteresisParams.from_config(cfg.segment, thr, window, target_fps)
    spans = segment_energy(energy, params)
    return [_to_seconds(s, features, label) for s in spans], thr


def _to_seconds(span: SegmentSpan, f: MotionFeatures, label: str) -> PredictedSegment:
    times = f.sample_times
    end = float(times[span.end_sample]) if span.end_sample < times.size else f.duration_s
    return PredictedSegment(float(times[span.start_sample]), end, label)
