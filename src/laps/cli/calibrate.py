"""``laps calibrate``: fit the energy threshold thr_on and write it to a calibration JSON.

Examples:
    laps calibrate videos/ --out calib.json
    laps calibrate out/ --out calib.json --config out/video1/config.yaml   # reuse runs
    laps calibrate train_videos/ --gt train_gt/ --out calib.json          # training split!
    laps segment test_videos/ --calibration calib.json
"""

from __future__ import annotations

import logging
import shutil
import tempfile
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer

from laps.calibrate.calibration import Aggregate, Objective, parse_label_spec
from laps.calibrate.fit import CalibrateOptions
from laps.calibrate.fit import calibrate as fit
from laps.calibrate.run_data import collect_runs, find_runs
from laps.cli._errors import guarded, setup_logging
from laps.cli._options import ConfigOpt, DebugOpt, QuietOpt, SetOpt
from laps.config import PipelineConfig, load_config
from laps.errors import ConfigError
from laps.export.atomic import write_json_atomic
from laps.pipeline.encode import WindowEncoder
from laps.tokenizer.loading import load_tokenizer

logger = logging.getLogger("laps.cli")

_GT_HELP = (
    "Folder of ground-truth JSON (<video stem>.json). Supervised: pass a TRAINING split "
    "only; a threshold fitted on the videos you evaluate on inflates their scores."
)


E = TypeVar("E", bound=StrEnum)


def _choice(kind: type[E], value: str, flag: str) -> E:
    try:
        return kind(value.strip().lower())
    except ValueError:
        valid = " | ".join(v.value for v in kind)
        raise ConfigError(f"{flag}: expected {valid}, got {value!r}") from None


def _options(
    objective: str, label: str, aggregate: str | None, tolerance: float, gt: Path | None, out: Path
) -> CalibrateOptions:
    if not out.parent.is_dir():
        raise ConfigError(f"--out: expected a file in an existing folder, got {out}")
    return CalibrateOptions(
        objective=_choice(Objective, objective, "--objective"),
        label=parse_label_spec(label),
        aggregate=None if aggregate is None else _choice(Aggregate, aggregate, "--aggregate"),
        tolerance_s=tolerance,
        gt_dir=gt,
    )


def calibrate(
    sources: Annotated[
        list[str], typer.Argument(help="Videos, folders of videos, or laps run folders (reused).")
    ],
    out: Annotated[Path, typer.Option("--out", "-o", help="Calibration JSON to write.")],
    gt: Annotated[Path | None, typer.Option("--gt", help=_GT_HELP)] = None,
    objective: Annotated[
        str, typer.Option(help="Unsupervised objective against the pseudo-labels: f1 | youden.")
    ] = "f1",
    label_threshold: Annotated[
        str, typer.Option(help="Proxy threshold of the pseudo-labels: auto | quantile:Q | value:X.")
    ] = "auto",
    aggregate: Annotated[
        str | None,
        typer.Option(help="median | mean | pooled (default: median; pooled with --gt)."),
    ] = None,
    tolerance: Annotated[
        float, typer.Option(help="Boundary tolerance of the supervised F1, seconds.")
    ] = 1.0,
    work: Annotated[
        Path | None, typer.Option(help="Keep the runs made from videos here (default: temporary).")
    ] = None,
    checkpoint: Annotated[
        Path | None, typer.Option(help="Motion tokenizer checkpoint (from `laps train`).")
    ] = None,
    device: Annotated[str, typer.Option(help="Tokenizer device: auto | cpu | cuda.")] = "auto",
    config: ConfigOpt = None,
    overrides: SetOpt = None,
    debug: DebugOpt = False,
    quiet: QuietOpt = False,
) -> None:
    """Fit the energy threshold: pseudo-labels from the velocity proxy, or ground truth."""
    setup_logging(debug, quiet)
    opts = guarded(
        lambda: _options(objective, label_threshold, aggregate, tolerance, gt, out), debug
    )
    setup = guarded(lambda: _setup(sources, checkpoint, device, config, overrides), debug)
    cfg, encoder, info = setup
    folder = work if work is not None else Path(tempfile.mkdtemp(prefix="laps-calibrate-"))
    try:
        runs = guarded(lambda: collect_runs(sources, cfg, folder, encoder, info), debug)
        doc = guarded(lambda: fit(runs, cfg, opts), debug)
        guarded(lambda: write_json_atomic(out, doc), debug)
    finally:
        if work is None:
            shutil.rmtree(folder, ignore_errors=True)
    typer.echo(
        f"threshold {doc['threshold']:.6g} [{doc['method']}, {doc['aggregate']}] from "
        f"{len(runs)} videos -> {out}"
    )


def _setup(
    sources: list[str],
    checkpoint: Path | None,
    device: str,
    config: Path | None,
    overrides: list[str] | None,
) -> tuple[PipelineConfig, WindowEncoder | None, dict[str, Any] | None]:
    """Config, encoder and checkpoint record.

    A checkpoint is always loaded, also for run folders alone: it decides the energy
    settings the runs are checked against (its config layer); the encoder is handed on only
    when a video has to be segmented.
    """
    need_encoder = any(find_runs(s) is None for s in sources)
    tokenizer = load_tokenizer(checkpoint, device)
    base = None if tokenizer is None else tokenizer.layer
    cfg = load_config(config, overrides or [], base=base)
    if tokenizer is None:
        return cfg, None, None
    tokenizer.check(cfg)
    return cfg, tokenizer.encoder if need_encoder else None, tokenizer.info
