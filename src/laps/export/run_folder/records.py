"""Typed records of a run folder's files: the manifest, a window line, a segment line, perf.

Writers build these records and write ``to_dict()``; readers get them back with
``from_dict`` (see :mod:`laps.export.run_folder.read`). Reading a manifest checks its
``schema_version`` first.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field
from typing import Any

from laps.errors import SchemaVersionError
from laps.export.run_folder._coerce import record_from_json
from laps.types import Segment

SCHEMA_VERSION = 1  # of manifest.json and the files beside it
COMPLETE = "complete"  # manifest status of a finished run ("running" while it writes)


def check_schema(data: object, where: str) -> None:
    """Refuse a manifest of another schema version.

    Raises:
        SchemaVersionError: ``schema_version`` is missing or not :data:`SCHEMA_VERSION`.
    """
    found = data.get("schema_version") if isinstance(data, dict) else None
    if found != SCHEMA_VERSION:
        raise SchemaVersionError(
            f"{where}: expected schema_version {SCHEMA_VERSION}, got {found!r}; re-run "
            "`laps segment` with this laps version to regenerate the run folder"
        )


@dataclass(frozen=True, slots=True, kw_only=True)
class Manifest:
    """``manifest.json``: what ran, on what, with which settings, and whether it finished.

    Attributes:
        schema_version: :data:`SCHEMA_VERSION`.
        name: the run's name (its folder's name).
        status: ``running`` while the run writes, ``complete`` once it finished.
        started_at: ISO 8601 UTC time the run started.
        updated_at: ISO 8601 UTC time of this manifest.
        source: the source (``SourceInfo`` fields: uri, kind, fps, ...).
        threshold: the threshold choice (value, method, detail), None until decided.
        segmenter: the segmenter (``method``, whether its spans ``tiles`` the stream).
        tracks: the tracker's description (backend, grid, frame size, velocity scale).
        checkpoint: the tokenizer checkpoint (path, sha256, ...), None without one.
        config: the resolved pipeline config.
        stream: reconnects and gaps of a live source, None otherwise.
        versions: versions of python, laps and the libraries that shape its numbers.
    """

    schema_version: int = SCHEMA_VERSION
    name: str
    status: str
    started_at: str = ""
    updated_at: str = ""
    source: dict[str, Any]
    threshold: dict[str, Any] | None = None
    segmenter: dict[str, Any] | None = None
    tracks: dict[str, Any] = field(default_factory=dict)
    checkpoint: dict[str, Any] | None = None
    config: dict[str, Any]
    stream: dict[str, Any] | None = None
    versions: dict[str, str] = field(default_factory=dict)

    @classmethod
    def from_dict(cls, data: object, where: str) -> Manifest:
        """Read a decoded ``manifest.json``, its schema version first.

        Raises:
            SchemaVersionError: another schema version.
            RunFolderError: a missing key or a value of the wrong type.
        """
        check_schema(data, where)
        return record_from_json(cls, data, where)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dict (``stream`` only for a live source)."""
        out = asdict(self)
        if self.stream is None:
            del out["stream"]
        return out

    @property
    def complete(self) -> bool:
        """The run finished and every output was written."""
        return self.status == COMPLETE

    @property
    def checkpoint_sha256(self) -> str | None:
        """The tokenizer checkpoint's hash, None without one."""
        sha = (self.checkpoint or {}).get("sha256")
        return sha if isinstance(sha, str) else None

    @property
    def source_uri(self) -> str | None:
        """The source's URI (file path, camera, stream URL), None when unknown."""
        uri = self.source.get("uri")
        return uri if isinstance(uri, str) else None


