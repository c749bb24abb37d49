"""Many videos into one window dataset: ids, resume, worker processes, manifest updates.

Only this parent process writes ``dataset.json``: once when the run starts (the queued videos
become ``pending``) and again after each video finishes. Workers write only their own video's
shard folder. A video whose entry is ``done`` and whose shards are all there with the recorded
row count is skipped; anything else (``pending`` from an interrupted run, ``failed``, missing
or damaged shards) is redone whole.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from laps.config import PipelineConfig
from laps.errors import ConfigError, ExportError
from laps.export.layout import assign_names
from laps.tokenizer.dataset_manifest import (
    MANIFEST_NAME,
    VideoStatus,
    check_same_config,
    new_manifest,
    read_manifest,
    write_manifest,
)
from laps.tokenizer.extract import ExtractProgress, VideoJob, extract_video, run_job, source_key
from laps.tokenizer.shards import count_rows
from laps.tokenizer.workers import execute_pool

logger = logging.getLogger(__name__)

TRAINING_STRIDE = 2


class RemoteExecutor(Protocol):
    """Runs the videos elsewhere (``laps.scale.tracks``: Ray tasks); entries as videos finish."""

    def __call__(
        self, jobs: list[VideoJob], root: Path, cfg: PipelineConfig, workers: int
    ) -> Iterator[dict[str, Any]]:
        """Extract ``jobs`` into ``root``; yield each video's dataset entry when it is done."""
        ...


class BuildObserver(ExtractProgress, Protocol):
    """Progress of a whole build (the CLI renders it)."""

    def skipped(self, entry: dict[str, Any]) -> None:
        """A video was already done with this config."""

    def planned(self, n_todo: int) -> None:
        """``n_todo`` videos will be extracted in this run."""

    def finished(self, entry: dict[str, Any]) -> None:
        """A video is done or failed; ``entry`` is its manifest entry."""


@dataclass
class BuildResult:
    """What a build did: this run's entries in input order, and the dataset's totals."""

    root: Path
    entries: list[dict[str, Any]] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    n_windows_total: int = 0
    n_videos_done: int = 0

    @property
    def failed(self) -> list[dict[str, Any]]:
        """Entries of the videos that failed in this run."""
        return [e for e in self.entries if e["status"] == VideoStatus.FAILED]


def build_dataset(
    specs: Sequence[str],
    root: Path,
    cfg: PipelineConfig,
    *,
    workers: int = 1,
    observer: BuildObserver | None = None,
    raise_errors: bool = False,
    remote: RemoteExecutor | None = None,
) -> BuildResult:
    """Extract the windows of ``specs`` into the dataset at ``root`` (created or resumed).

    Args:
        specs: video files or finite stream URLs (expand folders with ``expand_sources``).
        root: the dataset folder.
        cfg: the pipeline config; ``cfg.window.stride`` is the extraction stride.
        workers: processes working on different videos at once (1 = in this process).
        observer: receives progress.
        raise_errors: re-raise a video's error instead of recording it as failed
            (``--debug``; only with ``workers=1``).
        remote: run the videos there instead, with ``workers`` CPUs (0 = all); Ray tasks
            come from :func:`laps.scale.tracks.build_dataset`. None: in this machine.

    Raises:
        ConfigError: a dataset made with other settings is at ``root``, or bad ``workers``.
        SchemaVersionError: the dataset at ``root`` is of another schema version.
        ExportError: ``root`` or the manifest cannot be written.
    """
    least = 0 if remote else 1  # remote (Ray), 0 means every CPU
    if workers < least:
        raise ConfigError(f"--workers: expected an integer >= {least}, got {workers}")
    manifest = _open_or_create(root, cfg)
    jobs = plan_jobs(specs, manifest["videos"])
    result = BuildResult(root)
    todo = _queue(jobs, manifest, root, result, observer)
    write_manifest(root, manifest)
    if observer is not None:
        observer.planned(len(todo))
    for entry in _execute(todo, root, cfg, workers, remote, observer, raise_errors):
        _put_entry(manifest, entry)
        write_manifest(root, manifest)
        result.entries.append(entry)
        if observer is not None:
            observer.finished(entry)
    done = [e for e in manifest["videos"] if e["status"] == VideoStatus.DONE]
    result.n_videos_done = len(done)
    result.n_windows_total = sum(int(e["n_windows"]) for e in done)
    order = {job.video_id: i for i, job in enumerate(jobs)}
    result.entries.sort(key=lambda e: order[e["id"]])
    return result


