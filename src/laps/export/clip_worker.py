"""Writes segment clips on a background thread, fed through a bounded queue."""

from __future__ import annotations

import logging
import queue
import threading
from pathlib import Path

from laps.errors import ExportError
from laps.export.clips import write_clip
from laps.types import Segment

logger = logging.getLogger(__name__)

_STOP = None


class ClipWorker:
    """Cuts ``clips/<id>.mp4`` from a source file as segments are decided.

    Args:
        source: the source video file (clips are exact cuts of its frames).
        clip_dir: folder to write into.
        crf: x264 quality.
        preset: x264 speed preset.
    """

    def __init__(self, source: str, clip_dir: Path, crf: int, preset: str) -> None:
        self.source = source
        self.clip_dir = clip_dir
        self.crf = crf
        self.preset = preset
        self.clip_dir.mkdir(parents=True, exist_ok=True)
        self._queue: queue.Queue[Segment | None] = queue.Queue(maxsize=8)
        self._errors: list[BaseException] = []
        self.written: dict[int, str] = {}
        self._thread = threading.Thread(target=self._run, name="laps-clips", daemon=True)
        self._thread.start()

    def clip_path(self, seg: Segment) -> str:
        """Relative path of a segment's clip inside the video's output folder."""
        return f"clips/{seg.id:06d}.mp4"

    def submit(self, seg: Segment) -> None:
        """Queue one segment (blocks when the queue is full)."""
        self._raise_pending()
        self._queue.put(seg)

    def close(self) -> None:
        """Wait for every queued clip; raise the first error any of them hit."""
        self._queue.put(_STOP)
        self._thread.join()
        self._raise_pending()

    def _raise_pending(self) -> None:
        if self._errors:
            err = self._errors[0]
            raise ExportError(f"writing clips failed: {err}") from err

    def _run(self) -> None:
        while (seg := self._queue.get()) is not _STOP:
            if self._errors:
                continue  # drain: the first error is reported by close()
            try:
                dst = self.clip_dir.parent / self.clip_path(seg)
                write_clip(
                    self.source,
                    dst,
                    seg.start_frame,
                    seg.end_frame,
                    crf=self.crf,
                    preset=self.preset,
                )
                self.written[seg.id] = self.clip_path(seg)
            except Exception as err:  # noqa: BLE001 - handed to the main thread in close()
                logger.error("clip of segment %d failed: %s", seg.id, err)
                self._errors.append(err)
