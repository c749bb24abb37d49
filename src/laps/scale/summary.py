"""The job summary: every video done, skipped or failed (with its reason), and throughput.

Written to ``OUT/job_summary.json`` atomically after every finished video, so a batch that
is killed leaves a summary of what it had finished.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from laps.export.atomic import write_json_atomic
from laps.export.manifest import now_iso
from laps.scale.outcome import Status, VideoOutcome

SUMMARY_NAME = "job_summary.json"


@dataclass
class JobSummary:
    """Outcomes of one batch, in the order videos finished."""

    out: Path
    backend: str
    planned: int
    started_at: str = field(default_factory=now_iso)
    outcomes: list[VideoOutcome] = field(default_factory=list)
    _t0: float = field(default_factory=time.perf_counter)
    wall_s: float = 0.0

    def add(self, outcome: VideoOutcome) -> None:
        """Take a video's final outcome."""
        self.outcomes.append(outcome)
        self.wall_s = time.perf_counter() - self._t0

    def of(self, status: Status) -> list[VideoOutcome]:
        """The outcomes with ``status``."""
        return [o for o in self.outcomes if o.status is status]

    def totals(self) -> dict[str, Any]:
        """Counts and throughput of the videos processed in this batch."""
        done = self.of(Status.DONE)
        frames = sum(o.frames_sampled for o in done)
        video_s = sum(o.duration_s or 0.0 for o in done)
        wall = self.wall_s
        return {
            "planned": self.planned,
            "done": len(done),
            "skipped": len(self.of(Status.SKIPPED)),
            "failed": len(self.of(Status.FAILED)),
            "retries": sum(max(o.attempts - 1, 0) for o in self.outcomes),
            "wall_s": wall,
            "videos_per_hour": len(done) / wall * 3600 if wall > 0 else 0.0,
            "sampled_fps": frames / wall if wall > 0 else 0.0,
            "video_seconds": video_s,
            "realtime_factor": video_s / wall if wall > 0 else 0.0,
        }

    def to_dict(self) -> dict[str, Any]:
        """The JSON document."""
        return {
            "started_at": self.started_at,
            "updated_at": now_iso(),
            "backend": self.backend,
            "totals": self.totals(),
            "videos": [o.to_dict() for o in self.outcomes],
        }

    def write(self) -> Path:
        """Write ``OUT/job_summary.json`` atomically; returns its path."""
        path = self.out / SUMMARY_NAME
        write_json_atomic(path, self.to_dict())
        return path

    def headline(self) -> str:
        """One line: counts, wall time and throughput."""
        t = self.totals()
        return (
            f"batch ({self.backend}): {t['done']} done, {t['skipped']} skipped, "
            f"{t['failed']} failed in {t['wall_s']:.1f} s ({t['videos_per_hour']:.0f} videos/h, "
            f"{t['sampled_fps']:.1f} sampled frames/s) -> {self.out / SUMMARY_NAME}"
        )
