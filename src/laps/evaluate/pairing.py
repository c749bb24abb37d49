"""Find the segment files of predictions and ground truth, and pair them by video.

A side is a single segments JSON or a folder scanned recursively: a laps output folder
(``OUT/<name>/segments.json`` beside ``segments.jsonl``) or any tree of segments JSONs (the
generator's ``<stem>.json``). JSON files without a ``segments`` list (manifests, the
generator's ``.params.json``) are skipped. Videos pair by the stem of the ``video`` entry
inside the JSON, as the reference does, else by the file stem (the run folder's name for a
laps ``segments.json``).
"""

from __future__ import annotations

import dataclasses
import logging
import math
from pathlib import Path
from typing import Any

from laps.errors import LapsError
from laps.evaluate.tracks import (
    SegmentTrack,
    VideoPair,
    is_segments_json,
    read_json,
    track_from_json,
    video_key,
)
from laps.export.layout import is_staging
from laps.export.run_folder import SEGMENTS_JSON, RunPaths, read_segments

logger = logging.getLogger(__name__)

_TIME_MATCH_S = 1e-3


def _names(names: list[str], limit: int = 10) -> str:
    shown = ", ".join(names[:limit])
    return shown + (f" ... and {len(names) - limit} more" if len(names) > limit else "")


def _energy_means(run: Path, segments: tuple[tuple[float, float], ...]) -> tuple[float, ...]:
    """``energy_mean`` of each segment from a run's ``segments.jsonl``, matched by times.

    Raises:
        ValueError: when a line is malformed (RunFolderError) or a segment has no finite energy.
    """
    by_time: dict[tuple[int, int], float] = {}
    for rec in read_segments(run):
        key = (round(rec.start_s / _TIME_MATCH_S), round(rec.end_s / _TIME_MATCH_S))
        by_time[key] = rec.energy_mean
    out = []
    for start, end in segments:
        value = by_time[(round(start / _TIME_MATCH_S), round(end / _TIME_MATCH_S))]
        if not math.isfinite(value):
            raise ValueError(f"energy_mean of segment {start}-{end} s is {value}")
        out.append(value)
    return tuple(out)


def _with_run_confidences(track: SegmentTrack, run: Path) -> SegmentTrack:
    """Use the run's per-segment mean energy as confidence (the reference's choice)."""
    try:
        energies = _energy_means(run, track.segments)
    except (OSError, ValueError, KeyError, TypeError) as err:
        jsonl = RunPaths(run).segments
        logger.warning("%s: no usable energy_mean (%s); confidences fall back", jsonl, err)
        return track
    return dataclasses.replace(track, confidences=energies, confidence_source="energy_mean")


def read_track(path: Path, data: Any | None = None) -> tuple[str, SegmentTrack]:
    """Read one segments file; returns its pairing key and track.

    Raises:
        LapsError: when the file is unreadable, not a segments JSON, or has bad values.
    """
    data = read_json(path) if data is None else data
    track = track_from_json(data, path)
    is_run = path.name == SEGMENTS_JSON and RunPaths(path.parent).segments.is_file()
    key = video_key(data, path.parent.name if is_run else path.stem)
    if is_run:
        track = _with_run_confidences(track, path.parent)
    return key, track


def _skipped(path: Path, root: Path, exclude: Path | None) -> bool:
    parts = path.relative_to(root).parts[:-1]
    if any(is_staging(Path(p)) for p in parts):
        return True
    return exclude is not None and path.resolve().is_relative_to(exclude)


def _scan(root: Path, exclude: Path | None) -> dict[str, SegmentTrack]:
    tracks: dict[str, SegmentTrack] = {}
    for path in sorted(root.rglob("*.json")):
        if _skipped(path, root, exclude) or not path.is_file():
            continue
        data = read_json(path)
        if not is_segments_json(data):
            logger.debug("skipping %s: no 'segments' list", path)
            continue
        key, track = read_track(path, data)
        if key in tracks:
            raise LapsError(
                f"expected one segments file per video, got two for {key!r}: "
                f"{tracks[key].source} and {path}; pass a narrower folder or remove one"
            )
        tracks[key] = track
    return tracks


def collect_tracks(root: Path, exclude: Path | None = None) -> dict[str, SegmentTrack]:
    """The tracks under a file or folder, by pairing key.

    Args:
        root: a segments JSON, or a folder scanned recursively.
        exclude: a path whose files are left out (the other side, when nested inside).

    Raises:
        LapsError: when the path is missing, a file is malformed, or two files claim a video.
    """
    root = Path(root)
    if root.is_file():
        key, track = read_track(root)
        return {key: track}
    if not root.is_dir():
        raise LapsError(f"expected an existing segments JSON or folder, got {root}; check the path")
    return _scan(root, exclude)


def _nested(inner: Path, outer: Path) -> Path | None:
    """``inner`` resolved when it lies strictly inside the folder ``outer``, else None."""
    a, b = inner.resolve(), outer.resolve()
    return a if a != b and b.is_dir() and a.is_relative_to(b) else None


def load_pairs(pred: Path, gt: Path) -> list[VideoPair]:
    """Pair predicted and ground-truth segment files by video, sorted by name.

    Ground-truth videos with no prediction get ``pred=None`` (scored as zero) and a warning;
    predictions with no ground truth are dropped with a warning. Two single files are paired
    whatever their names.

    Raises:
        LapsError: on a missing path, a malformed file, or when no video pairs at all.
    """
    pred, gt = Path(pred), Path(gt)
    gts = collect_tracks(gt, exclude=_nested(pred, gt))
    preds = collect_tracks(pred, exclude=_nested(gt, pred))
    if pred.is_file() and gt.is_file():
        (name, g), (p,) = next(iter(gts.items())), preds.values()
        return [VideoPair(name, g, p)]
    common = sorted(gts.keys() & preds.keys())
    if not common:
        raise LapsError(
            f"no prediction pairs with a ground-truth video: expected the same video stems "
            f"(the 'video' entry of each JSON, else the file or run folder name); "
            f"ground truth {gt} has [{_names(sorted(gts)) or 'no segments JSON'}], "
            f"predictions {pred} have [{_names(sorted(preds)) or 'no segments JSON'}]"
        )
    missing = sorted(gts.keys() - preds.keys())
    extra = sorted(preds.keys() - gts.keys())
    if missing:
        logger.warning("%d video(s) lack a prediction, scored 0: %s", len(missing), _names(missing))
    if extra:
        logger.warning("%d prediction(s) lack ground truth, ignored: %s", len(extra), _names(extra))
    return [VideoPair(name, gts[name], preds.get(name)) for name in sorted(gts)]
