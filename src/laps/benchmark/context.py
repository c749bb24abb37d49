"""What a benchmark row is: its inputs (:class:`Context`), its output and its declaration."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from laps.benchmark.suite import Suite
from laps.evaluate.tracks import SegmentTrack


@dataclass(frozen=True)
class Context:
    """What every method may use: the suite, the work folder and the train statistics."""

    suite: Suite
    work: Path
    jobs: int = 1
    checkpoint: Path | None = None
    device: str = "cpu"
    tolerance_s: float = 1.0
    train_segments_per_minute: float = 40.0
    train_median_segment_s: float = 1.5


@dataclass(frozen=True)
class MethodResult:
    """One row's predictions on the test split."""

    key: str
    label: str
    predictions: dict[str, SegmentTrack]
    runtime_s: dict[str, float]
    calibration: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Method:
    """One row of the benchmark, as declared in ``methods.ROWS``.

    Attributes:
        key: the row's id (``--methods``, RESULTS.json).
        label: the row's name in the tables.
        run: computes the row's predictions on the test split (fits on train only).
        tokenizer: the row needs the tokenizer checkpoint.
    """

    key: str
    label: str
    run: Callable[[Context], MethodResult]
    tokenizer: bool = False
