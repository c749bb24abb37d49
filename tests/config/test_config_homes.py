"""The window and gate configs live in their own stage modules; old imports keep working."""

from __future__ import annotations

import pytest

import laps.energy.config as energy_config
from laps.config import PipelineConfig, build_config
from laps.errors import ConfigError
from laps.gates.config import GatesConfig, MotionGateConfig, PreGateConfig
from laps.window.config import WindowConfig


def test_the_energy_module_re_exports_them() -> None:
    assert energy_config.WindowConfig is WindowConfig
    assert energy_config.GatesConfig is GatesConfig
    assert energy_config.PreGateConfig is PreGateConfig
    assert energy_config.MotionGateConfig is MotionGateConfig


def test_the_pipeline_config_composes_them() -> None:
    cfg = PipelineConfig()
    assert isinstance(cfg.window, WindowConfig) and isinstance(cfg.gates, GatesConfig)
    assert not cfg.gates.pre_gate.enabled and not cfg.gates.motion_gate.enabled


def test_the_window_stride_must_fit() -> None:
    with pytest.raises(ConfigError, match=r"window.stride \(9\) must be <= window.length \(8\)"):
        build_config({"window": {"length": 8, "stride": 9}})
