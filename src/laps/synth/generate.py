"""Render one synthetic video to disk: H.264 MP4, ground truth, labels, parameters, preview."""

from __future__ import annotations

import logging
import os
import time
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import cast

import cv2

from laps.errors import ExportError
from laps.synth.config import SynthConfig
from laps.synth.preview import preview_indices, write_preview
from laps.synth.render import FrameRenderer, FrameTimes, Image, frame_times
from laps.synth.truth import gop_frames, write_truth
from laps.synth.writer import H264Writer

logger = logging.getLogger(__name__)
PROGRESS_EVERY_S = 10.0


@dataclass(frozen=True, slots=True)
class SynthResult:
    """What :func:`render_video` wrote.

    Attributes:
        video: the H.264 MP4.
        ground_truth: segments in the reference JSON format.
        labels: per-frame label ids (``.npy``, int16), names in the params file.
        params: generator version, seed, knobs, label table, encoder settings.
        times: per-frame timestamps in seconds (``.npy``), only for variable frame rate.
        preview: contact-sheet PNG, when asked for.
        n_frames: frames written.
        duration_s: video duration (end of the last frame), s.
        render_s: wall-clock seconds the rendering and encoding took.
    """

    video: Path
    ground_truth: Path
    labels: Path
    params: Path
    times: Path | None
    preview: Path | None
    n_frames: int
    duration_s: float
    render_s: float


def prepare_out_dir(out_dir: Path) -> Path:
    """Create ``out_dir`` if needed and check that it is a writable folder.

    Raises:
        ExportError: naming the folder and what to do.
    """
    out_dir = Path(out_dir)
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise ExportError(
            f"cannot create the output folder {out_dir}: {err.strerror or err}; "
            "pass --out a writable folder"
        ) from err
    if not os.access(out_dir, os.W_OK | os.X_OK):
        raise ExportError(f"output folder {out_dir} is not writable; pass --out a writable folder")
    return out_dir


def render_video(cfg: SynthConfig, out_dir: Path, *, preview: bool = False) -> SynthResult:
    """Render the video described by ``cfg`` into ``out_dir``.

    Files: ``<stem>.mp4``, ``<stem>.json`` (ground truth), ``<stem>.labels.npy``,
    ``<stem>.params.json``, ``<stem>.times.npy`` (VFR only), ``<stem>.preview.png``
    (``preview`` only). Each file is written under a temporary name and renamed.

    Args:
        cfg: the video's config.
        out_dir: output folder (created if missing).
        preview: also write a contact sheet of labelled frames.

    Raises:
        ExportError: when the folder cannot be written or encoding fails.
    """
    out_dir = prepare_out_dir(out_dir)
    stem = cfg.file_stem
    started = time.perf_counter()
    renderer = FrameRenderer(cfg)
    times = frame_times(cfg)
    labels = renderer.plan.label_ids(times.seconds)
    wanted = set(preview_indices(labels)) if preview else set()
    video = out_dir / f"{stem}.mp4"
    picked = _encode(renderer, times, video, wanted)
    shots = [(img, t, int(labels[i])) for i, img, t in picked]
    paths = write_truth(out_dir, cfg, renderer.plan, times, labels, renderer.background)
    sheet = write_preview(out_dir / f"{stem}.preview.png", cfg, shots) if preview else None
    elapsed = time.perf_counter() - started
    logger.info("wrote %s (%d frames) in %.1f s", video, len(times.pts), elapsed)
    return SynthResult(
        video=video,
        ground_truth=paths["ground_truth"],
        labels=paths["labels"],
        params=paths["params"],
        times=paths.get("times"),
        preview=sheet,
        n_frames=len(times.pts),
        duration_s=times.end_s,
        render_s=elapsed,
    )


def _encode(
    renderer: FrameRenderer, times: FrameTimes, video: Path, wanted: set[int]
) -> list[tuple[int, Image, float]]:
    """Render and encode every frame; return (index, BGR image, time) of the ``wanted`` ones."""
    cfg = renderer.cfg
    encoder = (cfg.nuisance.crf, cfg.encoder_preset, cfg.encoder_threads, gop_frames(cfg))
    rate = Fraction(cfg.fps).limit_denominator(1001)
    n = len(times.pts)
    logger.info("rendering %s: %d frames, %dx%d", video, n, cfg.width, cfg.height)
    shots = []
    last_log = time.perf_counter()
    with H264Writer(video, (cfg.width, cfg.height), times.time_base, rate, encoder) as writer:
        for i, (pts, t) in enumerate(zip(times.pts, times.seconds, strict=True)):
            img = renderer.render(i, float(t))
            writer.write(img, int(pts))
            if i in wanted:
                shots.append((i, cast(Image, cv2.cvtColor(img, cv2.COLOR_YUV2BGR_I420)), float(t)))
            if time.perf_counter() - last_log > PROGRESS_EVERY_S:
                last_log = time.perf_counter()
                logger.info("%s: frame %d / %d", video.name, i + 1, n)
    return shots
