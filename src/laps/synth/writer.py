"""H.264 encoding of generated frames (constant or variable rate) and atomic file writes.

Determinism: libx264 is deterministic for a fixed thread count (x264 never enables
``--non-deterministic`` on its own), so the thread count, thread type, preset, CRF and GOP
are pinned from the config; the same frames then give the same bytes with the same FFmpeg.
"""

from __future__ import annotations

import logging
import os
import queue
import threading
from fractions import Fraction
from pathlib import Path
from types import TracebackType

import av
import numpy as np
from numpy.typing import NDArray

from laps.errors import ExportError

logger = logging.getLogger(__name__)
QUEUE_FRAMES = 8


def atomic_write_bytes(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` through a temporary name and ``os.replace``.

    Raises:
        ExportError: when the folder is not writable or the disk is full.
    """
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        tmp.write_bytes(data)
        os.replace(tmp, path)
    except OSError as err:
        tmp.unlink(missing_ok=True)
        raise ExportError(
            f"cannot write {path}: {err.strerror}; check the folder's rights and free space"
        ) from err


class H264Writer:
    """libx264 / yuv420p MP4 writer that encodes on a background thread.

    The file appears under its name only after :meth:`close` succeeds; until then it is a
    hidden ``.partial`` file next to it, removed if anything fails.

    Args:
        path: the final ``.mp4`` path.
        size: (width, height), both even.
        time_base: unit of the ``pts`` given to :meth:`write`.
        rate: nominal frame rate (rate control; timestamps decide playback).
        encoder: (crf, x264 preset, threads, GOP length in frames).
    """

    def __init__(
        self,
        path: Path,
        size: tuple[int, int],
        time_base: Fraction,
        rate: Fraction,
        encoder: tuple[int, str, int, int],
    ) -> None:
        self.path = path
        self.tmp = path.with_name(f".{path.name}.partial")
        crf, preset, threads, gop = encoder
        try:
            self._out = av.open(str(self.tmp), mode="w", format="mp4")
        except OSError as err:
            raise ExportError(f"cannot write {path}: {err}; check the folder") from err
        stream = self._out.add_stream("libx264", rate=rate)
        stream.width, stream.height = size
        stream.pix_fmt = "yuv420p"
        stream.time_base = time_base
        stream.codec_context.time_base = time_base
        stream.codec_context.thread_type = "FRAME"
        stream.codec_context.thread_count = threads
        stream.codec_context.gop_size = gop
        stream.options = {"crf": str(crf), "preset": preset}
        self._stream = stream
        self._queue: queue.Queue[tuple[NDArray[np.uint8], int] | None] = queue.Queue(QUEUE_FRAMES)
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._encode_loop, name="synth-x264", daemon=True)
        self._thread.start()

    def write(self, i420: NDArray[np.uint8], pts: int) -> None:
        """Queue one I420 frame, shape (H * 3 / 2, W), shown from ``pts`` (``time_base`` units)."""
        if self._error is not None:
            raise ExportError(f"encoding {self.path} failed: {self._error}") from self._error
        self._queue.put((i420, pts))

    def _encode_loop(self) -> None:
        try:
            while (item := self._queue.get()) is not None:
                i420, pts = item
                frame = av.VideoFrame.from_ndarray(i420, format="yuv420p")
                frame.pts = pts
                self._out.mux(self._stream.encode(frame))
            self._out.mux(self._stream.encode(None))
        except (av.FFmpegError, OSError, ValueError) as err:
            self._error = err
            while self._queue.get() is not None:  # drain so that write() never blocks
                pass

    def close(self) -> None:
        """Flush the encoder, close the file and move it into place.

        Raises:
            ExportError: if encoding or writing failed.
        """
        self._queue.put(None)
        self._thread.join()
        try:
            self._out.close()
        except (av.FFmpegError, OSError) as err:
            self._error = self._error or err
        if self._error is not None:
            self.tmp.unlink(missing_ok=True)
            raise ExportError(
                f"encoding {self.path} failed: {self._error}; check free space"
            ) from self._error
        os.replace(self.tmp, self.path)

    def abort(self) -> None:
        """Stop encoding and remove the partial file."""
        self._queue.put(None)
        self._thread.join()
        try:
            self._out.close()
        except (av.FFmpegError, OSError) as err:
            logger.debug("closing an aborted %s: %s", self.tmp, err)
        self.tmp.unlink(missing_ok=True)

    def __enter__(self) -> H264Writer:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if exc_type is None:
            self.close()
        else:
            self.abort()
