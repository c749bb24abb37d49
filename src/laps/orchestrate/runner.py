"""``laps run``: the stages in order, each skipped when its stamp says it is up to date."""

from __future__ import annotations

import logging
import shutil
import time
from dataclasses import dataclass, field
from typing import Any

from laps.errors import ConfigError
from laps.orchestrate.context import RunContext, collect_truth
from laps.orchestrate.stages import STAGE_NAMES, STAGES
from laps.orchestrate.stamps import inputs_hash, is_current, read_stamp, write_stamp

logger = logging.getLogger(__name__)

# Kept when out of date (not when forced): the window dataset resumes video by video.
KEEP_ON_REDO = frozenset({"tracks"})


@dataclass
class RunSummary:
    """What a run did: per stage ``done`` | ``up to date`` | ``skipped: <why>``, and results."""

    status: dict[str, str] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)
    results: dict[str, dict[str, Any]] = field(default_factory=dict)


def check_force(force: str | None) -> None:
    """Raise for a ``--force`` value that names no stage."""
    if force is not None and force not in STAGE_NAMES:
        raise ConfigError(f"--force: expected one of {' | '.join(STAGE_NAMES)}, got {force!r}")


def run_pipeline(ctx: RunContext, force: str | None = None) -> RunSummary:
    """Run every stage of ``ctx`` in order; resume: a stage whose stamp matches is skipped.

    Args:
        ctx: the videos, output folder and settings.
        force: redo this stage and every stage after it, whatever their stamps.

    Raises:
        LapsError: no videos, a bad ``force``, or a failing stage (its stamp is not written,
            so the next run redoes it).
    """
    check_force(force)
    if not ctx.videos:
        raise ConfigError("laps run: expected at least one video, got none; check the paths")
    ctx.out.mkdir(parents=True, exist_ok=True)
    collect_truth(ctx)
    forced = False
    summary = RunSummary()
    n = len(STAGES)
    for i, stage in enumerate(STAGES, 1):
        forced = forced or stage.name == force
        tag = f"[{i}/{n}] {stage.name}"
        reason = stage.skip_reason(ctx)
        if reason is not None:
            summary.status[stage.name] = f"skipped: {reason}"
            logger.info("%s: skipped (%s)", tag, reason)
            continue
        folder = ctx.stage_dir(stage.name)
        digest = inputs_hash(stage.inputs(ctx))
        if not forced and is_current(folder, digest):
            summary.status[stage.name] = "up to date"
            logger.info("%s: up to date, skipped", tag)
            continue
        if folder.exists() and (forced or stage.name not in KEEP_ON_REDO):
            shutil.rmtree(folder)
        folder.mkdir(parents=True, exist_ok=True)
        logger.info("%s: running ...", tag)
        t0 = time.monotonic()
        result = stage.run(ctx)
        seconds = time.monotonic() - t0
        write_stamp(folder, digest, seconds, result)
        summary.status[stage.name] = "done"
        summary.seconds[stage.name] = seconds
        summary.results[stage.name] = result
        logger.info("%s: done in %.1f s", tag, seconds)
    summary.results = _all_results(ctx) | summary.results
    return summary


def _all_results(ctx: RunContext) -> dict[str, dict[str, Any]]:
    """The recorded results of every stage done now or earlier (for the headline)."""
    out: dict[str, dict[str, Any]] = {}
    for name in STAGE_NAMES:
        stamp = read_stamp(ctx.stage_dir(name))
        if stamp is not None and isinstance(stamp.get("result"), dict):
            out[name] = stamp["result"]
    return out


def _shape_line(shape: dict[str, Any]) -> list[str]:
    """Segment lengths p10 / median / p90 against the truth's, count ratio, idle cuts."""
    keys = ("pred_len_p10", "pred_len_median", "pred_len_p90")
    if any(shape.get(k) is None for k in keys):
        return []
    pred = " / ".join(f"{shape[k]:.2f}" for k in keys)
    true = " / ".join(f"{shape[k.replace('pred', 'gt')]:.2f}" for k in keys)
    line = f"segment length p10/median/p90 {pred} s (truth {true} s)"
    if shape.get("segment_ratio") is not None:
        line += f", predicted/true segments {shape['segment_ratio']:.2f}"
    if shape.get("idle_false_per_min") is not None:
        line += f", cuts inside true idle {shape['idle_false_per_min']:.1f}/min"
    return [line]


def headline(summary: RunSummary) -> str:
    """Boundary F1 at 0.5 / 1 / 2 s, K and NMI, and where the report is."""
    res = summary.results
    parts = []
    ev = res.get("eval")
    seg = res.get("segment", {})
    if seg.get("idle_s") is not None:
        parts.append(f"idle {seg['idle_s']:.1f} s, active {seg['active_s']:.1f} s")
    if ev and not summary.status.get("eval", "").startswith("skipped"):
        f1 = ", ".join(f"{k.removeprefix('f1@')} {v:.3f}" for k, v in ev.items() if k != "shape")
        parts.append(f"boundary F1 {f1}")
        parts += _shape_line(ev.get("shape") or {})
    cl = res.get("cluster", {})
    if "k" in cl:
        text = f"K={cl['k']} over {cl['segments']} segments"
        if "nmi" in cl:
            text += f", NMI {cl['nmi']:.3f} (random {cl['nmi_random']:.3f})"
        parts.append(text)
    if "index" in res.get("report", {}):
        parts.append(f"report: {res['report']['index']}")
    return "\n".join(parts)
