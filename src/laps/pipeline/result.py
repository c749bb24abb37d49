"""What a run reports while it goes (``RunObserver``) and when it ends (``RunResult``)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from laps.types import Frame, Segment, SourceInfo

if TYPE_CHECKING:
    from laps.pipeline.process import WindowRecord
    from laps.pipeline.thresholding import ThresholdChoice


class RunObserver(Protocol):
    """Receives progress events (the CLI renders them)."""

    def started(self, name: str, info: SourceInfo) -> None:
        """A source was opened."""

    def frame(self, frame: Frame) -> None:
        """A sampled frame was consumed."""

    def window(self, record: WindowRecord) -> None:
        """A window was decided."""

    def finished(self, result: RunResult) -> None:
        """The source is done."""


@dataclass(frozen=True)
class RunResult:
    """What a finished run produced."""

    name: str
    out_dir: Path
    info: SourceInfo
    n_windows: int
    n_failed_windows: int
    segments: list[Segment]
    threshold: ThresholdChoice
    perf: dict[str, Any]
