"""H.264 writing with real timestamps, into a temporary file renamed into place on success."""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Iterable
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import NamedTuple

import av
import numpy as np
from av.video.frame import PictureType, VideoFrame
from av.video.reformatter import ColorRange

from laps.errors import ExportError, LapsError
from laps.video.threads import codec_threads

logger = logging.getLogger(__name__)


class TimedFrame(NamedTuple):
    """A frame to encode, with its clip timestamp and its source times.

    Attributes:
        frame: the picture (any pixel format PyAV can convert).
        pts: clip presentation time in the writer's time base, starting at 0.
        duration: how long it is shown, same units (0 = unknown).
        time_s: source time of the frame, seconds.
        end_s: source time where it ends, seconds.
    """

    frame: VideoFrame
    pts: int
    duration: int
    time_s: float
    end_s: float


@dataclass(frozen=True, slots=True)
class Written:
    """What :func:`encode_atomic` wrote."""

    n_frames: int
    width: int
    height: int
    start_s: float | None  # source time of the first frame written
    end_s: float | None  # source time where the last frame written ends


class H264Writer:
    """libx264 / yuv420p encoding into a hidden temporary file next to ``dst``.

    Args:
        dst: the final file (``.mov`` gives a QuickTime container, anything else MP4).
        size: (width, height) of the frames; odd sizes are cropped by one pixel.
        time_base: unit of the pts passed to :meth:`add`.
        rate: nominal frame rate for x264 rate control (timestamps decide playback).
        crf: x264 quality (lower is better).
        preset: x264 speed preset.
    """

    def __init__(
        self,
        dst: Path,
        size: tuple[int, int],
        *,
        time_base: Fraction,
        rate: Fraction,
        crf: int,
        preset: str,
    ) -> None:
        self.dst = dst
        self.width, self.height = size[0] - size[0] % 2, size[1] - size[1] % 2
        if self.width == 0 or self.height == 0:
            raise ExportError(f"cannot write {dst}: frames are {size[0]}x{size[1]}, too small")
        self.tmp = dst.with_name(f".{dst.stem}.{os.getpid()}-{threading.get_ident()}.tmp")
        self.time_base = time_base
        self.n_frames = 0
        self._durations: dict[int, int] = {}  # pts -> duration: x264 scrambles them on reorder
        dst.parent.mkdir(parents=True, exist_ok=True)
        fmt = "mov" if dst.suffix.lower() == ".mov" else "mp4"
        self._out = av.open(str(self.tmp), "w", format=fmt)
        self._stream = self._out.add_stream("libx264", rate=rate)
        self._stream.width, self._stream.height = self.width, self.height
        self._stream.pix_fmt = "yuv420p"
        self._stream.codec_context.time_base = time_base
        # No B-frames: with reordering the MP4 muxer derives the track duration from dts and
        # cuts the last frame short on VFR clips; without them every duration is exact.
        self._stream.options = {"crf": str(crf), "preset": preset, "bf": "0"}
        if codec_threads():
            self._stream.options |= {"threads": str(codec_threads())}

    def add(self, frame: VideoFrame, pts: int, duration: int) -> None:
        """Encode one frame at ``pts`` lasting ``duration`` (``time_base`` units)."""
        if frame.width != self.width or frame.height != self.height:
            rgb = frame.to_ndarray(format="rgb24")[: self.height, : self.width]
            frame = VideoFrame.from_ndarray(np.ascontiguousarray(rgb, dtype=np.uint8), "rgb24")
        if frame.format.name != "yuv420p" or frame.color_range == ColorRange.JPEG:
            # Full-range input (yuvj420p from cameras and MJPEG) is squeezed to the limited
            # range that players assume for an unflagged H.264 stream.
            frame = frame.reformat(format="yuv420p", dst_color_range=ColorRange.MPEG)
        frame.pts, frame.time_base, frame.duration = pts, self.time_base, max(duration, 0)
        frame.pict_type = PictureType.NONE  # let x264 choose frame types, not the source's
        self._durations[pts] = max(duration, 0)
        self._mux(self._stream.encode(frame))
        self.n_frames += 1

    def commit(self) -> None:
        """Flush, close, and move the temporary file onto ``dst``."""
        if self.n_frames == 0:
            raise ExportError(f"no frames to write to {self.dst}; check the frame range")
        self._mux(self._stream.encode(None))
        self._out.close()
        os.replace(self.tmp, self.dst)

    def _mux(self, packets: list[av.Packet]) -> None:
        for packet in packets:
            if packet.pts is not None and packet.pts in self._durations:
                packet.duration = self._durations.pop(packet.pts)
            self._out.mux(packet)

    def abort(self) -> None:
        """Close and delete the temporary file (after an error)."""
        try:
            self._out.close()
        except (av.error.FFmpegError, OSError) as err:
            logger.debug("closing %s after an error failed: %s", self.tmp, err)
        self.tmp.unlink(missing_ok=True)


def encode_atomic(
    dst: Path,
    size: tuple[int, int],
    frames: Iterable[TimedFrame],
    *,
    time_base: Fraction,
    rate: Fraction,
    crf: int,
    preset: str,
) -> Written:
    """Encode ``frames`` into ``dst``; on any failure leave no file behind.

    Raises:
        ExportError: no frames, an unwritable folder, a full disk, bad x264 settings, or an
            error of the frame iterator (re-raised as it is when it is a LapsError).
    """
    writer: H264Writer | None = None
    start_s: float | None = None
    end_s: float | None = None
    try:
        writer = H264Writer(dst, size, time_base=time_base, rate=rate, crf=crf, preset=preset)
        for item in frames:
            writer.add(item.frame, item.pts, item.duration)
            start_s = item.time_s if start_s is None else start_s
            end_s = item.end_s
        writer.commit()
    except LapsError:
        if writer is not None:
            writer.abort()
        raise
    except (av.error.FFmpegError, OSError, ValueError) as err:
        if writer is not None:
            writer.abort()
        reason = getattr(err, "strerror", None) or str(err)
        raise ExportError(
            f"cannot write {dst}: {reason}; check that the folder is writable, the disk has "
            "space, and crf/preset are valid x264 settings"
        ) from err
    return Written(writer.n_frames, writer.width, writer.height, start_s, end_s)
