"""Gaps in a live stream inside a run: no window spans one, the open segment ends at it.

A :class:`laps.video.reconnect.ReconnectingSource` that came back after an outage records a
:class:`laps.video.reconnect.StreamGap` before it hands out the first frame after it. The run
(:meth:`laps.pipeline.run._Run._at_gap`) then, before using that frame:

1. decides every window still pending (an encoder batch) in order;
2. records the windows open at the gap, which would need frames on both sides of it (at most
   ``ceil(T / stride)`` of them), in ``windows.jsonl`` with outcome ``gap`` and status
   ``GAP``: the frames, samples and times they got before the gap, no energy, no timings,
   the gap described in ``error`` (:func:`laps.pipeline.process.gap_record`); window indices
   stay contiguous and every window keeps its line;
3. closes the segmenter's open segment at the gap: it ends at the first sample after the gap,
   which in frames and seconds is the last frame decoded before the gap + 1 and that frame's
   presentation end (half-open), so no segment covers an outage; the segmenter goes on at the
   first window after the gap (runs, cooldown and counters start afresh, the threshold is
   kept; the change segmenter starts a new piece whose first span begins at the gap);
4. restarts the tracker (no flow across the gap) and the energy smoother.

Segment ids continue. Samples after the gap but before the first window that starts after it
(fewer than ``stride``) belong to no window. The manifest and ``perf_summary.json`` of a
reconnecting source carry a ``stream`` section (:func:`stream_summary`).
"""

from __future__ import annotations

from typing import Any

from laps.video.reconnect import ReconnectingSource, StreamGap


def describe_gap(gap: StreamGap) -> str:
    """The ``error`` text of a window cut by ``gap``."""
    return (
        f"stream gap: {gap.seconds:.2f} s without frames before frame {gap.end_frame} "
        f"(sample {gap.sample}); no window spans a gap"
    )


def stream_summary(source: ReconnectingSource) -> dict[str, Any]:
    """Reconnects and gaps of a live source, for the manifest and the perf summary."""
    return {
        "reconnects": source.reconnects,
        "gaps": len(source.gaps),
        "gap_s": sum(g.seconds for g in source.gaps),
        "gave_up": source.gave_up,
        "gap_list": [
            {
                "sample": g.sample,
                "end_frame": g.end_frame,
                "start_s": g.start_s,
                "end_s": g.end_s,
                "seconds": g.seconds,
                "attempts": g.attempts,
            }
            for g in source.gaps
        ],
    }
