"""Segment clips: exact frame-range cuts re-encoded with H.264, keeping real timestamps.

A clip holds source frames ``[start_frame, end_frame)`` (0-based, presentation order, the same
indices as ``Frame.index``), at source resolution (cropped by one pixel to even dimensions when
needed), with the source's timestamps rebased to 0 so it plays at the real speed (VFR kept).
Frames of a source with a display rotation are turned upright, like the processed frames.
Files are written under a hidden temporary name in the destination folder, then renamed.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

import av
import numpy as np
from av.container import InputContainer
from av.video.frame import VideoFrame
from numpy.typing import NDArray

from laps.errors import ExportError, LapsError
from laps.video.cut import FINE_TIME_BASE, cut_frames
from laps.video.index import FrameIndex, frame_index
from laps.video.rotation import upright_frames
from laps.video.writer import TimedFrame, Written, encode_atomic

logger = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class ClipInfo:
    """A written clip.

    Attributes:
        path: the clip file.
        n_frames: frames in the clip.
        start_s: source time of its first frame (seconds from the source's first frame).
        end_s: source time where its last frame ends.
        width: clip width, px (even).
        height: clip height, px (even).
    """

    path: Path
    n_frames: int
    start_s: float
    end_s: float
    width: int
    height: int


def write_clip(
    src: str | Path,
    dst: Path,
    start_frame: int,
    end_frame: int,
    *,
    crf: int = 23,
    preset: str = "veryfast",
) -> ClipInfo:
    """Cut source frames ``[start_frame, end_frame)`` of a video file into an H.264 clip.

    Decoding starts at the last keyframe before ``start_frame`` (found by a demux of the
    file's packet timestamps, cached per file), not at the file start.

    Args:
        src: the source video file.
        dst: the clip to write (``.mp4``; ``.mov`` also works).
        start_frame: first source frame index, inclusive.
        end_frame: last source frame index, exclusive.
        crf: x264 quality (lower is better).
        preset: x264 speed preset.

    Raises:
        ExportError: a bad range, an unreadable source, or a clip that cannot be written.
    """
    src, dst = Path(src), Path(dst)
    index, container = _open_range(src, dst, start_frame, end_frame)
    with container:
        stream = container.streams.video[0]
        items, time_base = cut_frames(container, stream, index, start_frame, end_frame)
        # Only x264's rate control sees the rate (timestamps decide playback); without an
        # average rate FFmpeg's guess is the time base's tick rate, e.g. 1000 fps.
        rate = Fraction(stream.average_rate or 30)
        size = (stream.codec_context.width, stream.codec_context.height)
        items, size = upright_frames(items, size)
        out = encode_atomic(
            dst, size, items, time_base=time_base, rate=rate, crf=crf, preset=preset
        )
    return _clip_info(dst, index, out, start_frame, end_frame)


def _clip_info(dst: Path, index: FrameIndex, out: Written, start: int, end: int) -> ClipInfo:
    if out.n_frames < end - start:
        msg = "clip %s: wrote %d of %d requested frames (the source is truncated or corrupt)"
        logger.warning(msg, dst, out.n_frames, end - start)
    if index.pts is not None:
        start_s, end_s = index.time_s(start), index.time_s(end)
    else:
        start_s, end_s = out.start_s or 0.0, out.end_s or 0.0
    return ClipInfo(dst, out.n_frames, start_s, end_s, out.width, out.height)


def _open_range(src: Path, dst: Path, start: int, end: int) -> tuple[FrameIndex, InputContainer]:
    """Check the range against the source; return its frame index and an open container."""
    if not 0 <= start < end:
        raise ExportError(
            f"clip {dst}: expected 0 <= start_frame < end_frame, got [{start}, {end}); pass a "
            "non-empty half-open source frame range"
        )
    try:
        index = frame_index(src)
    except (LapsError, OSError) as err:
        raise ExportError(f"cannot cut clip {dst} from {src}: {err}") from err
    if index.pts is not None and end > index.n_frames:
        raise ExportError(
            f"clip {dst}: frame range [{start}, {end}) is past the end of {src}, which has "
            f"{index.n_frames} frames; clamp end_frame to {index.n_frames}"
        )
    try:
        return index, av.open(str(src))
    except (av.error.FFmpegError, OSError) as err:
        raise ExportError(f"cannot cut clip {dst} from {src}: {err}") from err


def write_frames_clip(
    frames: Iterable[tuple[NDArray[np.uint8], float]],
    dst: Path,
    *,
    crf: int = 23,
    preset: str = "veryfast",
    fps: float = 30.0,
    end_s: float | None = None,
) -> ClipInfo:
    """Encode RGB frames with their presentation times into an H.264 clip (live sources).

    Args:
        frames: ``(rgb, time_s)`` pairs, rgb (H, W, 3) uint8, times increasing (any origin;
            the clip starts at the first frame's time).
        dst: the clip to write.
        crf: x264 quality.
        preset: x264 speed preset.
        fps: nominal rate for the encoder's rate control (the timestamps decide playback);
            0 or less means unknown (30 is assumed).
        end_s: when the last frame ends; default: its time plus the previous frame interval.

    Raises:
        ExportError: no frames, frames of the wrong shape, or a clip that cannot be written.
    """
    dst = Path(dst)
    it = iter(frames)
    first = next(it, None)
    if first is None:
        raise ExportError(f"no frames to write to {dst}; pass at least one (rgb, time_s) pair")
    shape = _check_rgb(first[0], dst, None)
    fps = fps if fps > 0 else 30.0  # unknown rate: it only sizes a lone frame and rate control
    items = _timed(first, it, dst=dst, end_s=end_s, fps=fps)
    rate, size, tb = Fraction(fps).limit_denominator(1001), (shape[1], shape[0]), FINE_TIME_BASE
    out = encode_atomic(dst, size, items, time_base=tb, rate=rate, crf=crf, preset=preset)
    start_s = float(first[1])
    return ClipInfo(dst, out.n_frames, start_s, out.end_s or start_s, out.width, out.height)


def _check_rgb(img: NDArray[np.uint8], dst: Path, shape: tuple[int, ...] | None) -> tuple[int, ...]:
    ok = img.ndim == 3 and img.shape[2] == 3 and img.dtype == np.uint8
    if not ok or (shape is not None and img.shape != shape):
        want = "(H, W, 3)" if shape is None else f"{shape} like the first frame"
        raise ExportError(
            f"clip {dst}: expected RGB uint8 frames of shape {want}, got {img.shape} "
            f"{img.dtype}; pass Frame.color images (open the source with keep_color=True)"
        )
    return tuple(img.shape)


def _timed(
    first: tuple[NDArray[np.uint8], float],
    rest: Iterator[tuple[NDArray[np.uint8], float]],
    *,
    dst: Path,
    end_s: float | None,
    fps: float,
) -> Iterator[TimedFrame]:
    """Hold one frame back so that each frame's duration is known when it is encoded."""
    shape, tb, t0 = first[0].shape, FINE_TIME_BASE, float(first[1])
    held, held_pts, held_t = first[0], 0, t0
    dur = round(1 / (fps * tb))
    for img, t in rest:
        _check_rgb(img, dst, shape)
        pts = max(round((float(t) - t0) / tb), held_pts + 1)  # keep pts strictly increasing
        dur = pts - held_pts
        yield TimedFrame(_to_frame(held), held_pts, dur, held_t, float(t))
        held, held_pts, held_t = img, pts, float(t)
    if end_s is not None:
        dur = max(round((end_s - held_t) / tb), 1)
    yield TimedFrame(_to_frame(held), held_pts, dur, held_t, held_t + float(dur * tb))


def _to_frame(rgb: NDArray[np.uint8]) -> VideoFrame:
    return VideoFrame.from_ndarray(np.ascontiguousarray(rgb), format="rgb24")
