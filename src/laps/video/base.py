"""The interface every frame source offers to the pipeline."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Protocol, runtime_checkable

from laps._closing import Closing
from laps.types import Frame, SourceInfo


@runtime_checkable
class FrameSource(Closing, Protocol):
    """A resampled, resized stream of frames from one source.

    Attributes:
        info: what is known about the source before reading.
        decode_time_s: wall seconds the decoder thread spent decoding and converting.
        n_decoded: source frames decoded so far.
        n_sampled: frames handed out (or queued) after resampling.
        last_index: source index of the last decoded frame, -1 before the first.
        end_time_s: presentation end (pts + duration) of the last decoded frame, seconds
            from the first frame; None before the first.
    """

    info: SourceInfo

    @property
    def decode_time_s(self) -> float:
        """Wall seconds the decoder thread spent decoding and converting."""
        ...

    @property
    def n_decoded(self) -> int:
        """Source frames decoded so far."""
        ...

    @property
    def n_sampled(self) -> int:
        """Frames kept by the resampler so far."""
        ...

    @property
    def last_index(self) -> int:
        """Source index of the last decoded frame, -1 before the first."""
        ...

    @property
    def end_time_s(self) -> float | None:
        """Presentation end of the last decoded frame (s from the first), None before it."""
        ...

    def frames(self) -> Iterator[Frame]:
        """Yield the sampled frames in order; may be called once per source."""
        ...

    def close(self) -> None:
        """Stop decoding and release the source; safe to call more than once."""
        ...
