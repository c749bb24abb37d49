"""The files of a run folder ``OUT/<name>/``: their names (the only place they are spelled).

Every module that reads or writes a run folder takes its file names from here, or its paths
from :class:`RunPaths`; ``tests/export/test_run_folder.py`` checks that no other module under
``src/laps`` spells them.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

MANIFEST = "manifest.json"  # schema version, status, source, threshold, resolved config
CONFIG = "config.yaml"  # the resolved config, loadable with --config
WINDOWS = "windows.jsonl"  # one line per window, flushed as decided
SEGMENTS = "segments.jsonl"  # one line per segment, flushed as decided
SEGMENTS_JSON = "segments.json"  # the segments in the ground-truth format
CHANGE_SCORES = "change_scores.json"  # per-sample change scores (segment.method=change)
CONTENT_STEPS = "content_steps.json"  # per-step activity and hand motion (method=content)
CLIPS_DIR = "clips"  # one H.264 clip per segment (export.clips)
LATENTS = "latents.npz"  # quantized vectors per segment (export.latents)
PERF_SUMMARY = "perf_summary.json"  # timings, throughput and memory of the run
ENERGY_PLOT = "energy.png"  # the energy timeline (export.energy_plot)

FILES = (
    MANIFEST,
    CONFIG,
    WINDOWS,
    SEGMENTS,
    SEGMENTS_JSON,
    CHANGE_SCORES,
    CONTENT_STEPS,
    CLIPS_DIR,
    LATENTS,
    PERF_SUMMARY,
    ENERGY_PLOT,
)


def clip_name(segment_id: int) -> str:
    """Path of a segment's clip relative to its run folder (as ``segments.jsonl`` says)."""
    return f"{CLIPS_DIR}/{segment_id:06d}.mp4"


@dataclass(frozen=True, slots=True)
class RunPaths:
    """The paths of one run folder (or of its staging folder while the run writes).

    Attributes:
        folder: the run folder ``OUT/<name>/``.
    """

    folder: Path

    @property
    def manifest(self) -> Path:
        """``manifest.json``."""
        return self.folder / MANIFEST

    @property
    def config(self) -> Path:
        """``config.yaml``."""
        return self.folder / CONFIG

    @property
    def windows(self) -> Path:
        """``windows.jsonl``."""
        return self.folder / WINDOWS

    @property
    def segments(self) -> Path:
        """``segments.jsonl``."""
        return self.folder / SEGMENTS

    @property
    def segments_json(self) -> Path:
        """``segments.json``."""
        return self.folder / SEGMENTS_JSON

    @property
    def content_steps(self) -> Path:
        """``content_steps.json``."""
        return self.folder / CONTENT_STEPS

    @property
    def change_scores(self) -> Path:
        """``change_scores.json``."""
        return self.folder / CHANGE_SCORES

    @property
    def clips(self) -> Path:
        """The ``clips/`` folder."""
        return self.folder / CLIPS_DIR

    @property
    def latents(self) -> Path:
        """``latents.npz``."""
        return self.folder / LATENTS

    @property
    def perf_summary(self) -> Path:
        """``perf_summary.json``."""
        return self.folder / PERF_SUMMARY

    @property
    def energy_plot(self) -> Path:
        """``energy.png``."""
        return self.folder / ENERGY_PLOT

    def clip(self, segment_id: int) -> Path:
        """A segment's clip file."""
        return self.folder / clip_name(segment_id)
