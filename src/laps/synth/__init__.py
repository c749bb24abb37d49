"""Synthetic workstation videos with frame-level ground truth (docs/GENERATOR.md).

An articulated arm (or two) does assembly primitives on a textured bench, with a conveyor,
a passing colleague, flicker, shake, noise, blur, occlusion and H.264 compression; every
video comes with its segments, per-frame labels and parameters. The same seed gives the
same video.
"""

from __future__ import annotations

from laps.synth.config import (
    GENERATOR_VERSION,
    LABELS,
    NuisanceConfig,
    Preset,
    ScriptConfig,
    SynthConfig,
    View,
    make_config,
)
from laps.synth.generate import SynthResult, render_video
from laps.synth.oracle import hand_speed, threshold_boundaries
from laps.synth.render import FrameRenderer, RenderedFrame, frame_times, iter_frames
from laps.synth.suite import SUITE_VERSION, SuiteEntry, suite_entries, write_suite

__all__ = [
    "GENERATOR_VERSION",
    "LABELS",
    "SUITE_VERSION",
    "FrameRenderer",
    "NuisanceConfig",
    "Preset",
    "RenderedFrame",
    "ScriptConfig",
    "SuiteEntry",
    "SynthConfig",
    "SynthResult",
    "View",
    "frame_times",
    "hand_speed",
    "iter_frames",
    "make_config",
    "render_video",
    "suite_entries",
    "threshold_boundaries",
    "write_suite",
]
