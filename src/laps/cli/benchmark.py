"""``laps benchmark accuracy``: every method and baseline on the suite's test split.

Each run writes the section of its suite's version in docs/RESULTS.md (and RESULTS.json)
and keeps the other suites' sections: run it once per suite.

Examples:
    laps benchmark accuracy --suite suite/ --render --jobs 2   # renders the suite if missing
    laps benchmark accuracy --suite suite/ --jobs 2      # the shipped suite-v1 tokenizer
    laps benchmark accuracy --suite suite_v2/ --checkpoint v2.pt --jobs 2   # the v2 section
    laps benchmark accuracy --suite suite/ --methods velocity,periodic,hand_speed --out /tmp/r.md
"""

from __future__ import annotations

import logging
import shlex
import sys
from pathlib import Path
from typing import Annotated

import typer

from laps.benchmark.accuracy import run_accuracy, write_results
from laps.benchmark.methods import METHODS
from laps.cli._errors import guarded, setup_logging
from laps.cli._options import DebugOpt, QuietOpt
from laps.errors import ConfigError
from laps.synth.suite import write_suite
from laps.tokenizer.assets import SUITE1_SMALL

logger = logging.getLogger("laps.cli")

app = typer.Typer(help="Benchmarks whose results go into docs/.", no_args_is_help=True)


def _methods(text: str | None) -> list[str] | None:
    if text is None:
        return None
    keys = [k.strip() for k in text.split(",") if k.strip()]
    if not keys:
        raise ConfigError(f"--methods: expected a comma list of {', '.join(METHODS)}, got none")
    return keys


@app.command()
def accuracy(
    suite: Annotated[Path, typer.Option(help="Suite folder (from `laps synth suite`).")],
    checkpoint: Annotated[
        Path,
        typer.Option(help="Tokenizer checkpoint trained on the suite's train split."),
    ] = SUITE1_SMALL,
    out: Annotated[
        Path, typer.Option(help="Results document; only this suite's section is rewritten.")
    ] = Path("docs/RESULTS.md"),
    work: Annotated[
        Path | None, typer.Option(help="Cache of runs and flow (default: SUITE/../bench_work).")
    ] = None,
    jobs: Annotated[int, typer.Option(min=1, help="Videos processed in parallel.")] = 1,
    device: Annotated[str, typer.Option(help="Tokenizer device: cpu | cuda | auto.")] = "cpu",
    methods: Annotated[
        str | None, typer.Option(help=f"Comma list of rows (default all): {', '.join(METHODS)}.")
    ] = None,
    render: Annotated[
        bool, typer.Option(help="Render the suite first when SUITE has no suite.json (~40 min).")
    ] = False,
    tolerance: Annotated[
        float, typer.Option(help="Tolerance of the supervised calibration, s.")
    ] = 1.0,
    debug: DebugOpt = False,
    quiet: QuietOpt = False,
) -> None:
    """Score every method on the test split with everything fitted on the train split."""
    setup_logging(debug, quiet)
    command = "laps " + " ".join(shlex.quote(a) for a in sys.argv[1:])

    def go() -> Path:
        if render and not (suite / "suite.json").is_file():
            logger.info("rendering the suite into %s (resumable)", suite)
            write_suite(suite)
        report = run_accuracy(
            suite,
            work or suite.resolve().parent / "bench_work",
            checkpoint=checkpoint,
            device=device,
            jobs=jobs,
            methods=_methods(methods),
            tolerance_s=tolerance,
        )
        return write_results(report, out, command)

    path = guarded(go, debug)
    typer.echo(f"results: {path}")
