"""Rendering a versioned benchmark suite (versions and videos: :mod:`laps.synth.suites`).

Videos go to ``OUT/<split>/``; ``OUT/suite.json`` lists them. A video whose files exist
with the same parameters is not rendered again, so an interrupted run resumes.
"""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Any

from laps.synth.backdrop import backdrop_record, background_rng
from laps.synth.config import GENERATOR_VERSION, SynthConfig, VarietyConfig
from laps.synth.generate import prepare_out_dir, render_video
from laps.synth.suites import SUITE_VERSION, SUITES, SuiteEntry, suite_entries
from laps.synth.truth import json_bytes
from laps.synth.writer import atomic_write_bytes

logger = logging.getLogger(__name__)

MANIFEST = "suite.json"


def _done(folder: Path, cfg: SynthConfig) -> bool:
    """True when the video's files exist and were made with the same parameters."""
    stem = cfg.file_stem
    params = folder / f"{stem}.params.json"
    needed = [folder / f"{stem}.mp4", folder / f"{stem}.json", folder / f"{stem}.labels.npy"]
    if not params.is_file() or not all(p.is_file() for p in needed):
        return False
    try:
        old = json.loads(params.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    same_gen = old.get("generator_version") == GENERATOR_VERSION
    same = same_gen and old.get("config") == cfg.model_dump(mode="json")
    if same and cfg.variety is not None and cfg.variety.background == "footage":
        same = old.get("background") == _expected_background(cfg)
    return bool(same)


def _expected_background(cfg: SynthConfig) -> dict[str, Any]:
    """The background record a render would give now (footage may have been installed)."""
    return backdrop_record(background_rng(cfg.seed))


def _row(entry: SuiteEntry, folder: Path) -> dict[str, Any]:
    cfg, stem = entry.config, entry.config.file_stem
    params = json.loads((folder / f"{stem}.params.json").read_text(encoding="utf-8"))
    rel = Path(entry.split)
    row = {
        "stem": stem,
        "split": entry.split,
        "preset": cfg.preset.value,
        "view": cfg.view.value,
        "seed": cfg.seed,
        "duration_s": cfg.duration_s,
        "video_duration_sec": params["video_duration_sec"],
        "n_frames": params["n_frames"],
        "video": str(rel / f"{stem}.mp4"),
        "ground_truth": str(rel / f"{stem}.json"),
        "labels": str(rel / f"{stem}.labels.npy"),
        "params": str(rel / f"{stem}.params.json"),
    }
    if cfg.variety is not None:
        row |= _v2_row(cfg.variety, cfg.script.arms, params)
    return row


def _v2_row(vc: VarietyConfig, arms: int, params: dict[str, Any]) -> dict[str, Any]:
    """Suite-v2 columns: arms, labelled hand, idle share (target and actual), footage."""
    background = params.get("background", {})
    return {
        "arms": arms,
        "labelled_hand": params.get("labelled_hand", {}).get("side"),
        "idle_fraction_target": vc.idle_fraction,
        "idle_fraction": params.get("idle_fraction"),
        "background": background.get("file", background.get("source")),
    }


def write_suite(
    out_dir: Path,
    version: str = SUITE_VERSION,
    *,
    duration_s: float | None = None,
    size: tuple[int, int] | None = None,
    preview: bool = False,
) -> Path:
    """Render every video of a suite version (skipping finished ones) and its manifest.

    Args:
        out_dir: suite folder; videos go to ``<split>/`` under it.
        version: suite version.
        duration_s: override the videos' length (recorded in the manifest).
        size: override (width, height) (recorded in the manifest).
        preview: also write each video's contact sheet.

    Returns:
        The manifest path, ``out_dir/suite.json``.

    Raises:
        ConfigError: for an unknown version or bad overrides.
        ExportError: when the folder cannot be written or encoding fails.
    """
    entries = suite_entries(version, duration_s=duration_s, size=size)
    out_dir = prepare_out_dir(out_dir)
    rows = []
    for i, entry in enumerate(entries):
        folder = prepare_out_dir(out_dir / entry.split)
        if _done(folder, entry.config):
            logger.info("suite %d/%d: %s is done", i + 1, len(entries), entry.config.file_stem)
        else:
            logger.info("suite %d/%d: %s", i + 1, len(entries), entry.config.file_stem)
            render_video(entry.config, folder, preview=preview)
        rows.append(_row(entry, folder))
    manifest: dict[str, Any] = {"version": version} if version != "1" else {}
    manifest |= {
        "suite": "laps-synth-workstation",
        "suite_version": version,
        "generator_version": GENERATOR_VERSION,
        "overrides": {"duration_s": duration_s, "size": list(size) if size else None},
        "splits": {
            s: sorted({r["seed"] for r in rows if r["split"] == s}) for s in ("train", "test")
        },
        "videos": rows,
    }
    if version != "1":
        manifest["spec"] = _spec_json(SUITES[version])
    path = out_dir / MANIFEST
    atomic_write_bytes(path, json_bytes(manifest))
    return path


def _spec_json(spec: dict[str, Any]) -> dict[str, Any]:
    """The registry entry of a suite version, JSON-ready (tuples as lists)."""
    return {k: list(v) if isinstance(v, tuple) else v for k, v in spec.items()}


__all__ = ["MANIFEST", "SUITES", "SUITE_VERSION", "SuiteEntry", "suite_entries", "write_suite"]
