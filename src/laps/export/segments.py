"""Segment outputs: ``segments.jsonl`` lines and ``segments.json`` (ground-truth format)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from laps.export.atomic import write_json_atomic
from laps.export.run_folder import SegmentRecord
from laps.types import Segment


def segment_record(seg: Segment, clip: str | None) -> dict[str, Any]:
    """One line of ``segments.jsonl`` (a :class:`SegmentRecord` as a dict)."""
    return SegmentRecord.from_segment(seg, clip).to_dict()


def write_segments_json(
    path: Path,
    video: str,
    segments: list[Segment],
    fps: float,
    duration_s: float | None,
    params: dict[str, Any],
) -> None:
    """Write the segments in the reference ground-truth JSON format.

    ``{video, segments: [{start_sec, end_sec, label}], fps, video_duration_sec}`` plus the
    parameters that produced them.
    """
    write_json_atomic(
        path,
        {
            "video": video,
            "segments": [
                {
                    "start_sec": round(s.start_s, 6),
                    "end_sec": round(s.end_s, 6),
                    "label": s.label or f"segment_{s.id}",
                }
                for s in segments
            ],
            "fps": fps,
            "video_duration_sec": duration_s,
            "segmentation_params": params,
        },
    )
