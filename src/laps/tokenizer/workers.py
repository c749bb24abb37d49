"""Worker processes for ``laps tracks --workers N``: one video per task, progress relayed.

Each worker builds its own tracker (inside :func:`run_job`) and writes only its video's
shard folder; results come back as manifest entries, which only the parent writes.
Workers are spawned, not forked: the parent may run threads (progress bar, decoders) that a
fork would copy in an undefined state. Spawning re-imports the main module, so a script
that calls :func:`laps.tokenizer.build.build_dataset` with ``workers > 1`` needs the usual
``if __name__ == "__main__":`` guard (the ``laps`` console script has it).
"""

from __future__ import annotations

import multiprocessing as mp
import queue
from collections.abc import Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from pathlib import Path
from typing import TYPE_CHECKING, Any

import cv2

from laps.config import PipelineConfig
from laps.tokenizer.extract import VideoJob, run_job
from laps.video.threads import share_cores

if TYPE_CHECKING:
    from laps.tokenizer.build import BuildObserver

_EVENTS: Any = None  # the worker's end of the progress queue


class _QueueProgress:
    """Forwards a worker's progress to the parent through a queue."""

    def started(self, video_id: str, expected_windows: int | None) -> None:
        _EVENTS.put(("started", video_id, expected_windows))

    def windows(self, video_id: str, n_done: int) -> None:
        _EVENTS.put(("windows", video_id, n_done))


def _init_worker(events: Any, workers: int) -> None:
    global _EVENTS  # noqa: PLW0603 -- the queue can only reach a pool worker this way
    _EVENTS = events
    cv2.setNumThreads(1)  # one process per core: OpenCV's own threads would oversubscribe
    share_cores(workers)


def _worker_job(job: VideoJob, root: Path, cfg: PipelineConfig) -> dict[str, Any]:
    return run_job(job, root, cfg, _QueueProgress())


def execute_pool(
    jobs: list[VideoJob],
    root: Path,
    cfg: PipelineConfig,
    workers: int,
    observer: BuildObserver | None,
) -> Iterator[dict[str, Any]]:
    """Run ``jobs`` on ``workers`` processes; yield entries as videos finish (any order)."""
    ctx = mp.get_context("spawn")
    events = ctx.Queue()
    pool = ProcessPoolExecutor(workers, ctx, initializer=_init_worker, initargs=(events, workers))
    try:
        pending: set[Future[dict[str, Any]]] = {
            pool.submit(_worker_job, job, root, cfg) for job in jobs
        }
        while pending:
            finished, pending = wait(pending, timeout=0.1, return_when=FIRST_COMPLETED)
            _relay(events, observer)
            for future in finished:
                yield future.result()
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
        events.close()


def _relay(events: Any, observer: BuildObserver | None) -> None:
    while True:
        try:
            kind, video_id, value = events.get_nowait()
        except queue.Empty:
            return
        if observer is None:
            continue
        if kind == "started":
            observer.started(video_id, value)
        else:
            observer.windows(video_id, value)
