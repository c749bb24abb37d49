"""Configuration of the static-window gates (the functions are in :mod:`laps.energy.gates`).

The pre-gate looks at a window's pixels, the motion gate at its tracked velocities; both are
off by default.
"""

from __future__ import annotations

from pydantic import Field

from laps._model import StageConfig


class PreGateConfig(StageConfig):
    """Pixel-difference gate on a window's frames, decided after the window is tracked.

    A window whose pixels are static gets energy 0 (outcome ``pre_gated``) and skips the
    motion gate and the tokenizer. It does not skip tracking: the tracker follows every frame
    pair of the stream whatever the gate decides, so the gate saves encoder time only.

    Off by default: with the reference's thresholds it dropped every window of the
    workstation suite, where hands cover under 5 % of the pixels (docs/ACCURACY.md).
    """

    enabled: bool = Field(
        False, description="energy 0, no motion gate, no tokenizer for windows with static pixels"
    )
    resize_shorter: int = Field(128, ge=16, description="short side the gate looks at, px")
    pixel_diff_thr: float = Field(0.02, ge=0, le=1, description="|diff|/255 of an active pixel")
    mad_thr: float = Field(0.005, ge=0, le=1, description="mean abs difference below: static")
    min_active_ratio: float = Field(
        0.05, ge=0, le=1, description="active pixel share below: static"
    )


class MotionGateConfig(StageConfig):
    """Velocity gate on a window's normalised velocities, after tracking (off by default)."""

    enabled: bool = Field(False, description="zero the energy of windows with little motion")
    vel_norm_thr: float = Field(0.02, ge=0, description="mean |v| (normalised) below: static")
    min_active_ratio: float = Field(
        0.025, ge=0, le=1, description="share of |v| above vel_norm_thr below: static"
    )


class GatesConfig(StageConfig):
    """Both gates."""

    pre_gate: PreGateConfig = Field(default_factory=PreGateConfig)
    motion_gate: MotionGateConfig = Field(default_factory=MotionGateConfig)
