"""The segmenter contract: what a run feeds a segmenter and what it gets back.

A run hands every window, in order, to its segmenter as a :class:`WindowInput` (failed
windows included, so that none is lost), tells it about gaps in a live stream and the end
of the stream, and receives :class:`~laps.types.SegmentSpan` s as they become final.
Everything else a segmenter needs (its threshold, calibration file, per-step buffers) is its
own business. Implementations are registered by ``segment.method`` in
:mod:`laps.pipeline.segmenters`; one contract test suite runs every registered segmenter
(``tests/segment/test_contract.py``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol

import numpy as np
from numpy.typing import NDArray

from laps.types import Latents, SegmentSpan


@dataclass(frozen=True, slots=True)
class ThresholdChoice:
    """The threshold a run used and where it came from (recorded in the manifest)."""

    value: float
    method: str
    detail: str
    calibration: dict[str, Any] | None = None  # how the calibration file was made


@dataclass(frozen=True, slots=True)
class WindowInput:
    """One window as a segmenter sees it.

    Attributes:
        index: the window's index in the run.
        velocities: (T-1, N, 2) normalised velocities; None when the window failed.
        visible: (T, N) visibility; None when the window failed.
        latents: the tokenizer's output; None without a tokenizer, or when it failed
            (``error`` then says why).
        energy: the (smoothed) window energy the run computed; None when it has none.
        error: why the encoder failed on this window, if it did.
    """

    index: int
    velocities: NDArray[np.floating] | None
    visible: NDArray[np.bool_] | None
    latents: Latents | None = None
    energy: float | None = None
    error: str | None = None


class Segmenter(Protocol):
    """A streaming segmenter (windows in, spans out), as a run drives it.

    ``tiles`` says whether the spans tile the stream (every sample in one span) or mark
    only some stretches (the reference's hysteresis). ``choice`` is the threshold in use
    (None while a live warm-up has not fixed it yet).
    """

    method: str
    tiles: bool
    choice: ThresholdChoice | None

    def feed(self, window: WindowInput) -> list[SegmentSpan]:
        """The next window (in order); the spans now decided."""
        ...

    def break_at(self, next_window: int, end_sample: int) -> list[SegmentSpan]:
        """A stream gap before sample ``end_sample``: close what is open, resume later."""
        ...

    def finish(self, n_samples: int) -> list[SegmentSpan]:
        """End of stream after ``n_samples`` sampled frames: every remaining span."""
        ...

    def earliest_open_window(self) -> int | None:
        """A window at or before the first one a later span may contain (None: none)."""
        ...

    def check_checkpoint(self, checkpoint: dict[str, Any] | None) -> None:
        """Refuse a calibration made with another tokenizer checkpoint than the run's."""
        ...

    def parameters(self) -> dict[str, Any]:
        """What decided the segments (method, threshold, its parameters) for the outputs."""
        ...

    def artifacts(self) -> dict[str, Any]:
        """Extra JSON documents to write beside the outputs (file name -> document)."""
        ...

    def energy_thresholds(self) -> tuple[float, float] | None:
        """(on, off) lines on the energy plot, when the segmenter thresholds the energy."""
        ...
