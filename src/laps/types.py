"""Typed data at the stage boundaries, and the project's one time convention.

Conventions, used everywhere:

* Frame indices are 0-based **source** frame numbers (decode order of the input), never
  indices into the resampled stream. Sampled-frame indices are called ``sample``.
* Ranges are half-open ``[start, end)``.
* Seconds come from real presentation timestamps of the source, never from ``index / fps``.
* Point coordinates are ``(x, y)`` in pixels of the processing frame (after resize); the
  grid's point order is row-major, ``n = row * grid_size + col`` (x varies fastest).

Shape letters: T frames per window, N points, D latent width, L tokens (= T - 1).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import NamedTuple

import numpy as np
from numpy.typing import NDArray


def _check_shape(name: str, arr: NDArray[np.generic], shape: tuple[int | None, ...]) -> None:
    ok = arr.ndim == len(shape) and all(
        s is None or s == a for s, a in zip(shape, arr.shape, strict=False)
    )
    if not ok:
        want = "(" + ", ".join("*" if s is None else str(s) for s in shape) + ")"
        raise ValueError(f"{name}: expected shape {want}, got {tuple(arr.shape)}")


@dataclass(frozen=True, slots=True)
class Frame:
    """One resampled frame, ready for tracking.

    Attributes:
        sample: index in the resampled stream (0, 1, 2, ...).
        index: source frame index of the decoded frame this sample took.
        time_s: presentation time of that source frame, seconds from the stream start.
        image: (H, W) uint8 grayscale at processing resolution.
        arrival_s: ``time.monotonic()`` when the frame became available to the pipeline.
        color: optional (H0, W0, 3) uint8 RGB at source resolution (live clip recording).
    """

    sample: int
    index: int
    time_s: float
    image: NDArray[np.uint8]
    arrival_s: float
    color: NDArray[np.uint8] | None = None

    def __post_init__(self) -> None:
        _check_shape("Frame.image", self.image, (None, None))
        if self.image.dtype != np.uint8:
            raise ValueError(f"Frame.image: expected dtype uint8, got {self.image.dtype}")


@dataclass(frozen=True, slots=True)
class SourceInfo:
    """What is known about a source before its frames are read.

    ``width`` and ``height`` are as displayed (after the display rotation).
    """

    uri: str  # path or URL with credentials removed
    kind: str  # "file" | "camera" | "stream"
    width: int  # source resolution as displayed, px
    height: int
    fps: float  # nominal frame rate (0.0 if unknown)
    duration_s: float | None  # None for live sources
    n_frames: int | None  # from the container, may be missing or wrong
    codec: str
    live: bool  # frames arrive at their real rate
    # Counterclockwise quarter turn the display matrix asks for (0, 90, 180, 270); frames,
    # width and height are given as displayed, i.e. already turned.
    rotation_deg: int = 0


class WindowStatus(StrEnum):
    """What happened to a window. Every window gets exactly one status."""

    OK = "ok"
    PRE_GATED = "pre_gated"  # static pixels: energy 0, no motion gate, not encoded
    MOTION_GATED = "motion_gated"  # tracked, too little motion: energy 0 (except velocity)
    FAILED = "failed"  # an exception in tracking or energy: recorded, energy None


@dataclass(frozen=True, slots=True)
class Window:
    """T consecutive sampled frames with the grid's tracks.

    Attributes:
        index: window number w; it covers samples ``[w * stride, w * stride + T)``.
        samples: (T,) sampled-frame indices.
        frame_indices: (T,) int64 source frame indices.
        times_s: (T,) float64 source presentation times.
        tracks: (T, N, 2) float32 (x, y) pixels of the processing frame.
        visible: (T, N) bool; False once a point is lost (sticky within the window).
        velocities: (T-1, N, 2) float32, ``(tracks[t+1] - tracks[t]) / velocity_scale_px``,
            zero where either end is not visible.
        velocity_scale_px: the normalisation divisor, recorded with every window.
        frame_size_wh: (W, H) of the processing frame.
        available_s: monotonic time the window's last frame became available.
    """

    index: int
    samples: NDArray[np.int64]
    frame_indices: NDArray[np.int64]
    times_s: NDArray[np.float64]
    tracks: NDArray[np.float32]
    visible: NDArray[np.bool_]
    velocities: NDArray[np.float32]
    velocity_scale_px: float
    frame_size_wh: tuple[int, int]
    available_s: float

    def __post_init__(self) -> None:
        t = self.samples.shape[0]
        n = self.tracks.shape[1] if self.tracks.ndim == 3 else -1
        _check_shape("Window.frame_indices", self.frame_indices, (t,))
        _check_shape("Window.times_s", self.times_s, (t,))
        _check_shape("Window.tracks", self.tracks, (t, None, 2))
        _check_shape("Window.visible", self.visible, (t, n))
        _check_shape("Window.velocities", self.velocities, (t - 1, n, 2))

    @property
    def n_frames(self) -> int:
        """T, the number of frames in the window."""
        return int(self.samples.shape[0])


class Latents(NamedTuple):
    """What a motion tokenizer returns for one window."""

    prequant: NDArray[np.float32]  # (L, D) before quantisation
    quantized: NDArray[np.float32]  # (L, D) after quantisation
    codes: NDArray[np.int64]  # (L,) codebook indices


@dataclass(frozen=True, slots=True)
class SegmentSpan:
    """A segment in window and sample units, as the segmenter decides it.

    ``[start_window, end_window)`` are the windows whose energy formed the segment;
    ``[start_sample, end_sample)`` the sampled frames it covers after alignment.
    ``label`` is what the segmenter says the span is (``idle`` / ``active``), if anything.
    """

    start_window: int
    end_window: int
    start_sample: int
    end_sample: int
    label: str | None = None

    def __post_init__(self) -> None:
        if not (self.start_window < self.end_window and self.start_sample < self.end_sample):
            raise ValueError(f"SegmentSpan: expected non-empty half-open ranges, got {self}")


@dataclass(frozen=True, slots=True)
class Segment:
    """A finished segment in source frames and seconds (half-open)."""

    id: int
    start_frame: int
    end_frame: int
    start_s: float
    end_s: float
    start_window: int
    end_window: int
    start_sample: int  # sampled frames covered, half-open
    end_sample: int
    energy_mean: float
    energy_max: float
    codes: list[list[int]] = field(default_factory=list)
    label: str | None = None  # idle / active when the segmenter says

    @property
    def duration_s(self) -> float:
        """Length in seconds."""
        return self.end_s - self.start_s
