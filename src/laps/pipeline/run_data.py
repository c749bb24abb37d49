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

import json
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

from laps.config import PipelineConfig
from laps.energy.config import EnergySource
from laps.errors import ConfigError
from laps.export.layout import run_folders, unique_names
from laps.export.manifest import check_schema
from laps.pipeline.encode import WindowEncoder
from laps.pipeline.run import segment_source
from laps.segment.config import ThresholdMethod
from laps.segment.sweep import EnergyCurve
from laps.video.sources import expand_sources

logger = logging.getLogger(__name__)
RUN_FILES = ("manifest.json", "windows.jsonl")
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


def _read_json(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as err:
        raise ConfigError(f"{path}: cannot read it as JSON ({err}); {_FIX}") from err
    if not isinstance(data, dict):
        raise ConfigError(f"{path}: expected a JSON object, got {type(data).__name__}; {_FIX}")
    return data


def _read_windows(path: Path) -> list[dict[str, Any]]:
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
        rows = [json.loads(line) for line in lines if line.strip()]
    except (OSError, ValueError) as err:
        raise ConfigError(f"{path}: cannot read it as JSON lines ({err}); {_FIX}") from err
    if not rows:
        raise ConfigError(f"{path}: expected window records, got none; {_FIX}")
    rows.sort(key=lambda r: int(r["window"]))
    if [int(r["window"]) for r in rows] != list(range(len(rows))):
        raise ConfigError(f"{path}: expected windows 0..{len(rows) - 1} each once; {_FIX}")
    return rows


def _column(rows: list[dict[str, Any]], key: str) -> NDArray[np.float64]:
    """A numeric field of every record; null or missing is NaN."""
    return np.asarray([np.nan if r.get(key) is None else r[key] for r in rows], dtype=np.float64)


def sample_grid(
    rows: list[dict[str, Any]],
) -> tuple[NDArray[np.int64], NDArray[np.float64]]:
    """Source frame and time of every sample 0..n-1, from the windows' first and last samples."""
    known_s = [int(r["start_sample"]) for r in rows] + [int(r["end_sample"]) - 1 for r in rows]
    known_f = [int(r["start_frame"]) for r in rows] + [int(r["end_frame"]) - 1 for r in rows]
    known_t = [float(r["start_s"]) for r in rows] + [float(r["end_s"]) for r in rows]
    order = np.argsort(known_s, kind="stable")
    s = np.asarray(known_s)[order]
    samples = np.arange(int(s[-1]) + 1)
    index = np.interp(samples, s, np.asarray(known_f, dtype=np.float64)[order])
    time = np.interp(samples, s, np.asarray(known_t, dtype=np.float64)[order])
    return np.rint(index).astype(np.int64), time


def load_run(folder: Path) -> RunData:
    """Read a complete run folder.

    Raises:
        ConfigError: a missing, incomplete or unreadable run.
        SchemaVersionError: a manifest from another schema.
    """
    folder = Path(folder)
    manifest = _read_json(folder / "manifest.json")
    check_schema(manifest, folder / "manifest.json")
    if manifest.get("status") != "complete":
        raise ConfigError(
            f"{folder}: expected a complete run, got status {manifest.get('status')!r}; {_FIX}"
        )
    rows = _read_windows(folder / "windows.jsonl")
    index, time = sample_grid(rows)
    seg_path = folder / "segments.json"
    duration = _read_json(seg_path).get("video_duration_sec") if seg_path.is_file() else None
    end_s = float(duration) if duration is not None else float(time[-1])
    curve = EnergyCurve(
        folder.name, _column(rows, "energy"), index, time, int(rows[-1]["end_frame"]), end_s
    )
    ckpt = manifest.get("checkpoint")
    sha = ckpt.get("sha256") if isinstance(ckpt, dict) else None
    config = manifest.get("config") or {}
    source = manifest.get("source")
    uri = str(source.get("uri")) if isinstance(source, dict) else str(folder)
    return RunData(folder.name, folder, curve, _column(rows, "proxy"), config, sha, uri)


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
            f"{', '.join(diff)}; pass --config {run.folder / 'config.yaml'} (and the run's "
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
