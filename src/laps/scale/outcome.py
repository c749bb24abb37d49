"""What happened to one video of a batch (picklable: it crosses process and Ray boundaries)."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from enum import StrEnum
from typing import Any


class Status(StrEnum):
    """A video's state in the job summary."""

    DONE = "done"
    SKIPPED = "skipped"  # finished by an earlier run with the same settings
    FAILED = "failed"


@dataclass(frozen=True, slots=True)
class VideoOutcome:
    """One video's result.

    Attributes:
        name: its output folder name.
        source: the source as shown (credentials redacted).
        status: done, skipped or failed.
        attempts: how many times it was started in this batch (0 when skipped).
        reason: why it failed (None otherwise).
        retryable: whether another attempt may succeed (a dead worker, a network stream).
        wall_s: seconds of its last attempt.
        n_windows, n_failed_windows, n_segments, frames_sampled: from its run.
        duration_s: the video's duration, when known.
        worker: host and process that ran it.
        line: a one-line human summary.
    """

    name: str
    source: str
    status: Status
    attempts: int = 0
    reason: str | None = None
    retryable: bool = False
    wall_s: float = 0.0
    n_windows: int = 0
    n_failed_windows: int = 0
    n_segments: int = 0
    frames_sampled: int = 0
    duration_s: float | None = None
    worker: str = ""
    line: str = ""

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready fields (the summary's per-video entry)."""
        return asdict(self) | {"status": self.status.value}
