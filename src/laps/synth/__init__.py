"""Synthetic workstation videos with frame-level ground truth (docs/GENERATOR.md).

An articulated arm (or two) does assembly primitives on a textured bench, with a conveyor,
a passing colleague, flicker, shake, noise, blur, occlusion and H.264 compression; every
video comes with its segments, per-frame labels and parameters. The same seed gives the
same video.
"""

from __future__ import annotations

from laps.synth.config import (
    ALL_LABELS,
    GENERATOR_VERSION,
    LABELS,
    NuisanceConfig,
    Preset,
    ScriptConfig,
    SynthConfig,
    VarietyConfig,
    View,
    make_config,
)
from laps.synth.generate import SynthResult, render_video
from laps.synth.kinematics import Kinematics
from laps.synth.oracle import hand_speed, threshold_boundaries, true_hand_speed
from laps.synth.render import FrameRenderer, RenderedFrame, frame_times, iter_frames
from laps.synth.suite import SUITE_VERSION, SUITES, SuiteEntry, suite_entries, write_suite

__all__ = [
    "ALL_LABELS",
    "GENERATOR_VERSION",
    "LABELS",
    "SUITES",
    "SUITE_VERSION",
    "FrameRenderer",
    "Kinematics",
    "NuisanceConfig",
    "Preset",
    "RenderedFrame",
    "ScriptConfig",
    "SuiteEntry",
    "SynthConfig",
    "SynthResult",
    "VarietyConfig",
    "View",
    "frame_times",
    "hand_speed",
    "iter_frames",
    "make_config",
    "render_video",
    "suite_entries",
    "threshold_boundaries",
    "true_hand_speed",
    "write_suite",
]