def _queue(
    jobs: list[VideoJob],
    manifest: dict[str, Any],
    root: Path,
    result: BuildResult,
    observer: BuildObserver | None,
) -> list[VideoJob]:
    """The jobs to run; complete videos are skipped, the others marked ``pending``."""
    by_id = {e["id"]: e for e in manifest["videos"]}
    todo = []
    for job in jobs:
        entry = by_id.get(job.video_id)
        if entry is not None and is_complete(root, entry):
            result.skipped.append(job.video_id)
            if observer is not None:
                observer.skipped(entry)
            continue
        todo.append(job)
        pending = {"id": job.video_id, "source": job.source, "status": VideoStatus.PENDING.value}
        _put_entry(manifest, pending)
    return todo


def _open_or_create(root: Path, cfg: PipelineConfig) -> dict[str, Any]:
    if (root / MANIFEST_NAME).exists():
        manifest = read_manifest(root)
        check_same_config(manifest, cfg, root)
        return manifest
    try:
        root.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise ExportError(
            f"cannot create dataset folder {root}: {err.strerror}; choose a writable --out"
        ) from err
    return new_manifest(cfg)


def plan_jobs(specs: Sequence[str], entries: list[dict[str, Any]]) -> list[VideoJob]:
    """One job per distinct source; a source already in the dataset keeps its id.

    New sources get :func:`output_name` made unique against every id in the dataset and in
    this run (``_2``, ``_3``, ...), so adding videos to a dataset never renames old ones.
    """
    known = {e["source"]: e["id"] for e in entries if e.get("source")}
    return [VideoJob(spec, vid, key) for spec, vid, key in assign_names(specs, known, source_key)]


def is_complete(root: Path, entry: dict[str, Any]) -> bool:
    """Whether a ``done`` entry's shards are all there with the recorded number of rows."""
    if entry.get("status") != VideoStatus.DONE:
        return False
    try:
        rows = sum(count_rows(root / rel) for rel in entry["shards"])
    except ConfigError as err:
        logger.warning("%s: shards damaged or missing (%s); extracting it again", entry["id"], err)
        return False
    if rows != entry.get("n_windows"):
        logger.warning(
            "%s: expected %s windows in its shards, found %d; extracting it again",
            entry["id"],
            entry.get("n_windows"),
            rows,
        )
        return False
    return True


def _put_entry(manifest: dict[str, Any], entry: dict[str, Any]) -> None:
    videos = manifest["videos"]
    for i, old in enumerate(videos):
        if old["id"] == entry["id"]:
            videos[i] = entry
            return
    videos.append(entry)


def _execute(
    jobs: list[VideoJob],
    root: Path,
    cfg: PipelineConfig,
    workers: int,
    remote: RemoteExecutor | None,
    observer: BuildObserver | None,
    raise_errors: bool,
) -> Iterator[dict[str, Any]]:
    if remote is not None:
        yield from remote(jobs, root, cfg, workers)
        return
    if workers == 1 or len(jobs) <= 1:
        for job in jobs:
            if raise_errors:
                yield extract_video(job, root, cfg, observer)
            else:
                yield run_job(job, root, cfg, observer)
        return
    yield from execute_pool(jobs, root, cfg, min(workers, len(jobs)), observer)
