"""Reopen a live camera or stream that stalls or drops, with exponential backoff.

A live source never ends on its own: when its frames stop (the read timed out, the
connection broke, the server went away) :class:`ReconnectingSource` reopens it through a
factory, waiting ``reconnect_backoff_s``, then twice that, ... (at most
``reconnect_max_backoff_s``) between tries, and gives up after ``reconnect_attempts`` tries in
a row without a frame: the stream then ends there, as it did before reconnection existed.
Files are never reopened (a file's end is its end), nor are sources read with offline pacing
(an HTTP-served file read as fast as possible ends where the file does).

Every connection restarts its own sample numbers, frame indices and timestamps at zero; the
wrapper offsets them so that the stream stays one stream: samples and source indices continue
after the last ones, and time continues by the wall-clock time between the last frame before
the outage and the first one after it (from the frames' arrival stamps), so the outage shows
as a jump in time. Each outage is recorded as a :class:`StreamGap` in :attr:`gaps` before the
first frame after it is handed out, so a consumer that checks ``len(source.gaps)`` per frame
sees the gap exactly at that frame.

Log lines name the source by its display form (credentials redacted), never the raw URL.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace

from laps._closing import Closing
from laps.errors import VideoDecodeError, VideoOpenError
from laps.types import Frame, SourceInfo
from laps.video.base import FrameSource
from laps.video.config import VideoConfig
from laps.video.sources import open_source
from laps.video.spec import SpecKind, parse_spec

logger = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Backoff:
    """How often and how patiently a dropped source is reopened.

    Attributes:
        attempts: reopen tries in a row without a frame before giving up (0: never reopen).
        initial_s: wait before the first try; doubled after each failed one.
        max_s: the longest wait.
    """

    attempts: int
    initial_s: float
    max_s: float

    @classmethod
    def from_config(cls, cfg: VideoConfig) -> Backoff:
        """The ``video.reconnect_*`` settings."""
        return cls(cfg.reconnect_attempts, cfg.reconnect_backoff_s, cfg.reconnect_max_backoff_s)

    def delay(self, attempt: int) -> float:
        """Seconds to wait before try ``attempt`` (0-based)."""
        return min(self.initial_s * 2.0**attempt, self.max_s)


@dataclass(frozen=True, slots=True)
class StreamGap:
    """An outage between two connections of one live source.

    Attributes:
        sample: the first sample after the gap (samples before it came before the outage).
        end_frame: one past the last source frame decoded before the gap; also the source
            index of the first frame after it (indices continue across a reconnect).
        start_s: presentation end of the last frame decoded before the gap.
        end_s: time of the first frame after the gap.
        attempts: reopen tries it took (1: the first one worked).
    """

    sample: int
    end_frame: int
    start_s: float
    end_s: float
    attempts: int

    @property
    def seconds(self) -> float:
        """Length of the outage in stream time."""
        return self.end_s - self.start_s


@dataclass
class _Offsets:
    """What is added to the current connection's samples, indices and times."""

    sample: int = 0
    index: int = 0
    time_s: float = 0.0
    started: bool = False  # a frame of this connection was handed out (offsets are fixed)


