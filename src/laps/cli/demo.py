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

from laps.cli._errors import guarded, setup_logging
from laps.cli._options import DebugOpt, OutOpt, QuietOpt
from laps.cli._progress import ConsoleObserver
from laps.config import load_config
from laps.evaluate.boundaries import boundaries_from_segments, boundary_score, read_segments_json
from laps.pipeline.run import RunResult, segment_source
from laps.synth import SynthConfig, render_video

TOLERANCES_S = (0.5, 1.0, 2.0)
PERIOD_S = 2.0  # the reference's maximum segment duration


def demo(
    out: OutOpt = Path("demo_out"),
    seconds: Annotated[float, typer.Option(help="Length of the generated video, s.")] = 90.0,
    preset: Annotated[str, typer.Option(help="Generator preset: easy | medium | hard.")] = "medium",
    seed: Annotated[int, typer.Option(help="Generator seed.")] = 1,
    debug: DebugOpt = False,
    quiet: QuietOpt = False,
) -> None:
    """Generate a workstation video, segment it, and score the boundaries."""
    setup_logging(debug, quiet)
    synth_cfg = guarded(lambda: SynthConfig(seed=seed, duration_s=seconds, preset=preset), debug)
    typer.echo(f"rendering a {seconds:g} s {preset} workstation video ...")
    video = guarded(lambda: render_video(synth_cfg, out / "videos"), debug)
    cfg = load_config()
    observer = ConsoleObserver(cfg.video.target_fps)
    result = guarded(lambda: segment_source(str(video.video), out, cfg, observer=observer), debug)
    typer.echo(report_scores(result, video.ground_truth))


def report_scores(result: RunResult, truth_path: Path) -> str:
    """Boundary F1 of the run and of a periodic baseline against the ground truth.

    The periodic baseline shows how much a tolerance rewards cutting blindly (the
    reference's 2 s tolerance cannot tell it from the method).
    """
    truth, duration = read_segments_json(truth_path)
    true_b = boundaries_from_segments(truth, duration)
    pred_b = boundaries_from_segments([(s.start_s, s.end_s) for s in result.segments], duration)
    end = float(duration or (truth[-1][1] if truth else 0.0))
    periodic = np.arange(PERIOD_S, end, PERIOD_S)
    lines = [
        f"segments: {len(result.segments)} (ground truth: {len(truth)} primitives)",
        f"outputs:  {result.out_dir}",
        f"speed:    {result.perf['sampled_fps']:.1f} sampled frames/s, "
        f"ok_ratio {result.perf['ok_ratio']:.3f}",
        "boundary F1 (one-to-one)  " + "  ".join(f"@{t:g}s" for t in TOLERANCES_S),
    ]
    for name, pred in (("laps (velocity energy)", pred_b), ("periodic cut every 2 s", periodic)):
        f1s = [boundary_score(true_b, pred, t).f1 for t in TOLERANCES_S]
        lines.append(f"  {name:24s}" + "  ".join(f"{f:5.3f}" for f in f1s))
    return "\n".join(lines)
