"""Executors on this machine: in this process (``--workers 1``) or on spawned worker processes.

Workers are spawned, not forked: the parent may run threads (progress, decoders) that a fork
would copy in an undefined state. Each worker loads the tokenizer once and runs one video at
a time. A worker that dies (killed, out of memory) breaks the pool: its videos come back as
retryable failures and the pool is rebuilt for the retries.
"""

from __future__ import annotations

import logging
import multiprocessing as mp
from collections import deque
from collections.abc import Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from typing import Any

import cv2

from laps.pipeline.run import RunObserver
from laps.scale.outcome import Status, VideoOutcome
from laps.scale.plan import BatchItem
from laps.scale.task import JobSpec, run_item
from laps.tokenizer.loading import LoadedTokenizer, load_tokenizer
from laps.video.threads import share_cores

logger = logging.getLogger(__name__)


class InlineExecutor:
    """Runs videos one after another in this process, with the caller's tokenizer and observer."""

    def __init__(
        self,
        job: JobSpec,
        tokenizer: LoadedTokenizer | None,
        observer: RunObserver | None = None,
        raise_errors: bool = False,
    ) -> None:
        self.job, self.observer, self.raise_errors = job, observer, raise_errors
        self.encoder = None if tokenizer is None else tokenizer.encoder
        self.info = None if tokenizer is None else tokenizer.info
        self._queue: deque[tuple[BatchItem, int]] = deque()

    def submit(self, item: BatchItem, attempt: int) -> None:
        """Queue a video."""
        self._queue.append((item, attempt))

    def completed(self) -> Iterator[VideoOutcome]:
        """Run queued videos (including ones submitted meanwhile) and yield their outcomes."""
        while self._queue:
            item, attempt = self._queue.popleft()
            yield run_item(
                item, self.job, attempt, self.encoder, self.info, self.observer, self.raise_errors
            )

    def close(self) -> None:
        """Nothing to release."""


_WORKER: dict[str, Any] = {}  # the job and tokenizer of this worker process


def _init_worker(job: JobSpec, log_level: int, workers: int) -> None:
    cv2.setNumThreads(1)  # one process per core: OpenCV's own threads would oversubscribe
    share_cores(workers)
    logging.basicConfig(level=log_level, format="%(levelname)s %(name)s: %(message)s")
    logging.getLogger("laps").setLevel(log_level)
    tokenizer = load_tokenizer(job.checkpoint, job.device) if job.checkpoint else None
    if tokenizer is not None:
        import torch  # noqa: PLC0415 -- already imported by the tokenizer; one thread per worker

        torch.set_num_threads(1)
    _WORKER.update(job=job, tokenizer=tokenizer)


def _work(item: BatchItem, attempt: int) -> VideoOutcome:
    tok: LoadedTokenizer | None = _WORKER["tokenizer"]
    encoder = None if tok is None else tok.encoder
    return run_item(item, _WORKER["job"], attempt, encoder, None if tok is None else tok.info)


class PoolExecutor:
    """Runs videos on ``workers`` spawned processes."""

    def __init__(self, job: JobSpec, workers: int) -> None:
        self.job, self.workers = job, workers
        self._pool: ProcessPoolExecutor | None = None
        self._pending: dict[Future[VideoOutcome], tuple[BatchItem, int, ProcessPoolExecutor]] = {}

    def submit(self, item: BatchItem, attempt: int) -> None:
        """Start a video on the next free worker."""
        pool = self._ensure_pool()
        self._pending[pool.submit(_work, item, attempt)] = (item, attempt, pool)

    def completed(self) -> Iterator[VideoOutcome]:
        """Yield outcomes as videos finish, until none is running."""
        while self._pending:
            finished, _ = wait(list(self._pending), return_when=FIRST_COMPLETED)
            for future in finished:
                item, attempt, pool = self._pending.pop(future)
                yield self._outcome(future, item, attempt, pool)

    def _outcome(
        self, future: Future[VideoOutcome], item: BatchItem, attempt: int, pool: Any
    ) -> VideoOutcome:
        try:
            return future.result()
        except BrokenProcessPool:
            if pool is self._pool:  # the other videos of a broken pool fail the same way
                self._discard_pool()
            reason = "its worker process died (killed, or out of memory)"
            logger.warning("%s: %s", item.display, reason)
            return VideoOutcome(
                item.name, item.display, Status.FAILED, attempt, reason, retryable=True,
                line=f"{item.name}: FAILED: {reason}",
            )  # fmt: skip

    def _ensure_pool(self) -> ProcessPoolExecutor:
        if self._pool is None:
            level = logging.getLogger("laps").getEffectiveLevel()
            self._pool = ProcessPoolExecutor(
                self.workers, mp.get_context("spawn"), initializer=_init_worker,
                initargs=(self.job, level, self.workers),
            )  # fmt: skip
        return self._pool

    def _discard_pool(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=False, cancel_futures=True)
            self._pool = None

    def close(self) -> None:
        """Stop the workers (running videos are abandoned: their staging is cleaned on rerun)."""
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None
