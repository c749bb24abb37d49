"""``laps segment``: segments, clips and performance figures for videos and streams.

Examples:
    laps segment video.mp4 --out out/
    laps segment videos/ --out out/ --threshold 0.05
    laps segment video.mp4 --live            # replay a file in real time
    laps segment camera:0 --out out/         # a camera, live
    laps segment rtsp://host/stream --out out/
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Annotated

import typer

from laps.cli._errors import EXIT_BAD_INPUT, guarded, report, setup_logging
from laps.cli._options import (
    ConfigOpt,
    CoTrackerCheckpointOpt,
    CoTrackerRepoOpt,
    DebugOpt,
    OutOpt,
    QuietOpt,
    SetOpt,
    TrackerOpt,
    tracker_flags,
)
from laps.cli._progress import ConsoleObserver
from laps.config import PipelineConfig, load_config
from laps.errors import LapsError
from laps.export.layout import unique_names
from laps.pipeline.run import RunResult, segment_source
from laps.tokenizer.loading import LoadedTokenizer, load_tokenizer
from laps.video.sources import expand_sources

logger = logging.getLogger("laps.cli")


def segment(
    sources: Annotated[list[str], typer.Argument(help="Files, folders, camera:N, or URLs.")],
    out: OutOpt = Path("out"),
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
    specs = guarded(lambda: expand_sources(sources, cfg.video), debug)
    failed = run_many(specs, out, cfg, live, debug, tokenizer)
    if failed:
        if len(specs) > 1:
            typer.echo(f"{failed} of {len(specs)} sources failed (see errors above)", err=True)
        raise typer.Exit(EXIT_BAD_INPUT)


def run_many(
    specs: list[str],
    out: Path,
    cfg: PipelineConfig,
    live: bool | None,
    debug: bool,
    tokenizer: LoadedTokenizer | None = None,
) -> int:
    """Segment each source in turn; a bad one is reported and the rest go on."""
    failed = 0
    observer = ConsoleObserver(cfg.video.target_fps)
    for spec, name in zip(specs, unique_names(specs), strict=True):
        try:
            result = segment_source(
                spec,
                out,
                cfg,
                live=live,
                name=name,
                observer=observer,
                encoder=None if tokenizer is None else tokenizer.encoder,
                checkpoint=None if tokenizer is None else tokenizer.info,
            )
        except LapsError as err:
            observer.stop()
            if debug:
                raise
            report(err)
            failed += 1
            continue
        except KeyboardInterrupt:
            observer.stop()
            typer.echo("interrupted", err=True)
            raise typer.Exit(130) from None
        typer.echo(summary_line(result))
    return failed


def summary_line(result: RunResult) -> str:
    """One line per finished source."""
    p = result.perf
    return (
        f"{result.name}: {len(result.segments)} segments, {result.n_windows} windows "
        f"({result.n_failed_windows} failed), threshold {result.threshold.value:.4g} "
        f"[{result.threshold.method}], {p['sampled_fps']:.1f} sampled frames/s, "
        f"ok_ratio {p['ok_ratio']:.3f} -> {result.out_dir}"
    )
