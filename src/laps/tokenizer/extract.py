"""One video to its windows' shards, through exactly the code path of ``laps segment``.

Frames come from :func:`laps.video.sources.open_source` with offline pacing (same time-based
resampling and resize), windows from :class:`laps.window.builder.WindowBuilder` with a
tracker from :func:`laps.tracking.registry.make_tracker` (same tracker, grid, visibility and
velocity normalisation). Only ``window.stride`` usually differs (the training stride), and it
is part of the config that the dataset records. This removes the reference's train/inference
mismatches (``laps_method.md`` section 1.7) by construction: there is no second tracking path.

Shards are written into ``shards/<id>.partial/`` and swapped in for ``shards/<id>/`` only
when the whole video is done, so an interrupted or failed video leaves no partial shards.
"""

from __future__ import annotations

import logging
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, Protocol

from laps.config import PipelineConfig
from laps.errors import InputTooShortError, LapsError, VideoOpenError
from laps.export.layout import commit_dir, discard_dir, stage_dir
from laps.export.manifest import now_iso
from laps.tokenizer.dataset_manifest import SHARDS_DIR, VideoStatus
from laps.tokenizer.shards import ShardWriter
from laps.tracking.registry import make_tracker
from laps.types import SourceInfo
from laps.video.base import FrameSource
from laps.video.sources import open_source
from laps.video.spec import SpecKind, parse_spec
from laps.window.builder import WindowBuilder

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class VideoJob:
    """One video to extract.

    Attributes:
        spec: what :func:`open_source` opens (may hold URL credentials; never recorded).
        video_id: the dataset's id of the video (a safe folder name).
        source: the spec as recorded: absolute path of a file, redacted URL of a stream.
    """

    spec: str
    video_id: str
    source: str


class ExtractProgress(Protocol):
    """Receives per-video progress (the CLI renders it)."""

    def started(self, video_id: str, expected_windows: int | None) -> None:
        """A video was opened; ``expected_windows`` is an estimate from its duration."""

    def windows(self, video_id: str, n_done: int) -> None:
        """``n_done`` windows of the video are written or buffered."""


def source_key(spec: str) -> str:
    """How a spec is recorded and matched across runs: absolute path or redacted URL."""
    parsed = parse_spec(spec)
    if parsed.kind is SpecKind.FILE:
        return str(Path(spec).expanduser().resolve())
    return parsed.display


def expected_windows(info: SourceInfo, cfg: PipelineConfig) -> int | None:
    """Windows a source of ``info.duration_s`` should give (None when the duration is unknown)."""
    if not info.duration_s:
        return None
    samples = int(info.duration_s * cfg.video.target_fps)
    t, s = cfg.window.length, cfg.window.stride
    return max(0, (samples - t) // s + 1)


def extract_video(
    job: VideoJob, root: Path, cfg: PipelineConfig, progress: ExtractProgress | None = None
) -> dict[str, Any]:
    """Track one video into ``root/shards/<id>/`` and return its manifest entry.

    Raises:
        VideoOpenError, VideoDecodeError: the source cannot be read (or is a camera).
        InputTooShortError: fewer sampled frames than one window.
        ExportError: shards cannot be written.
    """
    if parse_spec(job.spec).kind is SpecKind.CAMERA:
        raise VideoOpenError(
            f"{job.source}: laps tracks builds a dataset from recordings, and a camera never "
            "ends; record it to a file first (e.g. `ffmpeg -i /dev/video0 -t 600 rec.mp4`)"
        )
    t0 = time.perf_counter()
    shards_root = root / SHARDS_DIR
    with open_source(job.spec, cfg.video, live=False) as source:
        staging = stage_dir(shards_root, job.video_id)
        try:
            builder, files = _track_into(source, staging, job, cfg, progress)
        except BaseException:
            discard_dir(staging)
            raise
        info = source.info
    commit_dir(staging, shards_root / job.video_id)
    return _done_entry(job, builder, files, info, time.perf_counter() - t0)


def _done_entry(
    job: VideoJob, builder: WindowBuilder, files: list[str], info: SourceInfo, wall_s: float
) -> dict[str, Any]:
    tracks = builder.describe()
    return {
        "id": job.video_id,
        "source": job.source,
        "status": VideoStatus.DONE.value,
        "reason": None,
        "n_windows": builder.n_windows,
        "shards": [f"{SHARDS_DIR}/{job.video_id}/{name}" for name in files],
        "frame_size_wh": tracks["frame_size_wh"],
        "velocity_scale_px": tracks["velocity_scale_px"],
        "n_samples": builder.n_samples,
        "n_trailing_samples": builder.n_trailing_samples,
        "source_info": asdict(info),
        "extract_s": round(wall_s, 3),
        "finished_at": now_iso(),
    }


def _track_into(
    source: FrameSource,
    staging: Path,
    job: VideoJob,
    cfg: PipelineConfig,
    progress: ExtractProgress | None,
) -> tuple[WindowBuilder, list[str]]:
    builder = WindowBuilder(make_tracker(cfg.tracking), cfg.window, cfg.tracking.grid_size)
    writer = ShardWriter(staging, job.video_id, cfg.window.length, cfg.tracking.grid_size**2)
    if progress is not None:
        progress.started(job.video_id, expected_windows(source.info, cfg))
    try:
        for frame in source.frames():
            for tw in builder.update(frame):
                writer.add(tw.window)
                if progress is not None:
                    progress.windows(job.video_id, builder.n_windows)
        if builder.n_windows == 0:
            n, t, fps = builder.n_samples, cfg.window.length, cfg.video.target_fps
            raise InputTooShortError(
                f"{source.info.uri}: {n} sampled frames at target_fps {fps:g}, but one window "
                f"needs window.length={t} ({t / fps:.1f} s); use a longer video or a smaller "
                "window.length / larger video.target_fps"
            )
        return builder, writer.close()
    except BaseException:
        writer.abort()
        raise


def failed_entry(job: VideoJob, reason: str) -> dict[str, Any]:
    """The manifest entry of a video that could not be extracted."""
    return {
        "id": job.video_id,
        "source": job.source,
        "status": VideoStatus.FAILED.value,
        "reason": reason,
        "n_windows": 0,
        "shards": [],
        "finished_at": now_iso(),
    }


def run_job(
    job: VideoJob, root: Path, cfg: PipelineConfig, progress: ExtractProgress | None = None
) -> dict[str, Any]:
    """:func:`extract_video`, with a laps error turned into a ``failed`` entry."""
    try:
        return extract_video(job, root, cfg, progress)
    except LapsError as err:
        logger.debug("%s failed: %s", job.video_id, err)
        return failed_entry(job, str(err))
