"""Configuration of the point tracker."""

from __future__ import annotations

from enum import StrEnum

from pydantic import Field

from laps._model import StageConfig


class TrackerBackend(StrEnum):
    """Available tracker backends."""

    DIS = "dis"
    LK = "lk"


class DisPreset(StrEnum):
    """OpenCV DIS optical-flow presets."""

    ULTRAFAST = "ultrafast"
    FAST = "fast"
    MEDIUM = "medium"


class TrackingConfig(StageConfig):
    """Grid point tracking with a forward-backward visibility check."""

    backend: TrackerBackend = Field(TrackerBackend.DIS, description="dis | lk")
    grid_size: int = Field(20, ge=2, le=100, description="grid is grid_size x grid_size points")
    dis_preset: DisPreset = Field(DisPreset.ULTRAFAST, description="DIS preset")
    lk_win_size: int = Field(21, ge=5, le=63, description="LK search window, px")
    lk_levels: int = Field(3, ge=0, le=6, description="LK pyramid levels")
    fb_threshold_px: float = Field(
        1.0, gt=0, description="forward-backward error above which a point is lost, px"
    )
    min_texture: float = Field(
        1e-4,
        ge=0,
        description="min eigenvalue of the structure tensor at a seed; below it: not visible",
    )
