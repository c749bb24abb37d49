"""Dense-flow features of the suite's videos for the baselines, computed once per video.

The flow of each video is cached by the baselines package (``WORK/flow``); the time it took
is kept beside it (``WORK/flow_times/<stem>.json``) so a resumed benchmark still reports
the runtime of a cold run.
"""

from __future__ import annotations

import json
import multiprocessing
import time
from collections.abc import Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

import numpy as np

from laps.benchmark.context import Context
from laps.benchmark.suite import SuiteVideo
from laps.calibrate.sweep import EnergyCurve
from laps.config import PipelineConfig
from laps.energy.functional import smooth
from laps.evaluate.baselines.config import BaselinesConfig, MotionConfig
from laps.evaluate.baselines.motion import MotionFeatures, motion_features
from laps.evaluate.baselines.runner import as_config, predict
from laps.evaluate.tracks import SegmentTrack
from laps.export.atomic import write_json_atomic


def motion_config(work: Path) -> MotionConfig:
    """The pipeline's default sampling and windows, with the flow cache in ``work``."""
    return MotionConfig(cache_dir=Path(work) / "flow")


def _extract(video: str, cfg: MotionConfig, times_file: str) -> float:
    """Worker: compute (or load) a video's flow; record the compute time when computed."""
    t0 = time.perf_counter()
    feats = motion_features(video, cfg)
    elapsed = time.perf_counter() - t0
    if not feats.from_cache:
        write_json_atomic(Path(times_file), {"seconds": elapsed})
    return elapsed


def _seconds(path: Path) -> float:
    try:
        return float(json.loads(path.read_text(encoding="utf-8"))["seconds"])
    except (OSError, ValueError, KeyError, TypeError):
        return float("nan")


def flow_features(
    ctx: Context, videos: Sequence[SuiteVideo]
) -> tuple[dict[str, MotionFeatures], dict[str, float]]:
    """Motion features of every video (parallel on a cold cache) and their compute times."""
    cfg = motion_config(ctx.work)
    times_dir = Path(ctx.work) / "flow_times"
    times_dir.mkdir(parents=True, exist_ok=True)
    args = [(str(v.video), cfg, str(times_dir / f"{v.stem}.json")) for v in videos]
    if ctx.jobs > 1 and len(args) > 1:
        mp = multiprocessing.get_context("spawn")
        with ProcessPoolExecutor(max_workers=min(ctx.jobs, len(args)), mp_context=mp) as pool:
            for f in [pool.submit(_extract, *a) for a in args]:
                f.result()
    else:
        for a in args:
            _extract(*a)
    feats = {v.stem: motion_features(v.video, cfg) for v in videos}
    return feats, {v.stem: _seconds(times_dir / f"{v.stem}.json") for v in videos}


def flow_curve(stem: str, feats: MotionFeatures, cfg: PipelineConfig) -> EnergyCurve:
    """The flow energy per window, smoothed like the pipeline's energy, as a curve."""
    e = cfg.energy
    energy = smooth(feats.flow_energy, e.smoothing, e.alpha, e.ma_window)
    n = int(feats.sample_times.size)
    index = np.arange(n, dtype=np.int64)  # sample k; only the seconds are scored
    return EnergyCurve(
        stem, energy, index, feats.sample_times.astype(np.float64), n, feats.duration_s
    )


def flow_prediction(
    ctx: Context, name: str, video: SuiteVideo, params: Mapping[str, Any]
) -> tuple[SegmentTrack, float]:
    """One baseline's segments of ``video`` (flow from the cache) and the seconds it took."""
    cfg: BaselinesConfig = as_config({**params, "motion": motion_config(ctx.work)})
    t0 = time.perf_counter()
    pred = predict(name, video.video, cfg)
    elapsed = time.perf_counter() - t0
    track = SegmentTrack(
        segments=tuple((s.start_s, s.end_s) for s in pred.segments),
        labels=tuple(s.label for s in pred.segments),
        confidences=None,
        duration_s=pred.duration_s,
    )
    return track, elapsed