class ReconnectingSource(Closing):
    """A :class:`FrameSource` that reopens its inner source when a live stream drops.

    Args:
        first: the opened source (its ``info`` is this source's).
        reopen: opens the source again; may raise :class:`VideoOpenError`.
        backoff: attempts and waits.
        wait: ``wait(seconds)`` between tries (tests inject a recorder); by default an event
            wait that :meth:`close` cuts short.
    """

    def __init__(
        self,
        first: FrameSource,
        reopen: Callable[[], FrameSource],
        backoff: Backoff,
        *,
        wait: Callable[[float], object] | None = None,
    ) -> None:
        self.info: SourceInfo = first.info
        self.gaps: list[StreamGap] = []
        self.reconnects = 0  # connections opened after the first
        self.gave_up = False
        self._inner = first
        self._reopen, self._backoff = reopen, backoff
        self._stop = threading.Event()
        self._wait = wait if wait is not None else self._stop.wait
        self._closed = False
        self._off = _Offsets(started=True)
        self._failures = 0  # tries in a row without a frame
        self._done: dict[str, float] = {"decode_time_s": 0.0, "n_decoded": 0, "n_sampled": 0}
        self._n_out = 0
        self._last: Frame | None = None  # last frame handed out (offsets applied)
        self._end: tuple[int, float | None] = (-1, None)  # last_index, end_time_s so far
        self._reason = ""  # why the last connection ended (logged, credential-free)

    @property
    def decode_time_s(self) -> float:
        """Wall seconds spent decoding, over every connection."""
        return float(self._done["decode_time_s"]) + self._inner.decode_time_s

    @property
    def n_decoded(self) -> int:
        """Source frames decoded, over every connection."""
        return int(self._done["n_decoded"]) + self._inner.n_decoded

    @property
    def n_sampled(self) -> int:
        """Frames kept by the resampler, over every connection."""
        return int(self._done["n_sampled"]) + self._inner.n_sampled

    @property
    def last_index(self) -> int:
        """Source index (continued across reconnects) of the last decoded frame."""
        inner = self._inner.last_index
        if not self._off.started or inner < 0:
            return self._end[0]
        return inner + self._off.index

    @property
    def end_time_s(self) -> float | None:
        """Presentation end (continued across reconnects) of the last decoded frame."""
        inner = self._inner.end_time_s
        if not self._off.started or inner is None:
            return self._end[1]
        return inner + self._off.time_s

    def frames(self) -> Iterator[Frame]:
        """Yield frames across reconnects until the source is given up or closed."""
        return self._iterate()

    def close(self) -> None:
        """Stop: no further reconnect; the current connection is closed."""
        self._closed = True
        self._stop.set()
        self._inner.close()

    def _iterate(self) -> Iterator[Frame]:
        try:
            while True:
                yield from self._connection()
                if self._closed or not self._reconnect():
                    return
        finally:
            self.close()

    def _connection(self) -> Iterator[Frame]:
        """The current connection's frames; its end or a stream error ends it quietly."""
        try:
            for frame in self._inner.frames():
                yield self._shift(frame)
        except VideoDecodeError as err:  # its message is already free of credentials
            if self._closed:
                raise
            self._reason = str(err)
        else:
            self._reason = "the stream ended or stalled (video.read_timeout_s)"
        self._end = (self.last_index, self.end_time_s)

    def _shift(self, frame: Frame) -> Frame:
        if not self._off.started:
            self._start_offsets(frame)
        off = self._off
        out = replace(
            frame,
            sample=frame.sample + off.sample,
            index=frame.index + off.index,
            time_s=frame.time_s + off.time_s,
        )
        self._n_out += 1
        self._last = out
        return out

    def _start_offsets(self, first: Frame) -> None:
        """Fix the new connection's offsets at its first frame; record the gap."""
        last, (last_index, end_s) = self._last, self._end
        time_s = 0.0
        if last is not None:
            wall = max(first.arrival_s - last.arrival_s, 0.0)
            time_s = max(last.time_s + wall, end_s if end_s is not None else last.time_s)
        self._off = _Offsets(self._n_out, last_index + 1, time_s - first.time_s, True)
        if last is not None:
            start_s = end_s if end_s is not None else last.time_s
            gap = StreamGap(self._n_out, last_index + 1, start_s, time_s, self._failures)
            self.gaps.append(gap)
            logger.warning(
                "%s: reconnected after a gap of %.1f s (frames continue at %d)",
                self.info.uri,
                gap.seconds,
                gap.end_frame,
            )
        self._failures = 0

    def _reconnect(self) -> bool:
        """Reopen with backoff; False when given up or closed."""
        b = self._backoff
        while self._failures < b.attempts and not self._closed:
            delay = b.delay(self._failures)
            self._failures += 1
            logger.warning(
                "%s: %s; reconnect attempt %d of %d in %.1f s",
                self.info.uri,
                self._reason,
                self._failures,
                b.attempts,
                delay,
            )
            self._wait(delay)
            if self._closed:
                return False
            try:
                source = self._reopen()
            except VideoOpenError as err:
                self._reason = str(err)
                continue
            self._retire(source)
            return True
        if not self._closed:
            self.gave_up = True
            logger.error(
                "%s: gave up after %d reconnect attempts (%s); the stream ends here "
                "(raise video.reconnect_attempts to wait longer)",
                self.info.uri,
                b.attempts,
                self._reason,
            )
        return False

    def _retire(self, source: FrameSource) -> None:
        """Swap in a new connection, keeping the old one's counts."""
        old = self._inner
        old.close()
        self._done["decode_time_s"] += old.decode_time_s
        self._done["n_decoded"] += old.n_decoded
        self._done["n_sampled"] += old.n_sampled
        self._inner = source
        self._off = _Offsets()
        self.reconnects += 1


def open_live(
    spec: str, cfg: VideoConfig, *, live: bool | None = None, keep_color: bool = False
) -> FrameSource:
    """:func:`laps.video.sources.open_source`, reopened on drops when the source is live.

    A camera or stream read live with ``cfg.reconnect_attempts > 0`` comes wrapped in a
    :class:`ReconnectingSource`; anything else (files, offline pacing, reconnect off) is the
    plain source.

    Raises:
        VideoOpenError: the first open failed (it is not retried).
    """
    first = open_source(spec, cfg, live=live, keep_color=keep_color)
    if parse_spec(spec).kind is SpecKind.FILE or not first.info.live:
        return first
    if cfg.reconnect_attempts == 0:
        return first

    def reopen() -> FrameSource:
        return open_source(spec, cfg, live=True, keep_color=keep_color)

    return ReconnectingSource(first, reopen, Backoff.from_config(cfg))
