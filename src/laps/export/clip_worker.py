"""Writes segment clips on a background thread, fed through a bounded queue.

File sources are cut exactly from the file (``write_clip``); live sources are encoded from
the frames kept in a :class:`~laps.export.frame_store.FrameStore` (``write_frames_clip``).
"""

from __future__ import annotations

import logging
import queue
import threading
from dataclasses import dataclass
from pathlib import Path

from laps.errors import ExportError
from laps.export.clips import write_clip, write_frames_clip
from laps.export.frame_store import decode_jpeg
from laps.export.run_folder import clip_name
from laps.types import Segment

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class _Job:
    seg: Segment
    frames: list[tuple[bytes, float]] | None  # live sources: JPEG frames and their times


class ClipWorker:
    """Cuts ``clips/<id>.mp4`` as segments are decided.

    Args:
        source: the source video file, or None for a live source (frames are passed in).
        clip_dir: folder to write into.
        crf: x264 quality.
        preset: x264 speed preset.
        fps: nominal frame rate of live clips (their timestamps decide playback).
    """

    def __init__(
        self, source: str | None, clip_dir: Path, crf: int, preset: str, fps: float = 10.0
    ) -> None:
        self.source, self.clip_dir = source, clip_dir
        self.crf, self.preset, self.fps = crf, preset, fps
        self.clip_dir.mkdir(parents=True, exist_ok=True)
        self._queue: queue.Queue[_Job | None] = queue.Queue(maxsize=8)
        self._errors: list[BaseException] = []
        self._aborted = False
        self._thread = threading.Thread(target=self._run, name="laps-clips", daemon=True)
        self._thread.start()

    @staticmethod
    def clip_path(seg: Segment) -> str:
        """Relative path of a segment's clip inside the video's output folder."""
        return clip_name(seg.id)

    def submit(self, seg: Segment, frames: list[tuple[bytes, float]] | None = None) -> None:
        """Queue one segment (blocks when the queue is full)."""
        self._raise_pending()
        self._queue.put(_Job(seg, frames))

    def close(self) -> None:
        """Wait for every queued clip; raise the first error any of them hit."""
        self._queue.put(None)
        self._thread.join()
        self._raise_pending()

    def abort(self) -> None:
        """Drop the clips still queued and wait for the one being written (a failed run)."""
        self._aborted = True
        self._queue.put(None)
        self._thread.join()

    def _raise_pending(self) -> None:
        if self._errors:
            err = self._errors[0]
            raise ExportError(f"writing clips failed: {err}") from err

    def _run(self) -> None:
        while (job := self._queue.get()) is not None:
            if self._errors or self._aborted:
                continue  # drain: the first error is reported by close()
            try:
                self._write(job)
            except Exception as err:  # noqa: BLE001 - handed to the main thread in close()
                logger.error("clip of segment %d failed: %s", job.seg.id, err)
                self._errors.append(err)

    def _write(self, job: _Job) -> None:
        seg = job.seg
        dst = self.clip_dir.parent / self.clip_path(seg)
        if job.frames is None:
            if self.source is None:
                raise ExportError("a live clip needs its frames")
            write_clip(
                self.source, dst, seg.start_frame, seg.end_frame, crf=self.crf, preset=self.preset
            )
            return
        frames = ((decode_jpeg(b), t) for b, t in job.frames)
        write_frames_clip(
            frames, dst, crf=self.crf, preset=self.preset, fps=self.fps, end_s=seg.end_s
        )
