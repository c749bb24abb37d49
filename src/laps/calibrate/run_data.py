"""Runs for calibration: finished run folders read back, or videos segmented to make them.

A run folder is ``OUT/<name>/`` with ``manifest.json`` (status ``complete``) and
``windows.jsonl``. The energy curve is the ``energy`` field (the smoothed value the segmenter
used, null for failed windows) and the proxy the ``proxy`` field (velocity energy), both of
one window each, so they are aligned by construction.

Sample times: each window record gives the source frame and time of its first and last
sample; the times of the samples in between are interpolated linearly (with the default
window, every sample a span can start or end at is a recorded one, so spans map to exactly
the seconds the pipeline gave them). A span ending past the last window ends at the
video's duration from ``segments.json``, as in the pipeline.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

from laps.calibrate.sweep import EnergyCurve
from laps.config import PipelineConfig
from laps.energy.config import EnergySource
from laps.errors import ConfigError
from laps.export.layout import run_folders, unique_names
from laps.export.run_folder import (
    MANIFEST,
    WINDOWS,
    RunPaths,
    WindowRecord,
    read_manifest,
    read_segments_json,
    read_windows,
)
from laps.pipeline.encode import WindowEncoder
from laps.pipeline.run import segment_source
from laps.segment.config import ThresholdMethod
from laps.video.sources import expand_sources

logger = logging.getLogger(__name__)
RUN_FILES = (MANIFEST, WINDOWS)
_FIX = "re-run `laps segment` on the video, or pass the video itself to recompute"


@dataclass(frozen=True)
class RunData:
    """What calibration needs of one run.

    Attributes:
        name: the run's name (its folder name; matches the ground truth's stem).
        folder: the run folder.
        curve: energy curve with sample times.
        proxy: (n_windows,) velocity energy, NaN where unknown.
        config: the run's resolved config (from the manifest).
        checkpoint_sha256: the tokenizer checkpoint's hash, None without one.
        source: the video's URI (from the manifest).
    """

    name: str
    folder: Path
    curve: EnergyCurve
    proxy: NDArray[np.float64]
    config: dict[str, Any]
    checkpoint_sha256: str | None
    source: str


def find_runs(spec: str) -> list[Path] | None:
    """The run folders a source names: itself, or its child run folders; None for videos."""
    return run_folders(Path(spec).expanduser(), RUN_FILES) or None


def _read_windows(folder: Path) -> list[WindowRecord]:
    rows = read_windows(folder)
    path = RunPaths(folder).windows
    if not rows:
        raise ConfigError(f"{path}: expected window records, got none; {_FIX}")
    rows.sort(key=lambda r: r.window)
    if [r.window for r in rows] != list(range(len(rows))):
        raise ConfigError(f"{path}: expected windows 0..{len(rows) - 1} each once; {_FIX}")
    return rows


def _column(values: Iterable[float | None]) -> NDArray[np.float64]:
    """A numeric field of every record; None is NaN."""
    return np.asarray([np.nan if v is None else v for v in values], dtype=np.float64)


def _field(row: WindowRecord | Mapping[str, Any], key: str) -> Any:
    return getattr(row, key) if isinstance(row, WindowRecord) else row[key]


def sample_grid(
    rows: Sequence[WindowRecord] | Sequence[Mapping[str, Any]],
) -> tuple[NDArray[np.int64], NDArray[np.float64]]:
    """Source frame and time of every sample 0..n-1, from the windows' first and last samples.

    Args:
        rows: the window records (or their dicts) in window order.
    """
    keys = ("start_sample", "end_sample", "start_frame", "end_frame", "start_s", "end_s")
    col = {k: [_field(r, k) for r in rows] for k in keys}
    known_s = [int(v) for v in col["start_sample"]] + [int(v) - 1 for v in col["end_sample"]]
    known_f = [int(v) for v in col["start_frame"]] + [int(v) - 1 for v in col["end_frame"]]
    known_t = [float(v) for v in col["start_s"] + col["end_s"]]
    order = np.argsort(known_s, kind="stable")
    s = np.asarray(known_s)[order]
    samples = np.arange(int(s[-1]) + 1)
    index = np.interp(samples, s, np.asarray(known_f, dtype=np.float64)[order])
    time = np.interp(samples, s, np.asarray(known_t, dtype=np.float64)[order])
    return np.rint(index).astype(np.int64), time


def load_run(folder: Path) -> RunData:
    """Read a complete run folder.

    Raises:
        RunFolderError: a missing or malformed manifest or windows file.
        ConfigError: an incomplete run, or one without window records.
        SchemaVersionError: a manifest from another schema.
    """
    folder = Path(folder)
    manifest = read_manifest(folder)
    if not manifest.complete:
        raise ConfigError(
            f"{folder}: expected a complete run, got status {manifest.status!r}; {_FIX}"
        )
    rows = _read_windows(folder)
    index, time = sample_grid(rows)
    has_segments = RunPaths(folder).segments_json.is_file()
    duration = read_segments_json(folder).get("video_duration_sec") if has_segments else None
    end_s = float(duration) if duration is not None else float(time[-1])
    energy = _column(r.energy for r in rows)
    curve = EnergyCurve(folder.name, energy, index, time, rows[-1].end_frame, end_s)
    proxy = _column(r.proxy for r in rows)
    uri = manifest.source_uri or str(folder)
    config, sha = manifest.config, manifest.checkpoint_sha256
    return RunData(folder.name, folder, curve, proxy, config, sha, uri)


def energy_settings(cfg: dict[str, Any]) -> dict[str, Any]:
    """The settings that decide a run's energy values, from a config dict."""
    energy = dict(cfg.get("energy", {}))
    energy.pop("batch_windows", None)  # how windows are batched changes no value
    if energy.get("source") == EnergySource.VELOCITY.value:
        energy.pop("mode", None)  # the velocity energy ignores the mode
    window = cfg.get("window", {})
    return {
        **{f"energy.{k}": v for k, v in energy.items()},
        **{f"window.{k}": v for k, v in window.items()},
        "video.target_fps": cfg.get("video", {}).get("target_fps"),
    }


