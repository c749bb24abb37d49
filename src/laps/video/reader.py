"""A PyAV frame source: a decoder thread feeding a bounded queue, with optional live pacing."""

from __future__ import annotations

import logging
import queue
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass

from av.container import InputContainer
from av.video.stream import VideoStream

from laps._closing import Closing
from laps.errors import LapsError, VideoDecodeError
from laps.types import Frame, SourceInfo
from laps.video.config import VideoConfig
from laps.video.decoder import Decoded, DecodeLoop
from laps.video.spec import scrub

logger = logging.getLogger(__name__)

_POLL_S = 0.05  # how often a blocked queue put re-checks the stop flag
_END = object()


@dataclass(frozen=True, slots=True)
class _Failure:
    exc: BaseException


class PyAVSource(Closing):
    """Frames of one opened PyAV container, decoded ahead on a background thread.

    Create it with :func:`laps.video.sources.open_source`. The decoder thread starts when
    :meth:`frames` is called and stops at the end, on :meth:`close`, or when the consumer
    abandons the iterator.

    Args:
        container: the opened input; this source owns and closes it.
        stream: the video stream to decode.
        info: what is known about the source.
        cfg: sampling, resizing and queue settings; :meth:`close` waits up to
            ``read_timeout_s + 1`` s for the thread (a stream read may block that long).
        target: the raw spec PyAV opened (may hold credentials; never shown).
        keep_color: also hand out RGB frames at source resolution.
    """

    def __init__(
        self,
        container: InputContainer,
        stream: VideoStream,
        info: SourceInfo,
        cfg: VideoConfig,
        *,
        target: str,
        keep_color: bool = False,
    ) -> None:
        self.info = info
        self._container = container
        self._target = target
        self._loop = DecodeLoop(
            container,
            stream,
            display=info.uri,
            target_fps=cfg.target_fps,
            nominal_fps=info.fps,
            resize_shorter=cfg.resize_shorter,
            keep_color=keep_color,
            is_file=info.kind == "file",
        )
        self._queue: queue.Queue[object] = queue.Queue(maxsize=cfg.queue_frames)
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._join_timeout_s = cfg.read_timeout_s + 1.0
        self._closed = False
        self._pace = info.live and info.kind == "file"
        self._t_start: float | None = None

    @property
    def decode_time_s(self) -> float:
        """Wall seconds the decoder thread spent decoding and converting."""
        return self._loop.stats.decode_time_s

    @property
    def n_decoded(self) -> int:
        """Source frames decoded so far."""
        return self._loop.stats.n_decoded

    @property
    def n_sampled(self) -> int:
        """Frames kept by the resampler so far."""
        return self._loop.stats.n_sampled

    @property
    def last_index(self) -> int:
        """Source index of the last decoded frame, -1 before the first."""
        return self._loop.stats.last_index

    @property
    def end_time_s(self) -> float | None:
        """Presentation end of the last decoded frame (s from the first), None before it."""
        return self._loop.stats.end_time_s

    def frames(self) -> Iterator[Frame]:
        """Start decoding and yield the sampled frames in order.

        Raises:
            VideoDecodeError: when called twice or after :meth:`close`, when nothing decodes,
                or when a live stream breaks (raised from the iterator).
        """
        if self._thread is not None or self._closed:
            raise VideoDecodeError(
                f"frames() of {self.info.uri} was already called or the source is closed; "
                "open the source again to re-read it"
            )
        self._thread = threading.Thread(target=self._work, name="laps-decode", daemon=True)
        self._thread.start()
        return self._iterate()

    def close(self) -> None:
        """Stop the decoder thread and release the container; safe to call twice."""
        if self._closed:
            return
        self._closed = True
        self._stop.set()
        if self._thread is None:
            self._container.close()
            return
        self._drain()
        self._thread.join(self._join_timeout_s)
        if self._thread.is_alive():
            logger.warning(
                "%s: decoder thread still blocked in a read after %.1f s; leaving it to "
                "finish on its own",
                self.info.uri,
                self._join_timeout_s,
            )

    def _iterate(self) -> Iterator[Frame]:
        try:
            while not self._closed:
                item = self._next_item()
                if item is _END:
                    return
                if isinstance(item, _Failure):
                    raise self._as_laps_error(item.exc)
                if isinstance(item, Decoded):
                    yield self._to_frame(item)
        finally:
            self.close()

    def _next_item(self) -> object:
        while True:
            try:
                return self._queue.get(timeout=_POLL_S)
            except queue.Empty:
                if self._closed:  # closed from another thread: nothing more will come
                    return _END

    def _to_frame(self, item: Decoded) -> Frame:
        if self._pace:
            if self._t_start is None:
                self._t_start = time.monotonic() - item.time_s
            delay = self._t_start + item.time_s - time.monotonic()
            if delay > 0:
                time.sleep(delay)
        arrival = item.read_s if self.info.kind != "file" else time.monotonic()
        return Frame(item.sample, item.index, item.time_s, item.image, arrival, item.color)

    def _as_laps_error(self, exc: BaseException) -> BaseException:
        if isinstance(exc, LapsError) or not isinstance(exc, Exception):
            return exc
        text = scrub(str(exc), self._target, self.info.uri)
        err = VideoDecodeError(
            f"decoding {self.info.uri} failed after {self.n_decoded} frames: "
            f"{type(exc).__name__}: {text}; check that the source is a readable video"
        )
        if self.info.kind == "file":
            err.__cause__ = exc  # a stream's raw error may carry credentials: keep it out
        return err

    def _put(self, item: object) -> bool:
        while not self._stop.is_set():
            try:
                self._queue.put(item, timeout=_POLL_S)
            except queue.Full:
                continue
            return True
        return False

    def _work(self) -> None:
        try:
            self._loop.run(self._put)
            self._put(_END)
        except BaseException as exc:  # noqa: BLE001 - handed to the consumer thread
            self._put(_Failure(exc))
        finally:
            self._container.close()

    def _drain(self) -> None:
        while True:
            try:
                self._queue.get_nowait()
            except queue.Empty:
                return
