"""``laps synth``: synthetic workstation videos with ground truth, and the benchmark suite.

Examples:
    laps synth video --seed 3 --duration 120 --preset medium --out synth/
    laps synth video --preset hard --view oblique --preview --set nuisance.noise=8
    laps synth suite --out suite/
    laps synth suite --version 2 --out suite_v2/
    laps synth video --set variety.idle_fraction=0.6 --size 640x360   # one suite-v2-style video
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Annotated, Any

import typer

from laps.cli._errors import guarded, setup_logging
from laps.cli._options import DebugOpt, OutOpt, QuietOpt, SetOpt
from laps.config import apply_override
from laps.errors import ConfigError
from laps.synth import SynthConfig, make_config, render_video, write_suite

app = typer.Typer(
    help="Synthetic workstation videos with frame-level ground truth (docs/GENERATOR.md).",
    no_args_is_help=True,
    add_completion=False,
)

_SIZE_RE = re.compile(r"^(\d+)[xX](\d+)$")


def parse_size(text: str) -> tuple[int, int]:
    """``"1280x720"`` -> ``(1280, 720)``.

    Raises:
        ConfigError: for anything else.
    """
    m = _SIZE_RE.match(text.strip())
    if m is None:
        raise ConfigError(f"--size: expected WIDTHxHEIGHT like 1280x720, got {text!r}")
    return int(m.group(1)), int(m.group(2))


def _build(values: dict[str, Any], overrides: list[str] | None) -> SynthConfig:
    data: dict[str, Any] = dict(values)
    for assignment in overrides or []:
        apply_override(data, assignment)
    return make_config(**data)


@app.command()
def video(
    *,
    out: OutOpt = Path("synth_out"),
    seed: Annotated[int, typer.Option(help="Random seed; the same seed gives the same video.")] = 0,
    duration: Annotated[float, typer.Option(help="Length of the video, s.")] = 120.0,
    preset: Annotated[str, typer.Option(help="Difficulty: easy | medium | hard.")] = "medium",
    view: Annotated[str, typer.Option(help="Camera: top | oblique.")] = "top",
    size: Annotated[str, typer.Option(help="Frame size WIDTHxHEIGHT (even numbers).")] = "1280x720",
    fps: Annotated[float, typer.Option(help="Frame rate, frames/s (nominal with --vfr).")] = 30.0,
    vfr: Annotated[
        bool, typer.Option(help="Variable frame rate (jitter, dropped frames).")
    ] = False,
    stem: Annotated[str | None, typer.Option(help="Output file stem.")] = None,
    preview: Annotated[bool, typer.Option(help="Also write a labelled contact sheet PNG.")] = False,
    set_: SetOpt = None,
    debug: DebugOpt = False,
    quiet: QuietOpt = False,
) -> None:
    """Render one video with its ground truth (``--set nuisance.KNOB=V`` tunes a knob)."""
    setup_logging(debug, quiet)

    def build() -> SynthConfig:
        width, height = parse_size(size)
        values = {"seed": seed, "duration_s": duration, "preset": preset, "view": view}
        values |= {"width": width, "height": height, "fps": fps, "vfr": vfr, "stem": stem}
        return _build(values, set_)

    cfg = guarded(build, debug)
    result = guarded(lambda: render_video(cfg, out, preview=preview), debug)
    typer.echo(f"video:        {result.video}")
    typer.echo(f"ground truth: {result.ground_truth}")
    if result.preview is not None:
        typer.echo(f"preview:      {result.preview}")
    typer.echo(
        f"{result.n_frames} frames, {result.duration_s:.2f} s of video "
        f"rendered in {result.render_s:.1f} s"
    )


@app.command()
def suite(
    *,
    out: OutOpt = Path("synth_suite"),
    version: Annotated[
        str,
        typer.Option(
            help="Suite version: 1 (24 x 180 s, 1280x720, assembly line) or "
            "2 (12 + 12 videos of 60-90 s, 640x360, varied structure; docs/GENERATOR.md)."
        ),
    ] = "1",
    duration: Annotated[
        float | None, typer.Option(help="Override every video's length, s (small suites).")
    ] = None,
    size: Annotated[str | None, typer.Option(help="Override the frame size, WxH.")] = None,
    preview: Annotated[bool, typer.Option(help="Also write contact sheets.")] = False,
    debug: DebugOpt = False,
    quiet: QuietOpt = False,
) -> None:
    """Render the versioned benchmark suite (train / test split by seed) and suite.json."""
    setup_logging(debug, quiet)
    wh = guarded(lambda: parse_size(size), debug) if size is not None else None
    manifest = guarded(
        lambda: write_suite(out, version, duration_s=duration, size=wh, preview=preview), debug
    )
    typer.echo(f"suite manifest: {manifest}")
