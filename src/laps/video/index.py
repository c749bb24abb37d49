"""Map source frame indices of a file to timestamps and keyframes, by demuxing (no decoding).

Frame ``i`` is the ``i``-th frame in presentation order, i.e. the packet with the ``i``-th
smallest pts; that is the order in which the decoder hands frames out, so these indices agree
with the ``Frame.index`` of :mod:`laps.video.reader` for every file whose packets all decode.
"""

from __future__ import annotations

import functools
import logging
import os
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

import av
import numpy as np
from numpy.typing import NDArray

from laps.errors import VideoOpenError
from laps.video.clock import clock_from_dts

logger = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class FrameIndex:
    """Presentation timestamps of a file's video frames.

    Attributes:
        pts: (n,) int64 pts of frame i, ascending (None-pts files have ``pts is None``).
        key_pts: (k,) int64 ascending pts of the keyframes.
        time_base: the stream's time base.
        durations: (n,) int64 packet durations in time_base units (0 where unknown).
    """

    pts: NDArray[np.int64] | None
    key_pts: NDArray[np.int64]
    time_base: Fraction
    durations: NDArray[np.int64]

    @property
    def n_frames(self) -> int:
        """Number of frames (0 when the container gives no pts)."""
        return 0 if self.pts is None else int(self.pts.size)

    def time_s(self, i: int) -> float:
        """Seconds of frame ``i`` from the first frame; ``i == n`` gives the end of the last."""
        if self.pts is None:
            raise ValueError("time_s: this file's packets carry no pts")
        if i < self.pts.size:
            return float((int(self.pts[i]) - int(self.pts[0])) * self.time_base)
        last = int(self.pts[-1]) + max(int(self.durations[-1]), 0)
        return float((last - int(self.pts[0])) * self.time_base)

    def seek_pts(self, i: int) -> int | None:
        """Pts of the last keyframe at or before frame ``i`` (a seek target for it)."""
        if self.pts is None or self.key_pts.size == 0:
            return None
        k = int(np.searchsorted(self.key_pts, self.pts[i], side="right")) - 1
        return int(self.key_pts[k]) if k >= 0 else None


def frame_index(path: str | Path) -> FrameIndex:
    """The :class:`FrameIndex` of a video file, cached per (path, size, mtime).

    Raises:
        VideoOpenError: when the file cannot be opened or has no video stream.
    """
    st = os.stat(path)
    return _cached_index(str(path), st.st_size, st.st_mtime_ns)


@functools.lru_cache(maxsize=16)
def _cached_index(path: str, size: int, mtime_ns: int) -> FrameIndex:
    del size, mtime_ns  # only part of the cache key: a changed file is indexed again
    try:
        container = av.open(path)
    except (av.error.FFmpegError, OSError) as err:
        raise VideoOpenError(f"cannot read {path} as a video: {err}; check the file") from err
    with container:
        if not container.streams.video:
            raise VideoOpenError(f"{path} has no video stream; pass a video file")
        stream = container.streams.video[0]
        tb = stream.time_base or Fraction(1, 90000)
        if clock_from_dts(container):  # no usable pts: write_clip counts frames instead
            return _build([], True, tb)
        rows: list[tuple[int, int, bool]] = []
        has_none = False
        try:
            for packet in container.demux(stream):
                if packet.size == 0 or packet.is_discard:
                    continue
                if packet.pts is None:
                    has_none = True
                    continue
                rows.append((packet.pts, packet.duration or 0, packet.is_keyframe))
        except av.error.FFmpegError as err:
            # A truncated file: index what was read; the decoder stops at the same place.
            logger.debug("%s: demux stopped after %d packets: %s", path, len(rows), err)
    return _build(rows, has_none, tb)


def _build(rows: list[tuple[int, int, bool]], has_none: bool, tb: Fraction) -> FrameIndex:
    empty = np.zeros(0, dtype=np.int64)
    if has_none or not rows:
        return FrameIndex(None, empty, tb, empty)
    arr = np.array([r[:2] for r in rows], dtype=np.int64)
    key = np.array([r[2] for r in rows], dtype=bool)
    if key.any():
        # Frames shown before the first keyframe cannot be decoded (the decoder drops them),
        # so they get no index: keep the indices equal to the decoder's output order.
        keep = arr[:, 0] >= arr[key, 0].min()
        arr, key = arr[keep], key[keep]
    order = np.argsort(arr[:, 0], kind="stable")
    return FrameIndex(
        pts=arr[order, 0],
        key_pts=np.sort(arr[key, 0]),
        time_base=tb,
        durations=arr[order, 1],
    )
