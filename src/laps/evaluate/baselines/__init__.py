"""Baselines scored beside LAPS: periodic cuts, optical-flow energy, ABD and TW-FINCH.

Every feature-based baseline runs on the pipeline's own sampled frames and windows
(:func:`motion_features`), and every method writes the ground-truth JSON layout
(:func:`run_baseline`), so the evaluator scores all of them the same way.
"""

from laps.evaluate.baselines.abd import abd_boundaries
from laps.evaluate.baselines.config import (
    AbdConfig,
    BaselinesConfig,
    FlowEnergyConfig,
    FlowFeatureConfig,
    MotionConfig,
    PeriodicConfig,
    TwFinchConfig,
)
from laps.evaluate.baselines.flow_energy import flow_energy_segments
from laps.evaluate.baselines.motion import MotionFeatures, motion_features
from laps.evaluate.baselines.periodic import periodic_segments
from laps.evaluate.baselines.prediction import (
    PredictedSegment,
    Prediction,
    cuts_to_labels,
    labels_to_segments,
)
from laps.evaluate.baselines.runner import METHODS, predict, run_baseline
from laps.evaluate.baselines.twfinch import twfinch_labels

__all__ = [
    "METHODS",
    "AbdConfig",
    "BaselinesConfig",
    "FlowEnergyConfig",
    "FlowFeatureConfig",
    "MotionConfig",
    "MotionFeatures",
    "PeriodicConfig",
    "PredictedSegment",
    "Prediction",
    "TwFinchConfig",
    "abd_boundaries",
    "cuts_to_labels",
    "flow_energy_segments",
    "labels_to_segments",
    "motion_features",
    "periodic_segments",
    "predict",
    "run_baseline",
    "twfinch_labels",
]
