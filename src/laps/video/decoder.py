"""The decode loop run by a source's background thread.

Demux, decode, timestamp, resample, and convert only the sampled frames (grayscale at the
processing size, optionally RGB at source size). Bad packets are counted and skipped; a file
that ends early is reported with a warning; a file with no decodable frame is an error.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import av
import numpy as np
from av.container import InputContainer
from av.video.frame import VideoFrame
from av.video.reformatter import VideoReformatter
from av.video.stream import VideoStream
from numpy.typing import NDArray

from laps.errors import VideoDecodeError
from laps.video.clock import FrameClock, clock_from_dts
from laps.video.resample import Resampler
from laps.video.rotation import rotate_image, rotation_of

logger = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Decoded:
    """One sampled frame as the decoder thread hands it over."""

    sample: int
    index: int
    time_s: float
    image: NDArray[np.uint8]
    color: NDArray[np.uint8] | None
    read_s: float  # time.monotonic() when it was decoded


@dataclass(slots=True)
class DecodeStats:
    """Counters of one decode run, written by the decoder thread."""

    n_decoded: int = 0
    n_sampled: int = 0
    last_index: int = -1
    end_time_s: float | None = None
    decode_time_s: float = 0.0
    bad_packets: int = 0
    n_packets: int = 0


def processing_size(width: int, height: int, shorter: int) -> tuple[int, int]:
    """(W, H) with the short side equal to ``shorter`` and the aspect ratio kept."""
    if width <= height:
        return shorter, max(1, round(height * shorter / width))
    return max(1, round(width * shorter / height)), shorter


class DecodeLoop:
    """Decode one video stream and hand every sampled frame to ``emit``.

    Args:
        container: the opened input (this loop closes nothing).
        stream: its video stream.
        display: the source name safe for messages.
        target_fps: the sampled rate.
        nominal_fps: the source's nominal rate (0 when unknown), for frames without timing.
        resize_shorter: short side of processing frames.
        keep_color: also convert sampled frames to RGB at source resolution.
        is_file: a file (truncation is a warning, demux time counts as decode time) or a
            live source (a read timeout ends it with a warning, a broken connection raises).
    """

    def __init__(
        self,
        container: InputContainer,
        stream: VideoStream,
        *,
        display: str,
        target_fps: float,
        nominal_fps: float,
        resize_shorter: int,
        keep_color: bool,
        is_file: bool,
    ) -> None:
        self.container = container
        self.stream = stream
        self.display = display
        self.shorter = resize_shorter
        self.keep_color = keep_color
        self.is_file = is_file
        self.stats = DecodeStats()
        self._resampler = Resampler(target_fps)
        self._clock = FrameClock(stream.time_base, nominal_fps, use_dts=clock_from_dts(container))
        self._rotation = 0  # the last frame's display rotation, logged when it changes
        self._sizes: dict[tuple[int, int], tuple[int, int, str]] = {}
        # One reformatter per output keeps its scaler context: ~3x cheaper than frame.reformat.
        self._to_gray = VideoReformatter()
        self._to_rgb = VideoReformatter()
        self._demux_error: av.error.FFmpegError | None = None

    def run(self, emit: Callable[[Decoded], bool]) -> None:
        """Decode to the end or until ``emit`` returns False (the consumer stopped).

        Raises:
            VideoDecodeError: when nothing decodes, or a live stream's connection breaks.
        """
        ctx = self.stream.codec_context
        for packet in self._packets():
            t = time.perf_counter()
            self.stats.n_packets += packet.size > 0
            try:
                frames = ctx.decode(packet)
            except av.error.EOFError:
                frames = []
            except av.error.FFmpegError as err:
                self.stats.bad_packets += 1
                logger.debug("%s: bad packet skipped: %s", self.display, err.strerror)
                frames = []
            self.stats.decode_time_s += time.perf_counter() - t
            for frame in frames:
                if not self._handle(frame, emit):
                    return
        for frame in self._flush():
            if not self._handle(frame, emit):
                return
        self._finish()

    def _packets(self) -> Iterator[av.Packet]:
        it = self.container.demux(self.stream)
        while True:
            t = time.perf_counter()
            try:
                packet = next(it)
            except StopIteration:
                return
            except av.error.FFmpegError as err:
                self._demux_error = err
                return
            finally:
                if self.is_file:
                    self.stats.decode_time_s += time.perf_counter() - t
            yield packet

    def _flush(self) -> list[VideoFrame]:
        try:
            return self.stream.codec_context.decode(None)
        except av.error.FFmpegError:
            return []  # already flushed by demux's final empty packet

    def _handle(self, frame: VideoFrame, emit: Callable[[Decoded], bool]) -> bool:
        t0 = time.perf_counter()
        st = self.stats
        time_s, dur = self._clock(frame)
        index = st.n_decoded
        if self._clock.blind:
            raise self._untimed(index)
        st.n_decoded += 1
        st.last_index = index
        st.end_time_s = time_s + dur
        if not self._resampler.update(time_s):
            st.decode_time_s += time.perf_counter() - t0
            return True
        rotation = self._rotation_of(frame)
        image = rotate_image(self._gray(frame), rotation)
        color = rotate_image(self._rgb(frame), rotation) if self.keep_color else None
        item = Decoded(st.n_sampled, index, time_s, image, color, time.monotonic())
        st.n_sampled += 1
        st.decode_time_s += time.perf_counter() - t0
        return emit(item)

    def _rotation_of(self, frame: VideoFrame) -> int:
        rotation = rotation_of(frame)
        if rotation != self._rotation:
            self._rotation = rotation
            logger.info(
                "%s: display matrix: rotated %d degrees (counterclockwise) to show frames upright",
                self.display,
                rotation,
            )
        return rotation

    def _untimed(self, index: int) -> VideoDecodeError:
        return VideoDecodeError(
            f"{self.display}: cannot tell when frames are shown: expected timestamps or a frame "
            f"rate, got neither (frame {index} has a missing or repeated timestamp and the "
            "container reports no frame rate); re-encode it at a fixed rate, e.g. "
            "`ffmpeg -i IN -r 30 -c:v libx264 OUT.mp4`"
        )

    def _gray(self, frame: VideoFrame) -> NDArray[np.uint8]:
        key = (frame.width, frame.height)
        if key not in self._sizes:
            w, h = processing_size(frame.width, frame.height, self.shorter)
            upscale = min(frame.width, frame.height) < self.shorter
            if upscale:
                logger.warning(
                    "%s: frames are %dx%d, smaller than resize_shorter=%d; upscaling to %dx%d "
                    "(set video.resize_shorter <= %d to avoid it)",
                    self.display,
                    *key,
                    self.shorter,
                    w,
                    h,
                    min(key),
                )
            self._sizes[key] = (w, h, "BILINEAR" if upscale else "AREA")
        w, h, interp = self._sizes[key]
        small = self._to_gray.reformat(frame, w, h, "gray", interpolation=interp)
        return np.ascontiguousarray(small.to_ndarray(), dtype=np.uint8)

    def _rgb(self, frame: VideoFrame) -> NDArray[np.uint8]:
        rgb = self._to_rgb.reformat(frame, format="rgb24")
        return np.ascontiguousarray(rgb.to_ndarray(), dtype=np.uint8)

    def _finish(self) -> None:
        st, err = self.stats, self._demux_error
        if st.n_decoded == 0:
            raise self._nothing_decoded()
        if err is not None and not self.is_file:
            if not isinstance(err, av.error.ExitError):
                raise VideoDecodeError(
                    f"stream {self.display} broke after {st.n_decoded} frames: {err.strerror}; "
                    "check the source and reconnect"
                )
            logger.warning(
                "%s: no data within the read timeout (video.read_timeout_s); treating the "
                "stream as ended after %d frames",
                self.display,
                st.n_decoded,
            )
        if self._clock.repaired:
            logger.warning(
                "%s: %d frames had missing or non-increasing timestamps; they were given the "
                "previous time plus one frame duration",
                self.display,
                self._clock.repaired,
            )
        if self.is_file and self._looks_truncated():
            logger.warning(
                "%s: truncated or corrupt video: decoded %d of %s frames (%d bad packets%s); "
                "continuing with the decodable frames",
                self.display,
                st.n_decoded,
                self.stream.frames or "?",
                st.bad_packets,
                ", read stopped early" if err is not None else "",
            )

    def _nothing_decoded(self) -> VideoDecodeError:
        if self.is_file:
            st, codec = self.stats, self.stream.codec_context.name
            return VideoDecodeError(
                f"no decodable video frames in {self.display}: expected at least one, got 0 "
                f"(the {codec} decoder rejected {st.bad_packets} of {st.n_packets} packets); "
                "the file is empty or corrupt, re-export it, or re-encode it to H.264 "
                "(`ffmpeg -i IN -c:v libx264 OUT.mp4`)"
            )
        err = self._demux_error
        reason = f" ({err.strerror})" if err is not None else ""
        return VideoDecodeError(
            f"no decodable video frames from {self.display}{reason}; check that the source "
            "sends video"
        )

    def _looks_truncated(self) -> bool:
        st = self.stats
        if st.bad_packets or self._demux_error is not None:
            return True
        if self.stream.frames and st.n_decoded < self.stream.frames:
            return True
        expected_s = None
        if self.stream.duration and self.stream.time_base:
            expected_s = float(self.stream.duration * self.stream.time_base)
        elif self.container.duration and len(self.container.streams) == 1:
            expected_s = self.container.duration / 1e6
        end = st.end_time_s or 0.0
        return expected_s is not None and end < expected_s - 0.5
