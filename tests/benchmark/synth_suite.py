"""A tiny generated suite in the suite layout, for benchmark tests: real generator videos."""

from __future__ import annotations

import json
from pathlib import Path

from laps.synth.config import GENERATOR_VERSION, SynthConfig
from laps.synth.generate import render_video

# (preset, seed, split): one train and one test video of each of two presets.
VIDEOS = (
    ("easy", 11, "train"),
    ("hard", 12, "train"),
    ("easy", 13, "test"),
    ("hard", 14, "test"),
)


def write_tiny_suite(root: Path, version: str = "2", seconds: float = 20.0) -> Path:
    """Render 4 short 192x108 15 fps videos and a ``suite.json`` with ``"version"`` at the top."""
    rows = []
    for preset, seed, split in VIDEOS:
        stem = f"tiny_{preset}_s{seed}"
        cfg = SynthConfig(seed=seed, duration_s=seconds, width=192, height=108, fps=15.0,
                          preset=preset, stem=stem)  # fmt: skip
        res = render_video(cfg, root / split)
        rel = Path(split)
        rows.append({
            "stem": stem, "split": split, "preset": preset, "view": cfg.view.value,
            "seed": seed, "video_duration_sec": res.duration_s,
            "video": str(rel / res.video.name), "ground_truth": str(rel / res.ground_truth.name),
            "labels": str(rel / res.labels.name), "params": str(rel / res.params.name),
        })  # fmt: skip
    doc = {"version": version, "suite": "tiny", "generator_version": GENERATOR_VERSION,
           "overrides": {"duration_s": seconds}, "videos": rows}  # fmt: skip
    (root / "suite.json").write_text(json.dumps(doc), encoding="utf-8")
    return root
