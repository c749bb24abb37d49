"""Parameters of the hysteresis segmenter in window units (see ``laps.segment.functional``)."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from laps.energy.config import WindowConfig
from laps.errors import ConfigError
from laps.segment.config import Align, SegmentConfig


@dataclass(frozen=True, slots=True)
class HysteresisParams:
    """Parameters of the state machine, in window units.

    Attributes:
        thr_on: a window with energy >= thr_on is positive.
        thr_off: a window with energy < thr_off is negative (thr_off <= thr_on).
        up_count: positive windows in a row to start.
        down_count: negative windows in a row to end.
        cooldown_windows: cooldown set after an end (decremented before each start test).
        min_len_windows: shorter spans are discarded.
        max_windows: force an end at this span length; 0 = off.
        align: where in its first window a span's samples start.
        window_length: T, samples per window.
        stride: samples between window starts.
    """

    thr_on: float
    thr_off: float
    up_count: int = 2
    down_count: int = 2
    cooldown_windows: int = 1
    min_len_windows: int = 2
    max_windows: int = 0
    align: Align = Align.CENTER
    window_length: int = 16
    stride: int = 4

    def __post_init__(self) -> None:
        if not (math.isfinite(self.thr_on) and math.isfinite(self.thr_off)):
            raise ConfigError(
                f"segment thresholds: expected finite numbers, got thr_on={self.thr_on}, "
                f"thr_off={self.thr_off}; set segment.threshold or recalibrate"
            )
        if self.thr_off > self.thr_on:
            raise ConfigError(
                f"segment thresholds: expected thr_off <= thr_on, got thr_off={self.thr_off} > "
                f"thr_on={self.thr_on}; use a threshold >= 0 and hysteresis_ratio <= 1"
            )
        _check_int("segment.up_count", self.up_count, 1)
        _check_int("segment.down_count", self.down_count, 1)
        _check_int("segment.cooldown_windows", self.cooldown_windows, 0)
        _check_int("segment.min_len_windows", self.min_len_windows, 1)
        _check_int("max duration (windows)", self.max_windows, 0)
        _check_int("window.length", self.window_length, 1)
        _check_int("window.stride", self.stride, 1)
        if self.stride > self.window_length:
            raise ConfigError(
                f"window.stride: expected <= window.length ({self.window_length}), got "
                f"{self.stride}; lower window.stride"
            )
        try:
            object.__setattr__(self, "align", Align(self.align))
        except ValueError:
            valid = ", ".join(a.value for a in Align)
            raise ConfigError(
                f"segment.align: expected one of {valid}, got {self.align!r}; fix segment.align"
            ) from None

    @classmethod
    def from_config(
        cls, cfg: SegmentConfig, thr_on: float, window: WindowConfig, target_fps: float
    ) -> HysteresisParams:
        """Parameters from the stage configs and a resolved threshold.

        Args:
            cfg: segment configuration.
            thr_on: the resolved on-threshold; ``thr_off = cfg.hysteresis_ratio * thr_on``.
            window: window length and stride (samples).
            target_fps: sampled frames per second, turns ``max_duration_seconds`` into
                ``max(1, round(seconds * target_fps / stride))`` windows.

        Returns:
            The validated parameters.
        """
        if not (math.isfinite(target_fps) and target_fps > 0):
            raise ConfigError(
                f"video.target_fps: expected a finite number > 0, got {target_fps}; fix it"
            )
        max_windows = 0
        if cfg.max_duration_seconds > 0:
            max_windows = max(1, round(cfg.max_duration_seconds * target_fps / window.stride))
        return cls(
            thr_on=float(thr_on),
            thr_off=float(cfg.hysteresis_ratio * thr_on),
            up_count=cfg.up_count,
            down_count=cfg.down_count,
            cooldown_windows=cfg.cooldown_windows,
            min_len_windows=cfg.min_len_windows,
            max_windows=max_windows,
            align=cfg.align,
            window_length=window.length,
            stride=window.stride,
        )


def _check_int(name: str, value: int, low: int) -> None:
    if isinstance(value, bool) or not isinstance(value, int | np.integer) or value < low:
        raise ConfigError(f"{name}: expected an integer >= {low}, got {value!r}; fix {name}")
