"""From segmenter spans (sample units) to segments in source frames and real seconds.

Sampled frame ``k`` stands for the source frames ``[index_k, index_{k+1})``. A span over
samples ``[a, b)`` therefore covers source frames ``[index_a, index_b)`` and seconds
``[time_a, time_b)``; when sample ``b`` does not exist (the stream ended) the end is the
last decoded frame + 1 and the presentation end of the stream. Likewise a span that ends at
the first sample after a gap in a live stream ends where the stream stopped (the last frame
decoded before the gap + 1, its presentation end), not after the outage.
"""

from __future__ import annotations

from array import array
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from laps.types import Frame, Segment, SegmentSpan


class SampleLedger:
    """Compact record of every sample's source index and time (16 bytes per sample)."""

    def __init__(self) -> None:
        self._index = array("q")
        self._time = array("d")

    @classmethod
    def from_arrays(cls, index: Sequence[int], time_s: Sequence[float]) -> SampleLedger:
        """A ledger of samples 0..n-1 known after the fact (offline re-segmentation)."""
        if len(index) != len(time_s):
            raise ValueError(f"ledger: expected as many times as indices, got {len(time_s)}")
        ledger = cls()
        ledger._index.extend(int(i) for i in index)
        ledger._time.extend(float(t) for t in time_s)
        return ledger

    def add(self, frame: Frame) -> None:
        """Record the next sample (samples arrive in order)."""
        if frame.sample != len(self._index):
            raise ValueError(f"ledger: expected sample {len(self._index)}, got {frame.sample}")
        self._index.append(frame.index)
        self._time.append(frame.time_s)

    def __len__(self) -> int:
        return len(self._index)

    def at(self, sample: int) -> tuple[int, float]:
        """(source index, time) of a recorded sample."""
        return self._index[sample], self._time[sample]


@dataclass
class SegmentAssembler:
    """Turns spans into :class:`Segment` once their end sample is known.

    Args:
        ledger: the run's sample ledger.
        energies: per-window energy the segmenter used (NaN for failed windows).
    """

    ledger: SampleLedger
    energies: array[float]
    _pending: list[SegmentSpan] = field(default_factory=list)
    _next_id: int = 0
    _breaks: dict[int, tuple[int, float]] = field(default_factory=dict)

    def add_break(self, sample: int, end_index: int, end_s: float) -> None:
        """A gap before ``sample``: spans ending there end at ``end_index`` / ``end_s``."""
        self._breaks[sample] = (end_index, end_s)

    def add(self, spans: list[SegmentSpan]) -> None:
        """Queue spans decided by the segmenter."""
        self._pending.extend(spans)

    def ready(self, end_index: int | None = None, end_s: float | None = None) -> list[Segment]:
        """Segments whose end is known; pass the stream's end to resolve all of them."""
        out, keep = [], []
        for span in self._pending:
            if span.end_sample in self._breaks:
                out.append(self._make(span, *self._breaks[span.end_sample]))
            elif span.end_sample < len(self.ledger):
                out.append(self._make(span, *self.ledger.at(span.end_sample)))
            elif end_index is not None and end_s is not None:
                out.append(self._make(span, end_index, end_s))
            else:
                keep.append(span)
        self._pending = keep
        return out

    def earliest_pending_sample(self) -> int | None:
        """Start sample of the earliest span still waiting for its end, None if none."""
        return min((s.start_sample for s in self._pending), default=None)

    def _make(self, span: SegmentSpan, end_index: int, end_s: float) -> Segment:
        start_index, start_s = self.ledger.at(span.start_sample)
        e = np.asarray(self.energies[span.start_window : span.end_window], dtype=np.float64)
        e = e[np.isfinite(e)]
        seg = Segment(
            id=self._next_id,
            start_frame=start_index,
            end_frame=end_index,
            start_s=start_s,
            end_s=end_s,
            start_window=span.start_window,
            end_window=span.end_window,
            start_sample=span.start_sample,
            end_sample=span.end_sample,
            energy_mean=float(e.mean()) if e.size else float("nan"),
            energy_max=float(e.max()) if e.size else float("nan"),
            label=span.label,
        )
        self._next_id += 1
        return seg
