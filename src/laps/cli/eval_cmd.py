"""``laps eval``: score predicted segments against ground truth (docs/EVALUATION.md).

Examples:
    laps eval out/ synth/
    laps eval out/ synth/ --tolerance 0.5,1,2,5 --iou 0.5,0.75 --json eval.json --csv eval.csv
    laps eval out/ synth/ --matching greedy --tolerance 2,5      # the reference's numbers
    laps eval out/ synth/ --idle-tolerance 1.0     # false boundaries in idle, 1 s from edges
    laps eval clusters/ synth/ --labels --label-matching global
"""

from __future__ import annotations

import re
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from laps.cli._errors import guarded, setup_logging
from laps.cli._options import DebugOpt, QuietOpt
from laps.errors import ConfigError
from laps.evaluate import EvalOptions, EvalReport, evaluate, load_pairs
from laps.evaluate.report import print_report, write_csv_report, write_json_report

_SEP = re.compile(r"[,\s]+")

ValuesOpt = list[str] | None


def parse_values(option: str, values: ValuesOpt, default: tuple[float, ...]) -> tuple[float, ...]:
    """Numbers from repeated and/or comma-separated option values (``0.5,1 --x 2``).

    Raises:
        ConfigError: for a value that is not a number.
    """
    if not values:
        return default
    out = []
    for text in values:
        for part in filter(None, _SEP.split(text.strip())):
            try:
                out.append(float(part))
            except ValueError:
                raise ConfigError(
                    f"{option}: expected numbers like 0.5,1,2, got {part!r}; "
                    f"separate values with commas or repeat {option}"
                ) from None
    return tuple(out)


def _check_output(option: str, path: Path | None) -> None:
    if path is not None and not path.parent.is_dir():
        raise ConfigError(
            f"{option}: expected a file in an existing folder, got {path}; "
            f"create {path.parent} first"
        )


def _outputs(
    report: EvalReport, pred: Path, gt: Path, json_out: Path | None, csv_out: Path | None
) -> None:
    if json_out is not None:
        write_json_report(json_out, report, {"pred": str(pred), "gt": str(gt)})
    if csv_out is not None:
        write_csv_report(csv_out, report)


def eval_segments(
    pred: Annotated[
        Path,
        typer.Argument(
            help="Predictions: a laps output folder, a folder of segments JSONs, or one JSON."
        ),
    ],
    gt: Annotated[
        Path,
        typer.Argument(
            help="Ground truth: a folder of segments JSONs (e.g. laps synth output) or one JSON."
        ),
    ],
    tolerance: Annotated[
        ValuesOpt, typer.Option(help="Boundary tolerances, s: 0.5,1,2,5 or repeated.")
    ] = None,
    iou: Annotated[
        ValuesOpt, typer.Option(help="IoU thresholds of the segment mAP: 0.5,0.75.")
    ] = None,
    matching: Annotated[
        str, typer.Option(help="Boundary matching: one-to-one | greedy (the reference).")
    ] = "one-to-one",
    labels: Annotated[
        bool, typer.Option("--labels", help="Also score labels: MoF, Edit, F1@10/25/50.")
    ] = False,
    label_matching: Annotated[
        str, typer.Option(help="Hungarian label mapping: per-video | global.")
    ] = "per-video",
    label_rate: Annotated[
        float | None, typer.Option(help="Labelling rate, Hz (default: GT fps, else 30).")
    ] = None,
    idle_tolerance: Annotated[
        float,
        typer.Option(help="Boundaries closer than this to a true idle edge are not false, s."),
    ] = 0.5,
    idle_label: Annotated[str, typer.Option(help="Ground-truth label of idle segments.")] = "idle",
    json_out: Annotated[
        Path | None, typer.Option("--json", help="Write the full report as JSON.")
    ] = None,
    csv_out: Annotated[
        Path | None, typer.Option("--csv", help="Write per-video rows + an ALL row as CSV.")
    ] = None,
    debug: DebugOpt = False,
    quiet: QuietOpt = False,
) -> None:
    """Score segments: boundary P/R/F1, segment mAP, idle false cuts, lengths, labels."""
    setup_logging(debug, quiet)

    def options() -> EvalOptions:
        _check_output("--json", json_out)
        _check_output("--csv", csv_out)
        defaults = EvalOptions()
        return EvalOptions(
            tolerances=parse_values("--tolerance", tolerance, defaults.tolerances),
            ious=parse_values("--iou", iou, defaults.ious),
            matching=matching,  # type: ignore[arg-type]  # checked by EvalOptions
            labels=labels,
            label_matching=label_matching,  # type: ignore[arg-type]
            label_rate_hz=label_rate,
            idle_tolerance_s=idle_tolerance,
            idle_label=idle_label,
        )

    opts = guarded(options, debug)
    report = guarded(lambda: evaluate(load_pairs(pred, gt), opts), debug)
    # Piped output is read later or parsed: never cut a table to a default 80 columns.
    print_report(report, Console(width=None if sys.stdout.isatty() else 240))
    guarded(lambda: _outputs(report, pred, gt, json_out, csv_out), debug)
