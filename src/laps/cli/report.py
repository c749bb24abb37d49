"""``laps report``: a static HTML report of a run (timelines, clips, perf, evaluation, clusters).

Examples:
    laps report out/                              # -> out/report/index.html
    laps report out/ --out report/ --gt synth/ --clusters clusters/
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from laps.cli._errors import guarded, setup_logging
from laps.cli._options import DebugOpt, QuietOpt
from laps.report import build_report


def report(
    run_root: Annotated[
        Path, typer.Argument(metavar="OUT", help="Output folder of `laps segment`.")
    ],
    out: Annotated[
        Path | None, typer.Option("--out", "-o", help="Report folder (default: OUT/report).")
    ] = None,
    gt: Annotated[
        Path | None,
        typer.Option("--gt", help="Ground truth (e.g. laps synth output): adds the evaluation."),
    ] = None,
    clusters: Annotated[
        Path | None,
        typer.Option("--clusters", help="Output folder of `laps cluster`: adds the galleries."),
    ] = None,
    debug: DebugOpt = False,
    quiet: QuietOpt = False,
) -> None:
    """Write a static HTML report of a run: no network needed to view it."""
    setup_logging(debug, quiet)

    def build() -> Path:
        return build_report(run_root, out or run_root / "report", gt, clusters)

    index = guarded(build, debug)
    typer.echo(f"report: {index}")
