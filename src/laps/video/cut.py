"""Decode exactly the source frames ``[start, end)`` of a file, starting near a keyframe."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from fractions import Fraction

import av
import numpy as np
from av.container import InputContainer
from av.video.frame import VideoFrame
from av.video.stream import VideoStream
from numpy.typing import NDArray

from laps.video.clock import FrameClock, clock_from_dts
from laps.video.index import FrameIndex
from laps.video.writer import TimedFrame

logger = logging.getLogger(__name__)

FINE_TIME_BASE = Fraction(1, 90000)  # for frames whose times come as float seconds


def decode_forward(container: InputContainer, stream: VideoStream) -> Iterator[VideoFrame]:
    """Decode from the current position to the end, skipping packets that fail to decode."""
    for packet in container.demux(stream):
        try:
            yield from stream.codec_context.decode(packet)
        except av.error.EOFError:
            return
        except av.error.InvalidDataError as err:
            logger.debug("bad packet skipped: %s", err.strerror)


def cut_frames(
    container: InputContainer, stream: VideoStream, index: FrameIndex, start: int, end: int
) -> tuple[Iterator[TimedFrame], Fraction]:
    """The frames ``[start, end)`` with pts rebased to 0, and the time base of those pts.

    With packet timestamps (``index.pts``), seek to the last keyframe at or before the start
    frame and decode forward; without them, decode from the file start and count frames.
    """
    if index.pts is None:
        return _count_cut(container, stream, start, end), FINE_TIME_BASE
    return _pts_cut(container, stream, index, start, end), index.time_base


def _pts_cut(
    container: InputContainer, stream: VideoStream, index: FrameIndex, start: int, end: int
) -> Iterator[TimedFrame]:
    pts_all = index.pts
    if pts_all is None:
        return
    p0, p_start = int(pts_all[0]), int(pts_all[start])
    p_end = int(pts_all[end]) if end < pts_all.size else None
    seeks = list(
        dict.fromkeys(d for d in (index.seek_pts(start), index.seek_pts(0)) if d is not None)
    )
    for n, target in enumerate(seeks or [None]):
        if target is not None:
            container.seek(target, stream=stream, backward=True)
        can_retry, missed = n + 1 < len(seeks), False
        for frame in decode_forward(container, stream):
            pts = frame.pts
            if pts is None or pts < p_start:
                continue
            if p_end is not None and pts >= p_end:
                return
            if pts > p_start and can_retry:
                missed = True  # the seek landed after the start frame: go back further
                break
            can_retry = False
            dur = _duration(pts_all, pts, int(frame.duration or 0))
            t = float((pts - p0) * index.time_base)
            yield TimedFrame(frame, pts - p_start, dur, t, t + float(dur * index.time_base))
        if not missed:
            return
        logger.debug("seek to pts %s missed frame %d; seeking to the first keyframe", target, start)


def _duration(pts_all: NDArray[np.int64], pts: int, fallback: int) -> int:
    """Time to the next frame's pts (packet durations are unreliable with B-frames)."""
    i = int(np.searchsorted(pts_all, pts, side="right"))
    return int(pts_all[i]) - pts if i < pts_all.size else fallback


def _count_cut(
    container: InputContainer, stream: VideoStream, start: int, end: int
) -> Iterator[TimedFrame]:
    rate = stream.average_rate or stream.guessed_rate
    clock = FrameClock(
        stream.time_base, float(rate) if rate else 0.0, use_dts=clock_from_dts(container)
    )
    t_first: float | None = None
    for i, frame in enumerate(decode_forward(container, stream)):
        t, dur = clock(frame)
        if i >= end:
            return
        if i >= start:
            t_first = t if t_first is None else t_first
            pts = round((t - t_first) / FINE_TIME_BASE)
            yield TimedFrame(frame, pts, round(dur / FINE_TIME_BASE), t, t + dur)
