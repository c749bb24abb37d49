"""A batch of videos: plan, skip what is finished, run the rest, retry, summarise."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from laps.config import PipelineConfig
from laps.errors import ConfigError
from laps.pipeline.run import RunObserver
from laps.scale.ledger import Ledger
from laps.scale.local import InlineExecutor, PoolExecutor
from laps.scale.outcome import Status, VideoOutcome
from laps.scale.plan import BatchItem, fingerprint, plan_items
from laps.scale.summary import JobSummary
from laps.scale.task import JobSpec
from laps.tokenizer.loading import LoadedTokenizer, file_sha256

logger = logging.getLogger(__name__)


class Executor(Protocol):
    """Where videos run: ``submit`` them, then iterate ``completed`` until it ends."""

    def submit(self, item: BatchItem, attempt: int) -> None:
        """Start (or queue) one attempt of a video."""

    def completed(self) -> Iterator[VideoOutcome]:
        """Outcomes as videos finish; also covers videos submitted while iterating."""
        ...

    def close(self) -> None:
        """Release workers."""


@dataclass(frozen=True)
class BatchOptions:
    """How a batch runs.

    Attributes:
        workers: processes on this machine (1: in this process); with Ray, CPUs of a local
            Ray instance (0: all).
        ray: None for no Ray; else the Ray address (``local`` starts one on this machine).
        retries: extra attempts for a video whose failure may be transient.
        force: redo finished videos too.
        live: pacing (None: by source kind).
        device: the tokenizer device.
        raise_errors: let a video's error propagate (``--debug``; in-process only).
    """

    workers: int = 1
    ray: str | None = None
    retries: int = 2
    force: bool = False
    live: bool | None = None
    device: str = "auto"
    raise_errors: bool = False

    def check(self) -> None:
        """Raise a ConfigError for out-of-range values."""
        if self.workers < 0 or (self.workers == 0 and self.ray is None):
            raise ConfigError(f"--workers: expected an integer >= 1, got {self.workers}")
        if self.retries < 0:
            raise ConfigError(f"--retries: expected an integer >= 0, got {self.retries}")

    def backend(self) -> str:
        """How the summary names the executor."""
        if self.ray is not None:
            return f"ray:{self.ray}"
        return "in-process" if self.workers == 1 else f"local:{self.workers} workers"


def run_batch(
    specs: Sequence[str],
    out: Path,
    cfg: PipelineConfig,
    opts: BatchOptions,
    tokenizer: LoadedTokenizer | None = None,
    observer: RunObserver | None = None,
    on_outcome: Callable[[VideoOutcome], None] | None = None,
) -> JobSummary:
    """Segment every source into ``out`` (one folder each), resuming an earlier batch.

    Raises:
        ConfigError: bad options, or another batch is writing into ``out``.
        ExportError: ``out`` cannot be written.
    """
    opts.check()
    ledger = Ledger(out)
    ledger.open()
    try:
        items = plan_items(specs, ledger.known_names())
        ledger.save_names(items)
        ledger.clean_leftovers(items)
        job = _job(out, cfg, opts, tokenizer)
        summary = JobSummary(out, opts.backend(), len(items))
        todo = _skip_finished(items, ledger, job.settings, opts.force, summary, on_outcome)
        if todo:
            _execute(todo, _executor(job, opts, tokenizer, observer), opts, summary, on_outcome)
        summary.write()
        return summary
    finally:
        ledger.close()


def _job(
    out: Path, cfg: PipelineConfig, opts: BatchOptions, tokenizer: LoadedTokenizer | None
) -> JobSpec:
    ckpt = None if tokenizer is None else tokenizer.info["sha256"]
    calib = cfg.segment.calibration  # a path in the config: its content decides the threshold
    calib_sha = file_sha256(calib) if calib is not None and calib.is_file() else None
    settings = fingerprint(
        {"config": cfg.to_dict(), "checkpoint": ckpt, "calibration": calib_sha, "live": opts.live}
    )
    path = None if tokenizer is None else tokenizer.path
    return JobSpec(out, cfg, settings, opts.live, path, opts.device)


def _skip_finished(
    items: list[BatchItem],
    ledger: Ledger,
    settings: str,
    force: bool,
    summary: JobSummary,
    on_outcome: Callable[[VideoOutcome], None] | None,
) -> list[BatchItem]:
    todo = []
    for item in items:
        record = None if force else ledger.finished(item, settings)
        if record is None:
            todo.append(item)
            continue
        line = f"{item.name}: skipped, done earlier with the same settings"
        outcome = VideoOutcome(
            item.name, item.display, Status.SKIPPED, n_windows=record.get("n_windows", 0),
            n_segments=record.get("n_segments", 0), line=line,
        )  # fmt: skip
        summary.add(outcome)
        if on_outcome is not None:
            on_outcome(outcome)
    return todo


def _executor(
    job: JobSpec,
    opts: BatchOptions,
    tokenizer: LoadedTokenizer | None,
    observer: RunObserver | None,
) -> Executor:
    if opts.ray is not None:
        from laps.scale.ray import RayExecutor  # noqa: PLC0415 -- ray is an optional extra

        return RayExecutor(job, opts.ray, opts.workers)
    if opts.workers == 1:
        return InlineExecutor(job, tokenizer, observer, opts.raise_errors)
    return PoolExecutor(job, opts.workers)


def _execute(
    todo: list[BatchItem],
    executor: Executor,
    opts: BatchOptions,
    summary: JobSummary,
    on_outcome: Callable[[VideoOutcome], None] | None,
) -> None:
    by_name = {item.name: item for item in todo}
    try:
        for item in todo:
            executor.submit(item, 1)
        for outcome in executor.completed():
            retry = outcome.status is Status.FAILED and outcome.retryable
            if retry and outcome.attempts <= opts.retries:
                logger.warning(
                    "%s: attempt %d failed (%s); retrying",
                    outcome.source, outcome.attempts, outcome.reason,
                )  # fmt: skip
                executor.submit(by_name[outcome.name], outcome.attempts + 1)
                continue
            summary.add(outcome)
            summary.write()
            if on_outcome is not None:
                on_outcome(outcome)
    finally:
        executor.close()
