"""What is known about an opened source before reading: displayed size, rotation, rate."""

from __future__ import annotations

import logging
from pathlib import Path

import numpy as np
from av.container import InputContainer
from av.video.stream import VideoStream

from laps.errors import LapsError
from laps.types import SourceInfo
from laps.video.index import frame_index
from laps.video.rotation import displayed_size, probe_rotation
from laps.video.spec import ParsedSpec, SpecKind

logger = logging.getLogger(__name__)


def source_info(
    container: InputContainer, stream: VideoStream, parsed: ParsedSpec, live: bool
) -> SourceInfo:
    """The :class:`SourceInfo` of an opened source (files are probed for rotation and rate)."""
    ctx = stream.codec_context
    is_file = parsed.kind is SpecKind.FILE
    duration_s: float | None = None
    if is_file and stream.duration and stream.time_base:
        duration_s = float(stream.duration * stream.time_base)
    elif is_file and container.duration:
        duration_s = container.duration / 1e6
    rotation = probe_rotation(parsed.target) if is_file else 0
    width, height = displayed_size(int(ctx.width), int(ctx.height), rotation)
    return SourceInfo(
        uri=parsed.display,
        kind=parsed.kind.value,
        width=width,
        height=height,
        fps=nominal_fps(stream, parsed),
        duration_s=duration_s,
        n_frames=(stream.frames or None) if is_file else None,
        codec=ctx.name,
        live=live,
        rotation_deg=rotation,
    )


def nominal_fps(stream: VideoStream, parsed: ParsedSpec) -> float:
    """The stream's average frame rate; for a file without one, measured from its timestamps.

    Frames are sampled by their timestamps, so the rate is informative only (manifest,
    frames without timing). Without an average rate FFmpeg's guess falls back to the time
    base (1000 fps for a Matroska file), which is not a frame rate: it is used only when it
    is below the time base's rate. 0.0 means unknown.
    """
    if stream.average_rate:
        return float(stream.average_rate)
    measured = _measured_fps(parsed.target) if parsed.kind is SpecKind.FILE else 0.0
    guessed = stream.guessed_rate
    tick_rate = 1 / stream.time_base if stream.time_base else None
    if not measured and guessed and guessed != tick_rate:
        measured = float(guessed)
    how = f"measured {measured:.3g} fps from its timestamps" if measured else "rate unknown"
    logger.warning(
        "%s: the container reports no frame rate (%s); frames are sampled by their timestamps",
        parsed.display,
        how,
    )
    return measured


def _measured_fps(path: str | Path) -> float:
    """1 / the median gap between consecutive frame timestamps (0.0 without timestamps)."""
    try:
        index = frame_index(path)
    except (LapsError, OSError) as err:
        logger.debug("%s: cannot index the frame timestamps: %s", path, err)
        return 0.0
    if index.pts is None or index.pts.size < 2:
        return 0.0
    gaps = np.diff(index.pts)
    gaps = gaps[gaps > 0]
    if gaps.size == 0:
        return 0.0
    return round(1.0 / (float(np.median(gaps)) * float(index.time_base)), 3)
