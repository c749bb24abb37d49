"""An .npz cache of a video's :class:`PairFlow`, so each video's flow is computed once.

The cache key holds everything that changes the per-pair flow: the sampling and processing
size, the flow method and the HOF layout, plus the video file's path, size and
modification time. Window length, stride, HOF normalisation and the magnitude weight are
applied after loading, so changing them reuses the cache. A file whose stored key differs
(or that cannot be read) is recomputed and replaced.
"""

from __future__ import annotations

import hashlib
import io
import json
import logging
from pathlib import Path

import numpy as np

from laps.evaluate.baselines.config import MotionConfig
from laps.evaluate.baselines.extract import PairFlow
from laps.export.atomic import write_atomic

logger = logging.getLogger(__name__)

CACHE_VERSION = 1


def cache_key(video: Path, cfg: MotionConfig) -> str:
    """The JSON text that identifies one video's flow under one configuration."""
    stat = video.stat()
    key = {
        "version": CACHE_VERSION,
        "video": str(video.resolve()),
        "size": stat.st_size,
        "mtime_ns": stat.st_mtime_ns,
        "target_fps": cfg.video.target_fps,
        "resize_shorter": cfg.video.resize_shorter,
        "flow": cfg.flow.method.value,
        "hof_bins": cfg.flow.hof_bins,
        "hof_grid": cfg.flow.hof_grid,
    }
    return json.dumps(key, sort_keys=True)


def cache_path(cache_dir: Path, video: Path, key: str) -> Path:
    """``<cache_dir>/<stem>.<hash>.npz``: one file per video and flow configuration."""
    digest = hashlib.sha1(key.encode("utf-8")).hexdigest()[:12]
    return cache_dir / f"{video.stem}.{digest}.npz"


def load_pair_flow(path: Path, key: str) -> PairFlow | None:
    """The cached flow at ``path`` if it exists and was written under ``key``, else None."""
    if not path.exists():
        return None
    try:
        with np.load(path, allow_pickle=False) as z:
            if str(z["key"]) != key:
                logger.info("%s: stale flow cache (other key), recomputing", path.name)
                return None
            w, h = (int(v) for v in z["frame_size_wh"])
            return PairFlow(
                sample_times=z["sample_times"],
                pair_hof=z["pair_hof"],
                duration_s=float(z["duration_s"]),
                fps=float(z["fps"]),
                frame_size_wh=(w, h),
            )
    except (OSError, ValueError, KeyError) as err:
        logger.warning("%s: unreadable flow cache (%s), recomputing", path, err)
        return None


def save_pair_flow(path: Path, key: str, flow: PairFlow) -> None:
    """Write the cache atomically (a reader never sees half a file)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    buf = io.BytesIO()
    np.savez(
        buf,
        key=np.asarray(key),
        sample_times=flow.sample_times,
        pair_hof=flow.pair_hof,
        duration_s=np.asarray(flow.duration_s),
        fps=np.asarray(flow.fps),
        frame_size_wh=np.asarray(flow.frame_size_wh),
    )
    write_atomic(path, lambda fh: fh.write(buf.getvalue()))
