"""The run folder ``OUT/<name>/`` of one video: file names, paths, typed records, readers.

The one place that knows a run folder's layout. Writers (``laps.pipeline.run``,
``laps.pipeline.finish``, ``laps.export.*``) take names and records from here; every reader
(calibration, report, cluster, evaluation, benchmark, batch ledger) reads through
:mod:`.read`, which checks the manifest's ``schema_version``.

Example:
    >>> from pathlib import Path
    >>> from laps.export.run_folder import RunPaths, clip_name
    >>> RunPaths(Path("out/video1")).manifest.as_posix()
    'out/video1/manifest.json'
    >>> clip_name(3)
    'clips/000003.mp4'
"""

from laps.export.run_folder.names import (
    CHANGE_SCORES,
    CLIPS_DIR,
    CONFIG,
    ENERGY_PLOT,
    FILES,
    LATENTS,
    MANIFEST,
    PERF_SUMMARY,
    SEGMENTS,
    SEGMENTS_JSON,
    WINDOWS,
    RunPaths,
    clip_name,
)
from laps.export.run_folder.read import (
    is_complete,
    or_default,
    read_change_scores,
    read_json_object,
    read_lines,
    read_manifest,
    read_perf_summary,
    read_segments,
    read_segments_json,
    read_windows,
)
from laps.export.run_folder.records import (
    COMPLETE,
    SCHEMA_VERSION,
    Manifest,
    PerfSummary,
    SegmentRecord,
    WindowRecord,
    check_schema,
)

__all__ = [
    "CHANGE_SCORES",
    "CLIPS_DIR",
    "COMPLETE",
    "CONFIG",
    "ENERGY_PLOT",
    "FILES",
    "LATENTS",
    "MANIFEST",
    "PERF_SUMMARY",
    "SCHEMA_VERSION",
    "SEGMENTS",
    "SEGMENTS_JSON",
    "WINDOWS",
    "Manifest",
    "PerfSummary",
    "RunPaths",
    "SegmentRecord",
    "WindowRecord",
    "check_schema",
    "clip_name",
    "is_complete",
    "or_default",
    "read_change_scores",
    "read_json_object",
    "read_lines",
    "read_manifest",
    "read_perf_summary",
    "read_segments",
    "read_segments_json",
    "read_windows",
]
