"""Configuration of what is written per video."""

from __future__ import annotations

from pydantic import Field

from laps._model import StageConfig
from laps.export.run_folder import ENERGY_PLOT, LATENTS


class ExportConfig(StageConfig):
    """Outputs beside the always-written manifest, windows, segments and perf summary."""

    clips: bool = Field(True, description="write one H.264 clip per segment")
    idle_clips: bool = Field(
        False, description="also clips and latents of segments labelled idle (content method)"
    )
    clip_crf: int = Field(23, ge=0, le=51, description="x264 quality of clips (lower = better)")
    clip_preset: str = Field("veryfast", description="x264 speed preset of clips")
    energy_plot: bool = Field(True, description=f"write {ENERGY_PLOT}")
    codes_min_overlap_ratio: float = Field(
        0.25,
        gt=0,
        le=1,
        description="a window's codes join a segment when this share of it overlaps",
    )
    latents: bool = Field(False, description=f"write quantized vectors per segment to {LATENTS}")
