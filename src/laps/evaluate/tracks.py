"""One video's segments, read from the ground-truth JSON format and checked.

The format is the reference's: ``{video, segments: [{start_sec, end_sec, label}], fps,
video_duration_sec}``; a segment may also carry a ``score`` or ``confidence``. Every value is
checked here, once, so the metrics downstream can assume finite, ordered times.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from pathlib import Path, PurePath
from typing import Any

from laps.errors import LapsError

FORMAT_HINT = "{video, segments: [{start_sec, end_sec, label}], fps, video_duration_sec}"


@dataclass(frozen=True, slots=True)
class SegmentTrack:
    """The segments of one video, as evaluated.

    Attributes:
        segments: ``(start_s, end_s)`` per segment, in file order.
        labels: one label per segment, or None when some segment has none.
        confidences: one detection score per segment (higher = surer), or None.
        duration_s: length of the video, s, when the file says it.
        fps: frame rate the file declares, frames/s.
        confidence_source: where the confidences came from: ``energy_mean``, ``score``,
            ``confidence`` or ``none``.
        source: the file it was read from.
    """

    segments: tuple[tuple[float, float], ...]
    labels: tuple[str, ...] | None = None
    confidences: tuple[float, ...] | None = None
    duration_s: float | None = None
    fps: float | None = None
    confidence_source: str = "none"
    source: Path | None = None

    @property
    def end_s(self) -> float:
        """The video's length: its duration, else the last segment end (0 when empty)."""
        if self.duration_s is not None:
            return self.duration_s
        return max((e for _, e in self.segments), default=0.0)


@dataclass(frozen=True, slots=True)
class VideoPair:
    """A ground-truth video and its prediction (None when no prediction was found)."""

    name: str
    gt: SegmentTrack
    pred: SegmentTrack | None

    @property
    def duration_s(self) -> float:
        """Ground truth's duration, else the prediction's, else the last end of either."""
        if self.gt.duration_s is not None:
            return self.gt.duration_s
        if self.pred is not None and self.pred.duration_s is not None:
            return self.pred.duration_s
        return max(self.gt.end_s, self.pred.end_s if self.pred else 0.0)


def _number(value: Any, what: str, where: str) -> float:
    """A finite, non-negative float, or a LapsError saying which value is wrong."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise LapsError(f"{where}: {what}: expected a number, got {value!r}; fix the file")
    x = float(value)
    if not math.isfinite(x) or x < 0:
        raise LapsError(
            f"{where}: {what}: expected a finite time >= 0, got {value!r}; fix the file"
        )
    return x


def _segment(raw: Any, k: int, where: str) -> tuple[float, float]:
    if not isinstance(raw, dict):
        raise LapsError(f"{where}: segments[{k}]: expected an object, got {raw!r}")
    try:
        start = _number(raw["start_sec"], f"segments[{k}].start_sec", where)
        end = _number(raw["end_sec"], f"segments[{k}].end_sec", where)
    except KeyError as err:
        raise LapsError(
            f"{where}: segments[{k}]: expected start_sec and end_sec, got keys {sorted(raw)}"
        ) from err
    if end < start:
        raise LapsError(
            f"{where}: segments[{k}]: expected end_sec >= start_sec, got {start} > {end}; "
            "fix or drop that segment"
        )
    return start, end


def _scores(raw: list[dict[str, Any]], where: str) -> tuple[tuple[float, ...] | None, str]:
    """Per-segment scores from the first of ``score`` / ``confidence`` that all segments have."""
    for key in ("score", "confidence"):
        if raw and all(key in s for s in raw):
            vals = tuple(_number(s[key], f"segments[].{key}", where) for s in raw)
            return vals, key
    return None, "none"


def _labels(raw: list[dict[str, Any]]) -> tuple[str, ...] | None:
    if raw and all(s.get("label") is not None for s in raw):
        return tuple(str(s["label"]) for s in raw)
    return None


def _optional(data: dict[str, Any], key: str, where: str) -> float | None:
    value = data.get(key)
    return None if value is None else _number(value, key, where)


def is_segments_json(data: Any) -> bool:
    """Whether a parsed JSON document looks like a segments file (has a ``segments`` list)."""
    return isinstance(data, dict) and isinstance(data.get("segments"), list)


def track_from_json(data: Any, source: Path) -> SegmentTrack:
    """Check a parsed segments document and turn it into a :class:`SegmentTrack`.

    Raises:
        LapsError: when it is not a segments document or a value is out of range.
    """
    where = str(source)
    if not is_segments_json(data):
        raise LapsError(f"{where}: expected a segments JSON {FORMAT_HINT}, got no 'segments' list")
    raw = data["segments"]
    segments = tuple(_segment(s, k, where) for k, s in enumerate(raw))
    confidences, conf_source = _scores(raw, where)
    duration = _optional(data, "video_duration_sec", where)
    fps = _optional(data, "fps", where)
    return SegmentTrack(
        segments=segments,
        labels=_labels(raw),
        confidences=confidences,
        duration_s=duration if duration else None,  # 0 means unknown in some writers
        fps=fps if fps else None,
        confidence_source=conf_source,
        source=source,
    )


def read_json(path: Path) -> Any:
    """Parse a JSON file, with a LapsError for unreadable or malformed files."""
    try:
        return json.loads(Path(path).read_text(encoding="utf-8"))
    except OSError as err:
        raise LapsError(f"cannot read {path}: {err.strerror}; check the path") from err
    except (UnicodeDecodeError, ValueError) as err:
        raise LapsError(f"{path}: expected JSON {FORMAT_HINT}, got malformed text ({err})") from err


def video_key(data: dict[str, Any], fallback: str) -> str:
    """The pairing key: the stem of the ``video`` entry (reference convention), else fallback."""
    video = data.get("video")
    if isinstance(video, str) and video.strip():
        stem = PurePath(video.strip().rstrip("/")).stem
        if stem:
            return stem
    return fallback
