"""``laps segment``: segments, clips and performance figures for videos and streams.

A rerun into the same --out skips the videos already finished with the same settings and
redoes the others whole; OUT/job_summary.json lists every video as done, skipped or failed.

Examples:
    laps segment video.mp4 --out out/
    laps segment videos/ --out out/ --threshold 0.05
    laps segment videos/ --out out/ --workers 2       # two videos at a time
    laps segment --sources-from list.txt --out out/ --ray
    laps segment videos/ --out out/ --ray-address auto # on a running Ray cluster
    laps segment video.mp4 --live            # replay a file in real time
    laps segment camera:0 --out out/         # a camera, live
    laps segment rtsp://host/stream --out out/
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Annotated

import typer

from laps.cli._errors import EXIT_BAD_INPUT, guarded, setup_logging
from laps.cli._options import (
    ConfigOpt,
    CoTrackerCheckpointOpt,
    CoTrackerRepoOpt,
    DebugOpt,
    OutOpt,
    QuietOpt,
    RayAddressOpt,
    RayOpt,
    RetriesOpt,
    SetOpt,
    SourcesFromOpt,
    TrackerOpt,
    WorkersOpt,
    batch_workers,
    ray_address,
    tracker_flags,
)
from laps.cli._progress import ConsoleObserver
from laps.config import PipelineConfig, load_config
from laps.scale import BatchOptions, JobSummary, VideoOutcome, batch_sources, run_batch
from laps.scale.outcome import Status
from laps.tokenizer.loading import LoadedTokenizer, load_tokenizer

logger = logging.getLogger("laps.cli")


def segment(
    sources: Annotated[
        list[str] | None, typer.Argument(help="Files, folders, camera:N, or URLs.")
    ] = None,
    out: OutOpt = Path("out"),
    sources_from: SourcesFromOpt = None,
    workers: WorkersOpt = None,
    use_ray: RayOpt = False,
    ray_at: RayAddressOpt = None,
    retries: RetriesOpt = 2,
    force: Annotated[
        bool, typer.Option("--force", help="Redo videos already finished with these settings.")
    ] = False,
    config: ConfigOpt = None,
    overrides: SetOpt = None,
    threshold: Annotated[
        float | None,
        typer.Option(
            help="Fixed threshold: a boundary's change score (default) or thr_on (hysteresis)."
        ),
    ] = None,
    calibration: Annotated[
        Path | None, typer.Option(help="Calibration JSON holding the threshold.")
    ] = None,
    live: Annotated[
        bool | None, typer.Option("--live/--offline", help="Pacing (default: by source kind).")
    ] = None,
    tracker: TrackerOpt = None,
    cotracker_repo: CoTrackerRepoOpt = None,
    cotracker_checkpoint: CoTrackerCheckpointOpt = None,
    clips: Annotated[bool | None, typer.Option("--clips/--no-clips", help="Write clips.")] = None,
    checkpoint: Annotated[
        Path | None, typer.Option(help="Motion tokenizer checkpoint (from `laps train`).")
    ] = None,
    device: Annotated[str, typer.Option(help="Tokenizer device: auto | cpu | cuda.")] = "auto",
    debug: DebugOpt = False,
    quiet: QuietOpt = False,
) -> None:
    """Segment videos, folders, cameras or streams into action primitives."""
    setup_logging(debug, quiet)
    tokenizer = guarded(lambda: load_tokenizer(checkpoint, device), debug)
    cfg = guarded(
        lambda: load_config(
            config,
            overrides or [],
            base=None if tokenizer is None else tokenizer.layer,
            segment__threshold=threshold,
            segment__calibration=calibration,
            **tracker_flags(tracker, cotracker_repo, cotracker_checkpoint),
            export__clips=clips,
        ),
        debug,
    )
    if tokenizer is not None:
        guarded(lambda: tokenizer.check(cfg), debug)
    specs = guarded(lambda: batch_sources(sources or [], sources_from or [], cfg.video), debug)
    address = ray_address(use_ray, ray_at)
    opts = BatchOptions(
        batch_workers(workers, address), address, retries, force, live, device, debug
    )
    summary = run_many(specs, out, cfg, opts, tokenizer)
    failed = len(summary.of(Status.FAILED))
    if failed:
        if len(specs) > 1:
            typer.echo(f"{failed} of {len(specs)} sources failed (see errors above)", err=True)
        raise typer.Exit(EXIT_BAD_INPUT)


def run_many(
    specs: list[str],
    out: Path,
    cfg: PipelineConfig,
    opts: BatchOptions,
    tokenizer: LoadedTokenizer | None = None,
) -> JobSummary:
    """Segment every source (in this process, on workers, or on Ray); print one line each."""
    in_process = opts.ray is None and opts.workers == 1
    observer = ConsoleObserver(cfg.video.target_fps) if in_process else None

    def show(outcome: VideoOutcome) -> None:
        if observer is not None:
            observer.stop()
        if outcome.status is Status.FAILED:
            typer.echo(f"error: {outcome.reason}", err=True)
        else:
            typer.echo(outcome.line)

    try:
        summary = guarded(
            lambda: run_batch(specs, out, cfg, opts, tokenizer, observer, show), opts.raise_errors
        )
    finally:
        if observer is not None:
            observer.stop()
    if len(specs) > 1 or not in_process:
        typer.echo(summary.headline())
    return summary
