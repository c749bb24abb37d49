"""What one ``laps run`` works on: the videos, their ground truth, and the run's settings."""

from __future__ import annotations

import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from laps.export.layout import unique_names
from laps.orchestrate.stamps import file_fingerprint
from laps.pipeline.run import RunObserver

DEFAULT_TRAIN_SECONDS = 120.0


@dataclass
class RunContext:
    """The inputs and settings of a run, shared by its stages.

    Attributes:
        videos: the video files, in order.
        names: one output name per video (its stem, made unique).
        out: the run folder (one subfolder per stage).
        truth: ground-truth JSON beside a video (``<stem>.json``), by output name.
        checkpoint: a tokenizer checkpoint given by the user (no tracks / train stages).
        device: tokenizer device for training and encoding.
        overrides: ``section.key=value`` config overrides.
        train_seconds: training time budget, s.
        observer: receives the segmentation progress of each video.
        workers: videos tracked and segmented at once (processes; with Ray, CPUs, 0 = all).
        ray: the Ray address for tracks and segment (``local``: start one here); None: no Ray.
        results: what each finished stage reported, by stage name.
    """

    videos: list[Path]
    out: Path
    checkpoint: Path | None = None
    device: str = "auto"
    overrides: list[str] = field(default_factory=list)
    train_seconds: float = DEFAULT_TRAIN_SECONDS
    observer: RunObserver | None = None
    workers: int = 1
    ray: str | None = None
    names: list[str] = field(init=False)
    truth: dict[str, Path] = field(init=False)
    results: dict[str, dict[str, Any]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.names = unique_names([str(v) for v in self.videos])
        self.truth = {
            name: v.with_suffix(".json")
            for name, v in zip(self.names, self.videos, strict=True)
            if v.with_suffix(".json").is_file()
        }

    def stage_dir(self, stage: str) -> Path:
        """The folder a stage writes into."""
        return self.out / stage

    @property
    def gt_dir(self) -> Path | None:
        """The run's ground-truth folder (copies named after the runs), or None without GT."""
        return self.out / "gt" if self.truth else None

    @property
    def truth_videos(self) -> list[Path]:
        """The videos that have ground truth beside them."""
        return [v for n, v in zip(self.names, self.videos, strict=True) if n in self.truth]

    @property
    def checkpoint_path(self) -> Path:
        """The checkpoint the run segments with: the given one, or the trained one."""
        return self.checkpoint or self.stage_dir("train") / "best.pt"

    def fingerprints(
        self, videos: list[Path] | None = None, truth: bool = True
    ) -> list[dict[str, Any]]:
        """Path, size and mtime of the videos (all by default) and of their ground truth."""
        picked = self.videos if videos is None else videos
        out = [file_fingerprint(v) for v in picked]
        return out + [file_fingerprint(p) for p in self.truth.values()] if truth else out


def collect_truth(ctx: RunContext) -> None:
    """Copy the ground truth beside the videos into ``OUT/gt/<name>.json`` (when changed)."""
    gt_dir = ctx.gt_dir
    if gt_dir is None:
        return
    gt_dir.mkdir(parents=True, exist_ok=True)
    for name, src in ctx.truth.items():
        dst = gt_dir / f"{name}.json"
        same = dst.is_file() and dst.stat().st_size == src.stat().st_size
        if not same or dst.stat().st_mtime_ns != src.stat().st_mtime_ns:
            shutil.copy2(src, dst)
