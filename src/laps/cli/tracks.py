"""``laps tracks``: the window dataset the motion tokenizer trains on.

The windows come from the same sampling, tracker, grid and windowing as ``laps segment``
(only the stride differs: ``--stride``, default 2). The dataset folder is resumable: videos
already done with the same settings are skipped, others are (re)done whole.

Examples:
    laps tracks videos/ --out data/windows
    laps tracks a.mp4 b.mp4 --out data/windows --workers 2
    laps tracks videos/ --out data/windows --ray-address auto   # on a Ray cluster
    laps tracks more_videos/ --out data/windows      # adds videos to the same dataset
"""

from __future__ import annotations

import logging
import sys
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)

from laps.cli._errors import EXIT_BAD_INPUT, guarded, report, setup_logging
from laps.cli._options import (
    ConfigOpt,
    CoTrackerCheckpointOpt,
    CoTrackerRepoOpt,
    DebugOpt,
    QuietOpt,
    RayAddressOpt,
    RayOpt,
    SetOpt,
    TrackerOpt,
    WorkersOpt,
    batch_workers,
    ray_address,
    tracker_flags,
)
from laps.config import PipelineConfig, load_config
from laps.errors import VideoOpenError
from laps.scale.tracks import remote_for
from laps.tokenizer.build import TRAINING_STRIDE, build_dataset
from laps.video.sources import expand_sources

logger = logging.getLogger("laps.cli")


def tracks(
    videos: Annotated[list[str], typer.Argument(help="Video files, folders, or stream URLs.")],
    out: Annotated[Path, typer.Option("--out", "-o", help="Dataset folder (created, or resumed).")],
    config: ConfigOpt = None,
    overrides: SetOpt = None,
    stride: Annotated[
        int, typer.Option(help="Window stride in sampled frames for extraction (recorded).")
    ] = TRAINING_STRIDE,
    workers: WorkersOpt = None,
    use_ray: RayOpt = False,
    ray_at: RayAddressOpt = None,
    tracker: TrackerOpt = None,
    cotracker_repo: CoTrackerRepoOpt = None,
    cotracker_checkpoint: CoTrackerCheckpointOpt = None,
    debug: DebugOpt = False,
    quiet: QuietOpt = False,
) -> None:
    """Track videos into a window dataset (Parquet shards + dataset.json) for training."""
    setup_logging(debug, quiet)
    flags = tracker_flags(tracker, cotracker_repo, cotracker_checkpoint)
    cfg = guarded(
        lambda: load_config(config, overrides or [], window__stride=stride, **flags), debug
    )
    specs, n_bad = _expand(videos, cfg, debug)
    address = ray_address(use_ray, ray_at)
    progress = TracksProgress(enabled=sys.stderr.isatty() and not quiet)
    try:
        result = guarded(
            lambda: build_dataset(
                specs,
                out,
                cfg,
                workers=batch_workers(workers, address),
                observer=progress,
                raise_errors=debug,
                remote=remote_for(address),
            ),  # fmt: skip
            debug,
        )
    finally:
        progress.stop()
    failed = n_bad + len(result.failed)
    typer.echo(
        f"{out}: {result.n_windows_total} windows from {result.n_videos_done} videos "
        f"(stride {cfg.window.stride}, {len(result.skipped)} skipped as done, "
        f"{failed} failed) -> {out / 'dataset.json'}"
    )
    if failed:
        n_inputs = n_bad + len(result.entries) + len(result.skipped)
        if n_inputs > 1:
            typer.echo(f"{failed} of {n_inputs} videos failed (see errors above)", err=True)
        raise typer.Exit(EXIT_BAD_INPUT)


def _expand(videos: list[str], cfg: PipelineConfig, debug: bool) -> tuple[list[str], int]:
    """Expand each input on its own, so one missing path does not stop the others."""
    specs: list[str] = []
    n_bad = 0
    for video in videos:
        try:
            specs.extend(expand_sources([video], cfg.video))
        except VideoOpenError as err:
            if debug:
                raise
            report(err)
            n_bad += 1
    return list(dict.fromkeys(specs)), n_bad


class TracksProgress:
    """A bar over videos plus one bar per video in progress; silent when disabled."""

    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled
        self._progress: Progress | None = None
        self._overall: TaskID | None = None
        self._tasks: dict[str, TaskID] = {}

    def _bars(self) -> Progress:
        if self._progress is None:
            self._progress = Progress(
                TextColumn("[bold]{task.description}"),
                BarColumn(),
                MofNCompleteColumn(),
                TextColumn("{task.fields[unit]}"),
                TimeElapsedColumn(),
                TimeRemainingColumn(),
                console=Console(stderr=True),
                transient=True,
            )
            self._progress.start()
            self._overall = self._progress.add_task("videos", total=None, unit="videos")
        return self._progress

    def planned(self, n_todo: int) -> None:
        """Open the bar over videos."""
        if self.enabled and n_todo:
            bars = self._bars()
            if self._overall is not None:
                bars.update(self._overall, total=n_todo)

    def started(self, video_id: str, expected_windows: int | None) -> None:
        """Open the video's bar."""
        if self.enabled:
            bars = self._bars()
            self._tasks[video_id] = bars.add_task(video_id, total=expected_windows, unit="windows")

    def windows(self, video_id: str, n_done: int) -> None:
        """Advance the video's bar."""
        task = self._tasks.get(video_id)  # late events of a finished video are dropped
        if self._progress is not None and task is not None:
            self._progress.update(task, completed=n_done)

    def skipped(self, entry: dict[str, Any]) -> None:
        """One line for a video already done."""
        typer.echo(f"{entry['id']}: already done ({entry['n_windows']} windows), skipped")

    def finished(self, entry: dict[str, Any]) -> None:
        """Close the video's bar; one summary line, or one ``error:`` line."""
        task = self._tasks.pop(entry["id"], None)
        if self._progress is not None:
            if task is not None:
                self._progress.remove_task(task)
            if self._overall is not None:
                self._progress.advance(self._overall)
        if entry["status"] == "done":
            shards = len(entry["shards"])
            typer.echo(f"{entry['id']}: {entry['n_windows']} windows in {shards} shard(s)")
        else:
            typer.echo(f"error: {entry['reason']}", err=True)

    def stop(self) -> None:
        """Close the bars (idempotent; also after a failure)."""
        if self._progress is not None:
            self._progress.stop()
            self._progress = None
