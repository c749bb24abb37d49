"""Configuration of the per-window energy and its causal smoothing.

The window and gate configs moved to :mod:`laps.window.config` and :mod:`laps.gates.config`;
they are re-exported here so that existing imports keep working.
"""

from __future__ import annotations

from enum import StrEnum

from pydantic import Field

from laps._model import StageConfig
from laps.gates.config import GatesConfig, MotionGateConfig, PreGateConfig
from laps.window.config import WindowConfig

__all__ = [
    "EnergyConfig",
    "EnergyMode",
    "EnergySource",
    "GatesConfig",
    "MotionGateConfig",
    "PreGateConfig",
    "Smoothing",
    "WindowConfig",
]


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
