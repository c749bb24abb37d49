"""Configuration of windows, per-window energy and causal smoothing."""

from __future__ import annotations

from enum import StrEnum

from pydantic import Field, model_validator

from laps._model import StageConfig


class EnergySource(StrEnum):
    """Which per-window signal the energy is computed from (reference section 3.5)."""

    VELOCITY = "velocity"
    PREQUANT = "prequant"
    QUANTIZED = "quantized"


class EnergyMode(StrEnum):
    """How a window's token sequence becomes one number."""

    L2_MEAN = "l2_mean"
    TOKEN_DIFF_L2_MEAN = "token_diff_l2_mean"


class Smoothing(StrEnum):
    """Causal smoothing of the energy series."""

    NONE = "none"
    EMA = "ema"
    MA = "ma"


class WindowConfig(StageConfig):
    """Windows of T sampled frames every stride sampled frames."""

    length: int = Field(16, ge=2, le=512, description="T, frames per window")
    stride: int = Field(4, ge=1, le=512, description="sampled frames between window starts")

    @model_validator(mode="after")
    def _stride_fits(self) -> WindowConfig:
        if self.stride > self.length:
            raise ValueError(
                f"window.stride ({self.stride}) must be <= window.length ({self.length}); "
                "a larger stride would leave frames in no window"
            )
        return self


class EnergyConfig(StageConfig):
    """Per-window energy and its causal smoothing."""

    source: EnergySource = Field(EnergySource.VELOCITY, description="velocity|prequant|quantized")
    mode: EnergyMode = Field(EnergyMode.TOKEN_DIFF_L2_MEAN, description="reduction over tokens")
    smoothing: Smoothing = Field(Smoothing.EMA, description="none | ema | ma")
    alpha: float = Field(0.7, gt=0, le=1, description="EMA weight of the newest value")
    ma_window: int = Field(3, ge=1, le=1000, description="causal moving-average length, windows")
    use_smoothed: bool = Field(True, description="segment on the smoothed energy (else raw)")
    batch_windows: int = Field(
        32, ge=1, le=4096, description="offline: windows encoded together by the tokenizer"
    )


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
