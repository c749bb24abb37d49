"""laps.gates: configuration of the static-window gates (functions: laps.energy.gates)."""

from laps.gates.config import GatesConfig, MotionGateConfig, PreGateConfig

__all__ = ["GatesConfig", "MotionGateConfig", "PreGateConfig"]
