"""Console progress: a rich bar for files, a compact status line for live sources.

Both are silent when stderr is not a terminal (CI, Ray workers, pipes).
"""

from __future__ import annotations

import sys
import time
from typing import TYPE_CHECKING

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)

from laps.pipeline.process import GAP_OUTCOME
from laps.types import Frame, SourceInfo

if TYPE_CHECKING:
    from laps.pipeline.process import WindowRecord
    from laps.pipeline.run import RunResult


class ConsoleObserver:
    """Renders run progress; does nothing when not attached to a terminal."""

    def __init__(self, target_fps: float, enabled: bool | None = None) -> None:
        self.enabled = sys.stderr.isatty() if enabled is None else enabled
        self.console = Console(stderr=True)
        self.target_fps = target_fps
        self._progress: Progress | None = None
        self._task: int | None = None
        self._live = False
        self._t0 = 0.0
        self._n_windows = 0
        self._n_ok = 0
        self._last_line = 0.0

    def started(self, name: str, info: SourceInfo) -> None:
        """Open a bar (file) or a status line (live)."""
        self._t0 = time.monotonic()
        self._n_windows = self._n_ok = 0
        self._live = info.live
        if not self.enabled or self._live:
            return
        total = int(info.duration_s * self.target_fps) if info.duration_s else None
        self._progress = Progress(
            TextColumn("[bold]{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("frames  {task.fields[wps]:.1f} windows/s"),
            TimeElapsedColumn(),
            TimeRemainingColumn(),
            console=self.console,
            transient=True,
        )
        self._progress.start()
        self._task = self._progress.add_task(name, total=total, wps=0.0)

    def frame(self, frame: Frame) -> None:
        """Advance the bar by one sampled frame."""
        if self._progress is not None and self._task is not None:
            self._progress.update(self._task, completed=frame.sample + 1)  # type: ignore[arg-type]

    def window(self, record: WindowRecord) -> None:
        """Update windows/s, or print the live status line (at most twice a second)."""
        if record.outcome == GAP_OUTCOME:  # cut by a stream outage: not a timed window
            return
        self._n_windows += 1
        self._n_ok += record.status == "OK"
        elapsed = max(time.monotonic() - self._t0, 1e-9)
        if self._progress is not None and self._task is not None:
            self._progress.update(self._task, wps=self._n_windows / elapsed)  # type: ignore[arg-type]
        elif self.enabled and self._live and time.monotonic() - self._last_line > 0.5:
            self._last_line = time.monotonic()
            energy = "-" if record.energy is None else f"{record.energy:.4f}"
            self.console.print(
                f"win {record.window:6d}  t={record.end_s:8.1f}s  energy {energy}  "
                f"latency {record.latency_s * 1000:5.0f} ms  "
                f"ok {100 * self._n_ok / self._n_windows:5.1f}%",
                end="\r",
                highlight=False,
            )

    def finished(self, result: RunResult) -> None:
        """Close the bar."""
        self.stop()

    def stop(self) -> None:
        """Close the bar or end the status line (idempotent; also after a failure)."""
        if self._progress is not None:
            self._progress.stop()
            self._progress = None
        elif self.enabled and self._live and self._n_windows:
            self.console.print()
            self._n_windows = 0
