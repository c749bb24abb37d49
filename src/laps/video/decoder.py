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
from fractions import Fraction

import av
import numpy as np
from av.container import InputContainer
from av.video.frame import VideoFrame
from av.video.reformatter import VideoReformatter
from av.video.stream import VideoStream
from numpy.typing import NDArray

from laps.errors import VideoDecodeError
from laps.video.resample import Resampler

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


def processing_size(width: int, height: int, shorter: int) -> tuple[int, int]:
    """(W, H) with the short side equal to ``shorter`` and the aspect ratio kept."""
    if width <= height:
        return shorter, max(1, round(height * shorter / width))
    return max(1, round(width * shorter / height)), shorter


def clock_from_dts(container: InputContainer) -> bool:
    """Whether frame times must come from dts rather than pts.

    AVI stores no pts: the demuxer guesses them and B-frame reordering scrambles the guesses,
    while its dts (the chunk count) are exact.
    """
    return container.format.name == "avi"


class FrameClock:
    """Seconds since the first frame from pts (or dts), falling back to previous + duration.

    Args:
        time_base: the stream's time base.
        nominal_fps: the stream's nominal rate, for frames that carry no duration.
        use_dts: take dts instead of pts (see :func:`clock_from_dts`).
    """

    def __init__(
        self, time_base: Fraction | None, nominal_fps: float, *, use_dts: bool = False
    ) -> None:
        self.use_dts = use_dts
        self.time_base = time_base or Fraction(1, 90000)
        self._nominal_s = 1.0 / nominal_fps if nominal_fps > 0 else 1.0 / 30.0
        self._pts0: int | None = None
        self._t0 = 0.0
        self._prev: float | None = None
        self._prev_dur = self._nominal_s
        self.repaired = 0  # frames whose timestamp was missing or went backwards

    def __call__(self, frame: VideoFrame) -> tuple[float, float]:
        """(time_s, duration_s) of a decoded frame."""
        tb = frame.time_base or self.time_base
        dur = float(frame.duration * tb) if frame.duration else self._prev_dur
        pts = frame.dts if self.use_dts or frame.pts is None else frame.pts
        guess = 0.0 if self._prev is None else self._prev + self._prev_dur
        if pts is None:
            t = guess
            self.repaired += self._prev is not None and not self.use_dts  # AVI flush: no dts
        else:
            if self._pts0 is None:
                self._pts0, self._t0 = pts, guess
            t = self._t0 + float((pts - self._pts0) * tb)
            if self._prev is not None and t <= self._prev:
                t = guess  # keep times strictly increasing: downstream relies on it
                self.repaired += 1
        self._prev, self._prev_dur = t, dur
        return t, dur


class DecodeLoop:
    """Decode one video stream and hand every sampled frame to ``emit``.

    Args:
        container: the opened input (this loop closes nothing).
        stream: its video stream.
        display: the source name safe for messages.
        target_fps: the sampled rate.
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
        rate = stream.average_rate or stream.guessed_rate
        self._clock = FrameClock(
            stream.time_base, float(rate) if rate else 0.0, use_dts=clock_from_dts(container)
        )
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
        st.n_decoded += 1
        st.last_index = index
        st.end_time_s = time_s + dur
        if not self._resampler.update(time_s):
            st.decode_time_s += time.perf_counter() - t0
            return True
        image = self._gray(frame)
        color = self._rgb(frame) if self.keep_color else None
        item = Decoded(st.n_sampled, index, time_s, image, color, time.monotonic())
        st.n_sampled += 1
        st.decode_time_s += time.perf_counter() - t0
        return emit(item)

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
            return VideoDecodeError(
                f"no decodable video frames in {self.display}; the file is empty or corrupt, "
                "re-export it"
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
