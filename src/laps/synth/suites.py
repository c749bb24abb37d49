"""The registry of suite versions and the videos of each (docs/GENERATOR.md).

Version 1: 3 presets x 2 views x 4 seeds = 24 videos of 180 s, 1280x720 at 30 fps. Of the
4 seeds of each (preset, view), the first two are ``train`` and the last two ``test``.

Version 2: 12 ``train`` + 12 ``test`` videos of 60-90 s, 640x360 at 30 fps, with varied
structure (:class:`~laps.synth.config.VarietyConfig`): per video its own length, idle
share, arms, dominant hand, view, transition mix, nuisance strengths and footage blend,
all fixed by its seed and position. Train seeds 21001-21012, test seeds 22001-22012.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from laps.errors import ConfigError
from laps.synth.config import PRESET_NUISANCE, Preset, SynthConfig, View

SUITE_VERSION = "1"
SUITES: dict[str, dict[str, Any]] = {
    "1": {"duration_s": 180.0, "size": (1280, 720), "fps": 30.0, "seeds_per_cell": 4},
    "2": {
        "duration_s": (60.0, 90.0),
        "size": (640, 360),
        "fps": 30.0,
        "videos_per_split": 12,
        "first_seed": {"train": 21001, "test": 22001},
        "idle_fraction": (0.05, 0.85),
    },
}
PRESETS = tuple(Preset)
VIEWS = tuple(View)


@dataclass(frozen=True, slots=True)
class SuiteEntry:
    """One video of the suite: its split and its full config."""

    split: str
    config: SynthConfig


def _seed(preset_i: int, view_i: int, k: int) -> int:
    """Seeds are fixed by position: 1001-1004 easy/top, 1101-1104 easy/oblique, 2001... ."""
    return 1000 * (preset_i + 1) + 100 * view_i + k + 1


def _v1(spec: dict[str, Any], duration_s: float | None, size: tuple[int, int]) -> list[SuiteEntry]:
    n = spec["seeds_per_cell"]
    entries = []
    for pi, preset in enumerate(Preset):
        for vi, view in enumerate(View):
            for k in range(n):
                seed = _seed(pi, vi, k)
                cfg = SynthConfig(
                    seed=seed,
                    duration_s=duration_s or spec["duration_s"],
                    width=size[0],
                    height=size[1],
                    fps=spec["fps"],
                    preset=preset,
                    view=view,
                    stem=f"suite1_{preset.value}_{view.value}_s{seed}",
                )
                entries.append(SuiteEntry("train" if k < n // 2 else "test", cfg))
    return entries


def _v2_config(spec: dict[str, Any], seed: int, k: int, idle: float) -> dict[str, Any]:
    """The varied settings of the k-th video of a v2 split (seed-keyed draws)."""
    rng = np.random.default_rng([seed, 0x5717E2])
    preset, view = PRESETS[k % 3], VIEWS[(k // 2) % 2]
    arms = 1 + k % 2
    lo, hi = spec["duration_s"]
    nuisance = PRESET_NUISANCE[preset] | {
        "shake": round(float(rng.uniform(0.5, 3.0)), 2),
        "drift": round(float(rng.uniform(0.04, 0.2)), 3),
        "flicker": round(float(rng.uniform(0.01, 0.06)), 3),
    }
    variety = {
        "idle_fraction": round(idle, 3),
        "periodic_prob": round(float(rng.uniform(0.4, 0.9)), 2),
        "dominant": "left" if k % 4 == 3 else "right",  # half the two-hand videos
        "background_blend": round(float(rng.uniform(0.5, 0.9)), 2),
    }
    return {
        "duration_s": round(float(rng.uniform(lo, hi)), 1),
        "preset": preset,
        "view": view,
        "nuisance": nuisance,
        "script": {"arms": arms},
        "variety": variety,
        "stem": f"suite2_{preset.value}_{view.value}_{arms}h_s{seed}",
    }


def _v2(spec: dict[str, Any], duration_s: float | None, size: tuple[int, int]) -> list[SuiteEntry]:
    n = spec["videos_per_split"]
    entries = []
    for split, first in spec["first_seed"].items():
        lo, hi = spec["idle_fraction"]
        idle = np.linspace(lo, hi, n)[np.random.default_rng(first).permutation(n)]
        for k in range(n):
            values = _v2_config(spec, first + k, k, float(idle[k]))
            if duration_s:
                values["duration_s"] = duration_s
            cfg = SynthConfig(
                seed=first + k, width=size[0], height=size[1], fps=spec["fps"], **values
            )
            entries.append(SuiteEntry(split, cfg))
    return entries


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
    build = _v1 if version == "1" else _v2
    return build(spec, duration_s, size or spec["size"])
