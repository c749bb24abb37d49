"""``DATASET/dataset.json``: what a window dataset holds and how it was made.

The manifest records the resolved :class:`~laps.config.PipelineConfig` of the first run, the
window conventions (``meta``) and one entry per video::

    {"id", "source", "status": "pending" | "done" | "failed", "reason", "n_windows",
     "shards": ["shards/<id>/part-00000.parquet", ...], "frame_size_wh": [W, H],
     "velocity_scale_px", "n_samples", "source_info", "finished_at"}

Only ``done`` videos are read. Every later run into the same folder must produce the same
windows: the keys in :data:`DATA_KEYS` (sampling, resize, tracker, grid, window length and
stride) must match, other keys (thresholds, export options, pacing) may differ.
"""

from __future__ import annotations

import json
from enum import StrEnum
from pathlib import Path
from typing import Any

from laps.config import PipelineConfig
from laps.errors import ConfigError, SchemaVersionError
from laps.export.atomic import write_json_atomic
from laps.export.manifest import now_iso, package_versions

DATASET_SCHEMA_VERSION = 1
MANIFEST_NAME = "dataset.json"
SHARDS_DIR = "shards"
DATA_KEYS = ("video.target_fps", "video.resize_shorter", "tracking", "window")


class VideoStatus(StrEnum):
    """State of one video in the manifest."""

    PENDING = "pending"  # queued by a run that has not finished it (or was interrupted)
    DONE = "done"
    FAILED = "failed"


def dataset_meta(cfg: PipelineConfig) -> dict[str, Any]:
    """The window conventions every consumer of the dataset needs."""
    t, g = cfg.window.length, cfg.tracking.grid_size
    return {
        "window_length": t,
        "n_tokens": t - 1,
        "n_points": g * g,
        "grid_size": g,
        "stride": cfg.window.stride,
        "target_fps": cfg.video.target_fps,
        "resize_shorter": cfg.video.resize_shorter,
        "velocity_shape": [t - 1, g * g, 2],
        "visible_shape": [t, g * g],
        "velocity_scale_rule": "min(W, H) / 2 of the processing frame",
        "velocity_definition": "(tracks[t+1] - tracks[t]) / velocity_scale_px; "
        "0 where either end is not visible",
        "point_order": "row-major (x fastest)",
        "coordinates": "(x, y) px",
        "tracker": str(cfg.tracking.backend),
    }


def new_manifest(cfg: PipelineConfig) -> dict[str, Any]:
    """An empty manifest for a dataset built with ``cfg``."""
    return {
        "schema_version": DATASET_SCHEMA_VERSION,
        "created_at": now_iso(),
        "updated_at": now_iso(),
        "config": cfg.to_dict(),
        "meta": dataset_meta(cfg),
        "videos": [],
    }


def write_manifest(root: Path, manifest: dict[str, Any]) -> None:
    """Write ``root/dataset.json`` atomically (readers see the old or the new file)."""
    manifest["updated_at"] = now_iso()
    manifest["versions"] = package_versions()
    write_json_atomic(root / MANIFEST_NAME, manifest)


def read_manifest(root: Path) -> dict[str, Any]:
    """Read and validate ``root/dataset.json``.

    Raises:
        ConfigError: missing folder, missing or corrupt manifest.
        SchemaVersionError: a manifest of another schema version.
    """
    if not root.is_dir():
        raise ConfigError(
            f"dataset folder not found: {root}; run `laps tracks VIDEOS --out {root}` first "
            "or pass the folder that holds dataset.json"
        )
    path = root / MANIFEST_NAME
    if not path.is_file():
        raise ConfigError(
            f"no {MANIFEST_NAME} in {root}: not a window dataset; run "
            f"`laps tracks VIDEOS --out {root}` first"
        )
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as err:
        raise ConfigError(_corrupt(path, f"not readable JSON ({err})")) from err
    if not isinstance(data, dict):
        raise ConfigError(_corrupt(path, f"expected a JSON object, got {type(data).__name__}"))
    found = data.get("schema_version")
    if found != DATASET_SCHEMA_VERSION:
        raise SchemaVersionError(
            f"{path}: schema_version {found!r}, this laps reads {DATASET_SCHEMA_VERSION}; "
            "rebuild the dataset with this laps (`laps tracks VIDEOS --out NEW_FOLDER`)"
        )
    _check_structure(data, path)
    return data


def _check_structure(data: dict[str, Any], path: Path) -> None:
    meta, videos = data.get("meta"), data.get("videos")
    if not isinstance(meta, dict) or not isinstance(videos, list):
        raise ConfigError(_corrupt(path, "expected 'meta' (object) and 'videos' (list)"))
    for key in ("window_length", "n_points", "stride"):
        if not isinstance(meta.get(key), int):
            raise ConfigError(_corrupt(path, f"meta.{key}: expected int, got {meta.get(key)!r}"))
    for i, entry in enumerate(videos):
        ok = isinstance(entry, dict) and isinstance(entry.get("id"), str)
        if not ok or entry.get("status") not in set(VideoStatus):
            raise ConfigError(_corrupt(path, f"videos[{i}]: expected an entry with id and status"))
        if entry["status"] == VideoStatus.DONE and not isinstance(entry.get("shards"), list):
            raise ConfigError(_corrupt(path, f"videos[{i}]: a done video without 'shards'"))


def _corrupt(path: Path, what: str) -> str:
    return (
        f"corrupt dataset manifest {path}: {what}; restore it, or rebuild the dataset with "
        "`laps tracks VIDEOS --out NEW_FOLDER`"
    )


def data_settings(config: dict[str, Any]) -> dict[str, Any]:
    """The config values in :data:`DATA_KEYS`, flattened to dotted keys."""
    out: dict[str, Any] = {}
    for key in DATA_KEYS:
        node: Any = config
        for part in key.split("."):
            node = node.get(part) if isinstance(node, dict) else None
        if isinstance(node, dict):
            out.update({f"{key}.{k}": v for k, v in node.items()})
        else:
            out[key] = node
    return out


def check_same_config(manifest: dict[str, Any], cfg: PipelineConfig, root: Path) -> None:
    """Refuse to add windows made with other settings to an existing dataset.

    Raises:
        ConfigError: naming each differing key with both values.
    """
    old = data_settings(manifest.get("config", {}))
    new = data_settings(cfg.to_dict())
    diff = [k for k in sorted(old.keys() | new.keys()) if old.get(k) != new.get(k)]
    if diff:
        pairs = ", ".join(f"{k}: dataset {old.get(k)!r}, this run {new.get(k)!r}" for k in diff)
        raise ConfigError(
            f"mixed-configuration dataset: {root} was built with other settings ({pairs}); "
            "use a new --out or the same config"
        )
