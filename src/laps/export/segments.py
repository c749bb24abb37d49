"""Segment outputs: ``segments.jsonl`` lines and ``segments.json`` (ground-truth format)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from laps.export.atomic import write_json_atomic
from laps.types import Segment


def segment_record(seg: Segment, clip: str | None) -> dict[str, Any]:
    """One line of ``segments.jsonl``."""
    return {
        "id": seg.id,
        "start_frame": seg.start_frame,
        "end_frame": seg.end_frame,
        "start_s": round(seg.start_s, 6),
        "end_s": round(seg.end_s, 6),
        "duration_s": round(seg.duration_s, 6),
        "start_window": seg.start_window,
        "end_window": seg.end_window,
        "start_sample": seg.start_sample,
        "end_sample": seg.end_sample,
        "energy_mean": seg.energy_mean,
        "energy_max": seg.energy_max,
        "codes": seg.codes,
        "clip": clip,
        "label": seg.label,
    }


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
