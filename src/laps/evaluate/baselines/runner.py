"""Run one baseline on one video and write ``<out_dir>/<stem>.json``."""

from __future__ import annotations

import logging
import math
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from laps._model import describe_errors
from laps.errors import ConfigError, VideoDecodeError
from laps.evaluate.baselines.abd import abd_boundaries
from laps.evaluate.baselines.cache import cache_key, cache_path, load_pair_flow
from laps.evaluate.baselines.config import BaselinesConfig, MotionConfig
from laps.evaluate.baselines.flow_energy import flow_energy_segments
from laps.evaluate.baselines.motion import motion_features
from laps.evaluate.baselines.periodic import periodic_segments
from laps.evaluate.baselines.prediction import Prediction, cuts_to_labels, labels_to_segments
from laps.evaluate.baselines.twfinch import twfinch_labels
from laps.export.atomic import write_json_atomic
from laps.video.sources import open_source

logger = logging.getLogger(__name__)

METHODS = ("periodic", "abd", "twfinch", "flow_energy")


def resolve_k(k: int | None, per_minute: float | None, duration_s: float, method: str) -> int:
    """K given directly, or ``max(1, round(per_minute * duration / 60))``."""
    if k is not None:
        return k
    if per_minute is None:
        raise ConfigError(
            f"{method}: expected {method}.k or {method}.segments_per_minute, got neither; "
            f"set one, e.g. {method}.k=20"
        )
    return max(1, round(per_minute * duration_s / 60.0))


def video_timing(video: Path, cfg: MotionConfig) -> tuple[float, float]:
    """(duration, nominal fps) as the pipeline sees them; from the flow cache if present.

    Without a cache the video is decoded (no flow): the end is the presentation end of the
    last frame, exactly the time the pipeline ends its last segment at.
    """
    if cfg.cache_dir is not None:
        key = cache_key(video, cfg)
        cached = load_pair_flow(cache_path(Path(cfg.cache_dir), video, key), key)
        if cached is not None:
            return cached.duration_s, cached.fps
    with open_source(str(video), cfg.video, live=False) as source:
        for _ in source.frames():
            pass
        end, fps = source.end_time_s, source.info.fps
    if end is None or not math.isfinite(end):
        raise VideoDecodeError(f"{video}: expected decodable frames, got none; re-export it")
    return float(end), float(fps)


def predict(name: str, video: Path | str, cfg: BaselinesConfig) -> Prediction:
    """One baseline's segmentation of ``video`` (see :data:`METHODS`)."""
    video = Path(video)
    if name == "periodic":
        duration, fps = video_timing(video, cfg.motion)
        segs = periodic_segments(duration, cfg.periodic.period_s)
        params = cfg.periodic.model_dump(mode="json")
        return Prediction(video.name, segs, fps, duration, name, params)
    if name not in METHODS:
        raise ConfigError(f"baseline: expected one of {', '.join(METHODS)}, got {name!r}")
    feats = motion_features(video, cfg.motion)
    motion = cfg.motion.model_dump(mode="json", exclude={"cache_dir"})
    if name == "flow_energy":
        fe = cfg.flow_energy
        segs, thr = flow_energy_segments(feats, fe, cfg.motion.video.target_fps)
        params = {"flow_energy": fe.model_dump(mode="json"), "thr_on": thr, "motion": motion}
    elif name == "abd":
        a = cfg.abd
        k = resolve_k(a.k, a.segments_per_minute, feats.duration_s, name)
        labels = cuts_to_labels(abd_boundaries(feats.features, k, a.alpha), feats.n_windows)
        segs = labels_to_segments(labels, feats, "seg")
        params = {"abd": a.model_dump(mode="json"), "k": k, "motion": motion}
    else:
        t = cfg.twfinch
        k = resolve_k(t.k, t.segments_per_minute, feats.duration_s, name)
        segs = labels_to_segments(twfinch_labels(feats.features, k), feats, "c")
        params = {"twfinch": t.model_dump(mode="json"), "k": k, "motion": motion}
    return Prediction(video.name, segs, feats.fps, feats.duration_s, name, params)


def as_config(params: BaselinesConfig | Mapping[str, Any] | None) -> BaselinesConfig:
    """Validate a nested mapping (or None: the defaults) into :class:`BaselinesConfig`."""
    if isinstance(params, BaselinesConfig):
        return params
    try:
        return BaselinesConfig.model_validate(dict(params or {}))
    except ValidationError as err:
        raise ConfigError(f"baseline params: {describe_errors(err)}; fix those keys") from err


def run_baseline(
    name: str,
    video: Path | str,
    out_dir: Path | str,
    params: BaselinesConfig | Mapping[str, Any] | None = None,
) -> Path:
    """Run baseline ``name`` on ``video``; write ``<out_dir>/<stem>.json`` atomically.

    Without ``motion.cache_dir`` the flow cache goes to ``<out_dir>/.flow_cache``; point
    every method at one shared folder to compute each video's flow once.

    Raises:
        ConfigError: unknown method or bad parameters (e.g. K > windows).
        VideoOpenError, VideoDecodeError, InputTooShortError: the video cannot be used.
        ExportError: the output cannot be written.
    """
    cfg = as_config(params)
    out = Path(out_dir)
    if cfg.motion.cache_dir is None:
        motion = cfg.motion.model_copy(update={"cache_dir": out / ".flow_cache"})
        cfg = cfg.model_copy(update={"motion": motion})
    out.mkdir(parents=True, exist_ok=True)
    prediction = predict(name, video, cfg)
    path = out / f"{Path(video).stem}.json"
    write_json_atomic(path, prediction.to_json())
    logger.info("%s: %d %s segments -> %s", Path(video).name, len(prediction.segments), name, path)
    return path
