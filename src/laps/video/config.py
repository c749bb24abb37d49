"""Configuration of video input: sampling, resizing, pacing."""

from __future__ import annotations

from enum import StrEnum

from pydantic import Field, model_validator

from laps._model import StageConfig


class Pacing(StrEnum):
    """How frames are fed to the pipeline."""

    AUTO = "auto"  # offline for files, live for cameras and streams
    OFFLINE = "offline"  # as fast as possible
    LIVE = "live"  # frames arrive at their real rate (a file is replayed in real time)


class VideoConfig(StageConfig):
    """Decoding, time-based resampling and resizing."""

    target_fps: float = Field(10.0, gt=0, le=240, description="sampled frames per second")
    resize_shorter: int = Field(
        320, ge=32, le=4320, description="short side of processing frames, px"
    )
    pacing: Pacing = Field(Pacing.AUTO, description="offline | live | auto")
    extensions: tuple[str, ...] = Field(
        (".mp4", ".mov", ".avi", ".mkv", ".webm", ".m4v"),
        description="file extensions picked up in folders",
    )
    recursive: bool = Field(True, description="descend into sub-folders of a folder input")
    decode_threads: int = Field(0, ge=0, le=64, description="decoder threads (0 = auto)")
    open_timeout_s: float = Field(10.0, gt=0, description="timeout to open a stream, s")
    read_timeout_s: float = Field(5.0, gt=0, description="timeout of one stream read, s")
    queue_frames: int = Field(
        32, ge=1, le=1024, description="bounded decode-ahead queue, sampled frames"
    )
    reconnect_attempts: int = Field(
        5,
        ge=0,
        le=1000,
        description="reopen attempts after a live camera or stream ends or fails (0: no "
        "reconnect, the run ends there); files are never reopened",
    )
    reconnect_backoff_s: float = Field(
        0.5, gt=0, le=60, description="wait before the first reopen attempt, doubled per try, s"
    )
    reconnect_max_backoff_s: float = Field(
        8.0, gt=0, le=600, description="longest wait between two reopen attempts, s"
    )

    @model_validator(mode="after")
    def _backoff_order(self) -> VideoConfig:
        if self.reconnect_max_backoff_s < self.reconnect_backoff_s:
            raise ValueError(
                f"video.reconnect_max_backoff_s ({self.reconnect_max_backoff_s:g}) must be >= "
                f"video.reconnect_backoff_s ({self.reconnect_backoff_s:g})"
            )
        return self
