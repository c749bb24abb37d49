"""The ``laps`` command line: thin commands over library calls.

Examples:
    laps demo
    laps segment video.mp4 --out out/
    laps config show
"""

from __future__ import annotations

import typer

from laps.cli.benchmark import app as benchmark_app
from laps.cli.calibrate import calibrate
from laps.cli.cluster import cluster
from laps.cli.config_cmd import config_app
from laps.cli.demo import demo
from laps.cli.eval_cmd import eval_segments
from laps.cli.report import report
from laps.cli.run import run
from laps.cli.segment import segment
from laps.cli.synth import app as synth_app
from laps.cli.tracks import tracks
from laps.cli.train import train

app = typer.Typer(
    name="laps",
    help="Action primitives from long work videos (LAPS, done correctly and fast).",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)
app.command()(segment)
app.command()(demo)
app.command(name="eval")(eval_segments)
app.command()(tracks)
app.command()(train)
app.command()(calibrate)
app.command()(report)
app.command()(cluster)
app.command()(run)
app.add_typer(config_app, name="config")
app.add_typer(synth_app, name="synth")
app.add_typer(benchmark_app, name="benchmark")


def main() -> None:
    """Console-script entry point."""
    app()