def check_run_config(run: RunData, cfg: PipelineConfig) -> None:
    """Refuse a run whose energy settings differ from the calibration's config.

    Raises:
        ConfigError: naming every differing key.
    """
    want = energy_settings(cfg.to_dict())
    got = energy_settings(run.config)
    diff = [f"{k}={got.get(k)!r} (expected {v!r})" for k, v in want.items() if got.get(k) != v]
    if diff:
        raise ConfigError(
            f"run {run.folder}: its energy settings differ from this calibration's config: "
            f"{', '.join(diff)}; pass --config {RunPaths(run.folder).config} (and the run's "
            "--checkpoint), or give the video to recompute"
        )


def run_config(cfg: PipelineConfig) -> PipelineConfig:
    """The config of a calibration run: no clips or latents, a threshold that needs no file."""
    export = cfg.export.model_copy(update={"clips": False, "latents": False})
    segment = cfg.segment.model_copy(
        update={"threshold_method": ThresholdMethod.OTSU, "calibration": None}
    )
    return cfg.model_copy(update={"export": export, "segment": segment})


def collect_runs(
    sources: Sequence[str],
    cfg: PipelineConfig,
    work: Path,
    encoder: WindowEncoder | None = None,
    checkpoint: dict[str, Any] | None = None,
) -> list[RunData]:
    """Reuse the run folders among ``sources`` and segment the videos into ``work``.

    Raises:
        LapsError: a missing source, a failing video, a bad or mismatching run folder.
    """
    folders: list[Path] = []
    videos: list[str] = []
    for spec in sources:
        found = find_runs(spec)
        if found is None:
            videos.extend(expand_sources([spec], cfg.video))
        else:
            folders.extend(found)
    videos = list(dict.fromkeys(videos))
    runs = [load_run(f) for f in folders]
    for run in runs:
        check_run_config(run, cfg)
        check_run_checkpoint(run, checkpoint)
    rcfg = run_config(cfg)
    for spec, name in zip(videos, unique_names(videos), strict=True):
        logger.info("calibration run: %s", spec)
        res = segment_source(spec, work, rcfg, encoder=encoder, name=name, checkpoint=checkpoint)
        runs.append(load_run(res.out_dir))
    names = [r.name for r in runs]
    if len(set(names)) != len(names):
        dup = sorted({n for n in names if names.count(n) > 1})
        raise ConfigError(
            f"calibrate: expected distinct video names, got {', '.join(dup)} more than once; "
            "pass each video or run folder once"
        )
    return runs


def check_run_checkpoint(run: RunData, checkpoint: dict[str, Any] | None) -> None:
    """Refuse a reused run made with another checkpoint than ``--checkpoint``."""
    want = None if checkpoint is None else checkpoint.get("sha256")
    if want and run.checkpoint_sha256 != want:
        raise ConfigError(
            f"run {run.folder}: made with checkpoint sha256 {str(run.checkpoint_sha256)[:12]}, "
            f"expected {want[:12]} (--checkpoint); give the video to recompute with it"
        )
