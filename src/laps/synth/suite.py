"""The versioned benchmark suite: fixed seeds over every preset and view, split by seed.

Suite version 1: 3 presets x 2 views x 4 seeds = 24 videos of 180 s, 1280x720 at 30 fps.
Of the 4 seeds of each (preset, view), the first two are ``train`` and the last two
``test``. Videos go to ``OUT/<split>/``; ``OUT/suite.json`` lists them. A video whose files
exist with the same parameters is not rendered again, so an interrupted run resumes.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from laps.errors import ConfigError
from laps.synth.config import GENERATOR_VERSION, Preset, SynthConfig, View
from laps.synth.generate import prepare_out_dir, render_video
from laps.synth.truth import json_bytes
from laps.synth.writer import atomic_write_bytes

logger = logging.getLogger(__name__)

SUITE_VERSION = "1"
SUITES: dict[str, dict[str, Any]] = {
    "1": {"duration_s": 180.0, "size": (1280, 720), "fps": 30.0, "seeds_per_cell": 4},
}
MANIFEST = "suite.json"


@dataclass(frozen=True, slots=True)
class SuiteEntry:
    """One video of the suite: its split and its full config."""

    split: str
    config: SynthConfig


def _seed(preset_i: int, view_i: int, k: int) -> int:
    """Seeds are fixed by position: 1001-1004 easy/top, 1101-1104 easy/oblique, 2001... ."""
    return 1000 * (preset_i + 1) + 100 * view_i + k + 1


def suite_entries(
    version: str = SUITE_VERSION,
    *,
    duration_s: float | None = None,
    size: tuple[int, int] | None = None,
) -> list[SuiteEntry]:
    """The videos of a suite version, in a fixed order.

    Args:
        version: suite version.
        duration_s: override the videos' length (small suites for tests).
        size: override (width, height).

    Raises:
        ConfigError: for an unknown version or bad overrides.
    """
    if version not in SUITES:
        raise ConfigError(
            f"unknown suite version {version!r}; known versions: {', '.join(sorted(SUITES))}"
        )
    spec = SUITES[version]
    width, height = size or spec["size"]
    n = spec["seeds_per_cell"]
    entries = []
    for pi, preset in enumerate(Preset):
        for vi, view in enumerate(View):
            for k in range(n):
                seed = _seed(pi, vi, k)
                cfg = SynthConfig(
                    seed=seed,
                    duration_s=duration_s or spec["duration_s"],
                    width=width,
                    height=height,
                    fps=spec["fps"],
                    preset=preset,
                    view=view,
                    stem=f"suite{version}_{preset.value}_{view.value}_s{seed}",
                )
                entries.append(SuiteEntry("train" if k < n // 2 else "test", cfg))
    return entries


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
    return bool(same_gen and old.get("config") == cfg.model_dump(mode="json"))


def _row(entry: SuiteEntry, folder: Path) -> dict[str, Any]:
    cfg, stem = entry.config, entry.config.file_stem
    params = json.loads((folder / f"{stem}.params.json").read_text(encoding="utf-8"))
    rel = Path(entry.split)
    return {
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
    manifest = {
        "suite": "laps-synth-workstation",
        "suite_version": version,
        "generator_version": GENERATOR_VERSION,
        "overrides": {"duration_s": duration_s, "size": list(size) if size else None},
        "splits": {
            s: sorted({r["seed"] for r in rows if r["split"] == s}) for s in ("train", "test")
        },
        "videos": rows,
    }
    path = out_dir / MANIFEST
    atomic_write_bytes(path, json_bytes(manifest))
    return path