@dataclass(frozen=True, slots=True)
class WindowRecord:
    """Everything decided about one window: one line of ``windows.jsonl``."""

    window: int
    start_frame: int  # source frames, half-open
    end_frame: int
    start_s: float  # presentation times of the first and last frame
    end_s: float
    start_sample: int
    end_sample: int
    outcome: str  # WindowStatus value, or "gap" (laps.pipeline.process.GAP_OUTCOME)
    energy_raw: float | None
    energy: float | None  # smoothed (the value the segmenter used)
    pre_gate: dict[str, Any] | None
    motion_gate: dict[str, Any] | None
    codes: list[int] | None
    t_track_s: float  # timings are NaN (null on disk) for a window cut by a stream gap
    t_forward_s: float
    t_total_s: float
    budget_s: float
    slack_s: float
    status: str  # "OK" | "LAG" | "GAP"
    latency_s: float
    error: str | None = None
    proxy: float | None = None  # velocity energy, the calibration proxy

    @classmethod
    def from_dict(cls, data: object, where: str) -> WindowRecord:
        """Read one decoded line.

        Raises:
            RunFolderError: a missing key or a value of the wrong type.
        """
        return record_from_json(cls, data, where)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dict."""
        return asdict(self)


@dataclass(frozen=True, slots=True, kw_only=True)
class SegmentRecord:
    """One line of ``segments.jsonl``.

    ``id``, ``start_s`` and ``end_s`` are required; the other fields are always written by
    laps but may be absent from hand-made files (None, NaN or empty when read).
    """

    id: int
    start_frame: int | None = None  # source frames, half-open
    end_frame: int | None = None
    start_s: float
    end_s: float
    duration_s: float | None = None
    start_window: int | None = None
    end_window: int | None = None
    start_sample: int | None = None
    end_sample: int | None = None
    energy_mean: float = math.nan
    energy_max: float = math.nan
    codes: tuple[tuple[int, ...], ...] = ()  # per overlapping window, its codes
    clip: str | None = None  # relative to the run folder
    label: str | None = None  # idle / active when the segmenter labels its segments

    @classmethod
    def from_segment(cls, seg: Segment, clip: str | None) -> SegmentRecord:
        """The record of a decided segment (times rounded to the microsecond)."""
        return cls(
            id=seg.id,
            start_frame=seg.start_frame,
            end_frame=seg.end_frame,
            start_s=round(seg.start_s, 6),
            end_s=round(seg.end_s, 6),
            duration_s=round(seg.duration_s, 6),
            start_window=seg.start_window,
            end_window=seg.end_window,
            start_sample=seg.start_sample,
            end_sample=seg.end_sample,
            energy_mean=seg.energy_mean,
            energy_max=seg.energy_max,
            codes=tuple(tuple(w) for w in seg.codes),
            clip=clip,
            label=seg.label,
        )

    @classmethod
    def from_dict(cls, data: object, where: str) -> SegmentRecord:
        """Read one decoded line.

        Raises:
            RunFolderError: a missing key or a value of the wrong type.
        """
        return record_from_json(cls, data, where)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dict."""
        out = asdict(self)
        out["codes"] = [list(w) for w in self.codes]
        return out


Stats = dict[str, float | None]  # mean / p50 / p95 / max


@dataclass(frozen=True, slots=True, kw_only=True)
class PerfSummary:
    """``perf_summary.json``: the reference's performance fields plus decode time and shares.

    Built by ``laps.pipeline.finish`` from :class:`laps.export.perf.PerfColumns`.
    """

    video: str
    video_name: str
    live: bool
    target_fps: float
    stride: int
    tracker: str
    frames_decoded: int
    frames_sampled: int
    sampled_fps: float
    trailing_samples_in_no_window: int
    segments: int
    decode_time_s: float
    windows_done: int
    wall_time_s: float
    budget_per_window_s: float
    ok_ratio: float | None
    realized_windows_per_sec: float
    throughput_fps_estimate: float
    t_track_s: Stats
    t_forward_s: Stats
    t_total_s: Stats
    latency_s: Stats
    gpu_max_mem_allocated_mb: float | None
    gpu_max_mem_reserved_mb: float | None
    cpu_max_rss_mb: float
    param_count: int
    window_outcomes: dict[str, int]
    stage_time_s: dict[str, float]
    stage_share: dict[str, float]
    stream: dict[str, Any] | None = None

    @classmethod
    def from_dict(cls, data: object, where: str) -> PerfSummary:
        """Read a decoded ``perf_summary.json``.

        Raises:
            RunFolderError: a missing key or a value of the wrong type.
        """
        return record_from_json(cls, data, where)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dict (``stream`` only for a live source)."""
        out = asdict(self)
        if self.stream is None:
            del out["stream"]
        return out
