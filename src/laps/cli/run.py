"""``laps run``: raw videos to a primitive library and a report, in one resumable command.

Stages (each in OUT/<stage>/, skipped when up to date): tracks -> train (not with
--checkpoint) -> calibrate (with ground truth <stem>.json beside the videos) -> segment ->
cluster -> eval (with ground truth) -> report.

Examples:
    laps run videos/ --out run/                       # trains the small tokenizer (~2 min CPU)
    laps run a.mp4 b.mp4 --out run/ --checkpoint runs/tokenizer/best.pt --device cuda
    laps run videos/ --out run/ --force cluster       # redo cluster, eval and report
    laps run videos/ --out run/ --workers 2           # track and segment 2 videos at a time
    laps run videos/ --out run/ --ray-address auto    # tracks and segment on a Ray cluster
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from laps.cli._errors import guarded, setup_logging
from laps.cli._options import (
    DebugOpt,
    OutOpt,
    QuietOpt,
    RayAddressOpt,
    RayOpt,
    SetOpt,
    WorkersOpt,
    batch_workers,
    ray_address,
)
from laps.cli._progress import ConsoleObserver
from laps.config import load_config
from laps.orchestrate import (
    DEFAULT_TRAIN_SECONDS,
    STAGE_NAMES,
    RunContext,
    check_force,
    headline,
    run_pipeline,
)
from laps.video.sources import expand_sources


def run(
    videos: Annotated[list[str], typer.Argument(help="Video files or folders of videos.")],
    out: OutOpt,
    checkpoint: Annotated[
        Path | None,
        typer.Option(help="Tokenizer checkpoint: skips the tracks and train stages."),
    ] = None,
    device: Annotated[str, typer.Option(help="Tokenizer device: auto | cpu | cuda.")] = "auto",
    force: Annotated[
        str | None,
        typer.Option(help=f"Redo a stage and those after it: {' | '.join(STAGE_NAMES)}."),
    ] = None,
    train_seconds: Annotated[
        float, typer.Option(help="Training time budget, s (whole epochs until spent).")
    ] = DEFAULT_TRAIN_SECONDS,
    overrides: SetOpt = None,
    workers: WorkersOpt = None,
    use_ray: RayOpt = False,
    ray_at: RayAddressOpt = None,
    debug: DebugOpt = False,
    quiet: QuietOpt = False,
) -> None:
    """Track, train, calibrate, segment, cluster, evaluate and report, resuming where it stopped."""
    setup_logging(debug, quiet)
    guarded(lambda: check_force(force), debug)
    cfg = guarded(lambda: load_config(None, overrides or []), debug)
    specs = guarded(lambda: expand_sources(videos, cfg.video), debug)
    address = ray_address(use_ray, ray_at)
    ctx = RunContext(
        videos=[Path(s) for s in specs],
        out=out,
        checkpoint=checkpoint,
        device=device,
        overrides=list(overrides or []),
        train_seconds=train_seconds,
        observer=ConsoleObserver(cfg.video.target_fps),
        workers=batch_workers(workers, address),
        ray=address,
    )
    summary = guarded(lambda: run_pipeline(ctx, force), debug)
    typer.echo(headline(summary))
