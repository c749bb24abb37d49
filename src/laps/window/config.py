"""Configuration of the windows: T sampled frames every ``stride`` sampled frames.

Shared by the stream (``laps.window.builder``), the segmenters' durations
(``laps.segment.params``) and the baselines (``laps.evaluate.baselines``).
"""

from __future__ import annotations

from pydantic import Field, model_validator

from laps._model import StageConfig


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
