"""Configuration of the point tracker."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path

from pydantic import Field

from laps._model import StageConfig


class TrackerBackend(StrEnum):
    """Available tracker backends."""

    DIS = "dis"
    LK = "lk"
    COTRACKER = "cotracker"


class DisPreset(StrEnum):
    """OpenCV DIS optical-flow presets."""

    ULTRAFAST = "ultrafast"
    FAST = "fast"
    MEDIUM = "medium"


class CoTrackerMode(StrEnum):
    """How the CoTracker3-online backend maps its tracks onto the windows."""

    ONLINE = "online"
    PER_WINDOW = "per-window"


class CoTrackerConfig(StageConfig):
    """The optional CoTracker3-online backend: a user's clone of its repo and checkpoint."""

    repo: Path | None = Field(
        None, description="local clone of github.com/facebookresearch/co-tracker (has hubconf.py)"
    )
    checkpoint: Path | None = Field(
        None, description="CoTracker3 online weights file (scaled_online.pth); never downloaded"
    )
    mode: CoTrackerMode = Field(
        CoTrackerMode.ONLINE,
        description=(
            "online: one grid carried through the stream in the model's own steps; "
            "per-window: each window tracked from scratch (the reference LAPS, for comparison)"
        ),
    )
    device: str = Field("auto", pattern="^(auto|cpu|cuda)$", description="auto | cpu | cuda")
    reseed_lost_fraction: float = Field(
        0.05,
        ge=0,
        le=1,
        description=(
            "online: re-seed the carried grid at the next model step once this fraction of its "
            "points is lost (lost points restart at their grid cell); 0 re-seeds on any loss"
        ),
    )
    max_steps_per_seed: int = Field(
        32,
        ge=1,
        le=4096,
        description=(
            "online: re-seed at least every this many model steps; bounds the model's online "
            "history, which grows with every step"
        ),
    )


class TrackingConfig(StageConfig):
    """Grid point tracking with a forward-backward visibility check."""

    backend: TrackerBackend = Field(TrackerBackend.DIS, description="dis | lk | cotracker")
    grid_size: int = Field(20, ge=2, le=100, description="grid is grid_size x grid_size points")
    dis_preset: DisPreset = Field(DisPreset.ULTRAFAST, description="DIS preset")
    dis_finest_scale: int | None = Field(
        None,
        ge=0,
        le=5,
        description=(
            "DIS finest pyramid level (0 = full resolution); None keeps the preset's "
            "(ultrafast: 2). 1 with ultrafast is ~3x more accurate at ~3x the cost"
        ),
    )
    lk_win_size: int = Field(21, ge=5, le=63, description="LK search window, px")
    lk_levels: int = Field(3, ge=0, le=6, description="LK pyramid levels")
    fb_threshold_px: float = Field(
        1.0, gt=0, description="forward-backward error above which a point is lost, px"
    )
    min_texture: float = Field(
        1.0,
        ge=0,
        description=(
            "min eigenvalue of the block-mean structure tensor at a seed, (grey levels/px)^2 "
            "of the 8-bit frame; below it the seed is not visible (0 disables the check)"
        ),
    )
    texture_block_px: int = Field(
        7, ge=2, le=31, description="side of the block the structure tensor is averaged over, px"
    )
    cotracker: CoTrackerConfig = Field(
        default_factory=CoTrackerConfig, description="the cotracker backend (optional, GPU)"
    )
