"""``laps demo``: the embedded default, end to end, on a generated workstation video.

Renders a workstation video with ground truth (``laps.synth``), segments it with the
default pipeline, and prints the boundary F1 against the ground truth beside a periodic
segmentation, so a user sees what the method does in one command.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import numpy as np
import typer

from laps.cli._demo_tokenizer import train_demo_tokenizer
from laps.cli._errors import guarded, setup_logging
from laps.cli._options import DebugOpt, OutOpt, QuietOpt
from laps.cli._progress import ConsoleObserver
from laps.config import load_config
from laps.evaluate.boundaries import boundaries_from_segments, boundary_score, read_segments_json
from laps.pipeline.run import RunResult, segment_source
from laps.synth import SynthConfig, render_video
from laps.tokenizer.loading import load_tokenizer

TOLERANCES_S = (0.5, 1.0, 2.0)
PERIOD_S = 2.0  # the reference's maximum segment duration


def demo(
    out: OutOpt = Path("demo_out"),
    seconds: Annotated[float, typer.Option(help="Length of the generated video, s.")] = 90.0,
    preset: Annotated[str, typer.Option(help="Generator preset: easy | medium | hard.")] = "medium",
    seed: Annotated[int, typer.Option(help="Generator seed.")] = 1,
    train_seconds: Annotated[
        float, typer.Option(help="CPU time budget to train the small tokenizer, s (0 = skip).")
    ] = 120.0,
    train_video_seconds: Annotated[
        float, typer.Option(help="Length of the generated training video, s.")
    ] = 60.0,
    debug: DebugOpt = False,
    quiet: QuietOpt = False,
) -> None:
    """Generate a workstation video, segment it, and score the boundaries."""
    setup_logging(debug, quiet)
    synth_cfg = guarded(lambda: SynthConfig(seed=seed, duration_s=seconds, preset=preset), debug)
    typer.echo(f"rendering a {seconds:g} s {preset} workstation video ...")
    video = guarded(lambda: render_video(synth_cfg, out / "videos"), debug)
    observer = ConsoleObserver(10.0)
    base = guarded(
        lambda: segment_source(
            str(video.video), out / "velocity", load_config(), observer=observer
        ),
        debug,
    )
    runs = [("laps, velocity changes", base)]
    if train_seconds > 0:
        typer.echo(f"training the small tokenizer on CPU for about {train_seconds:g} s ...")
        ckpt = guarded(
            lambda: train_demo_tokenizer(out, preset, seed, train_seconds, train_video_seconds),
            debug,
        )
        tok = guarded(lambda: load_tokenizer(ckpt, "cpu"), debug)
        assert tok is not None  # a checkpoint path was given
        cfg = load_config(base=tok.layer)
        learned = guarded(
            lambda: segment_source(
                str(video.video), out / "learned", cfg, observer=observer,
                encoder=tok.encoder, checkpoint=tok.info,
            ),
            debug,
        )  # fmt: skip
        runs.insert(0, ("laps, learned latent changes", learned))
    typer.echo(report_scores(runs, video.ground_truth))


def report_scores(runs: list[tuple[str, RunResult]], truth_path: Path) -> str:
    """Boundary F1 of the run and of a periodic baseline against the ground truth.

    The periodic baseline shows how much a tolerance rewards cutting blindly (the
    reference's 2 s tolerance cannot tell it from the method).
    """
    truth, duration = read_segments_json(truth_path)
    true_b = boundaries_from_segments(truth, duration)
    end = float(duration or (truth[-1][1] if truth else 0.0))
    rows = [
        (name, boundaries_from_segments([(s.start_s, s.end_s) for s in r.segments], duration))
        for name, r in runs
    ]
    rows.append(("periodic cut every 2 s", np.arange(PERIOD_S, end, PERIOD_S)))
    lines = [f"ground truth: {len(truth)} primitives in {end:.0f} s"]
    for name, r in runs:
        lines.append(
            f"{name}: {len(r.segments)} segments, {r.perf['sampled_fps']:.1f} sampled "
            f"frames/s, ok_ratio {r.perf['ok_ratio']:.3f} -> {r.out_dir}"
        )
    width = max(len(name) for name, _ in rows) + 2
    head = "boundary F1 (one-to-one)".ljust(width + 2)
    lines.append(head + "  ".join(f"@{t:g}s".ljust(5) for t in TOLERANCES_S))
    for name, pred in rows:
        f1s = [boundary_score(true_b, pred, t).f1 for t in TOLERANCES_S]
        lines.append(f"  {name:{width}s}" + "  ".join(f"{f:5.3f}" for f in f1s))
    return "\n".join(lines)
