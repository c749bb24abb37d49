"""Run folders and their segments, as the discovery stage reads them.

A run folder is a ``laps segment`` output: ``manifest.json`` beside ``segments.jsonl``
(and ``latents.npz`` when the run exported quantized vectors). Each path given is a run
folder or a folder of run folders (an ``--out`` folder).
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

from laps.errors import LapsError, RunFolderError
from laps.export.layout import run_folders
from laps.export.run_folder import (
    MANIFEST,
    SEGMENTS,
    Manifest,
    RunPaths,
    SegmentRecord,
    read_manifest,
)
from laps.export.run_folder import read_segments as read_segment_records

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class SegmentRef:
    """One segment of one run.

    Attributes:
        video: the run's video key (the run folder's name).
        run_dir: the run folder.
        id: segment id within the run.
        start_s: start, s.
        end_s: end, s.
        codes: the code list of each window overlapping the segment.
        clip: the clip's path (resolved against the run folder), or None.
    """

    video: str
    run_dir: Path
    id: int
    start_s: float
    end_s: float
    codes: tuple[tuple[int, ...], ...] = field(repr=False)
    clip: Path | None = None


def find_run_dirs(paths: Sequence[Path]) -> list[Path]:
    """Run folders named directly or found one level below each path, in order.

    Raises:
        LapsError: when a path is missing or no run folder is found.
    """
    found: list[Path] = []
    for path in map(Path, paths):
        if not path.is_dir():
            raise LapsError(f"expected a run folder or an output folder, got {path}; check it")
        found += run_folders(path, (MANIFEST, SEGMENTS))
    if not found:
        shown = ", ".join(map(str, paths))
        raise LapsError(
            f"expected run folders ({MANIFEST} + {SEGMENTS}), got none in {shown}; "
            "run `laps segment VIDEO --out DIR` first and pass DIR"
        )
    return list(dict.fromkeys(found))


def _ref(run_dir: Path, rec: SegmentRecord) -> SegmentRef:
    return SegmentRef(
        video=run_dir.name,
        run_dir=run_dir,
        id=rec.id,
        start_s=rec.start_s,
        end_s=rec.end_s,
        codes=rec.codes,
        clip=None if rec.clip is None else run_dir / rec.clip,
    )


def read_run_segments(run_dir: Path) -> list[SegmentRef]:
    """The segments of one run folder, in file order.

    Raises:
        RunFolderError: when ``segments.jsonl`` is missing, unreadable or malformed.
        SchemaVersionError: a run written by a laps of another schema version.
    """
    run_manifest(run_dir)  # the schema check
    return [_ref(run_dir, rec) for rec in read_segment_records(run_dir)]


def read_segments(run_dirs: Sequence[Path]) -> list[SegmentRef]:
    """The segments of every run folder.

    Raises:
        LapsError: when no run has any segment.
    """
    segments = [s for run in run_dirs for s in read_run_segments(run)]
    if not segments:
        raise LapsError(
            f"expected segments to cluster, got 0 in {len(run_dirs)} run folder(s); "
            "segment longer videos or lower the threshold and rerun `laps segment`"
        )
    return segments


def run_manifest(run_dir: Path) -> Manifest | None:
    """The run's manifest, None (with a warning) when it is unreadable.

    Raises:
        SchemaVersionError: a run written by a laps of another schema version.
    """
    try:
        return read_manifest(run_dir)
    except RunFolderError as err:
        logger.warning("%s: unreadable manifest (%s)", run_dir, err)
        return None


def latent_sequences(segments: Sequence[SegmentRef]) -> list[NDArray[np.float32]]:
    """Each segment's quantized vectors, ``(n_windows * L, D)``, from its run's latents.npz.

    Raises:
        LapsError: when a run has no latents.npz or lacks a segment's array.
    """
    out: list[NDArray[np.float32]] = []
    for run_dir, group in _by_run(segments):
        path = RunPaths(run_dir).latents
        if not path.is_file():
            raise LapsError(
                f"expected {path} for this embedding, got no file; rerun `laps segment` with "
                "--checkpoint CKPT --set export.latents=true, or use --embedding codes"
            )
        with np.load(path) as npz:
            for seg in group:
                out.append(_sequence(npz, seg, path))
    return out


def _sequence(npz: Any, seg: SegmentRef, path: Path) -> NDArray[np.float32]:
    key = f"segment_{seg.id:06d}"
    if key not in npz.files:
        raise LapsError(
            f"{path}: expected array {key} for segment {seg.id}, got none (no tokenized window "
            "overlaps it); rerun `laps segment` with --set export.latents=true"
        )
    arr = np.asarray(npz[key], dtype=np.float32)
    return arr.reshape(-1, arr.shape[-1])


def _by_run(segments: Sequence[SegmentRef]) -> list[tuple[Path, list[SegmentRef]]]:
    """Consecutive segments grouped by run folder (order kept)."""
    groups: list[tuple[Path, list[SegmentRef]]] = []
    for seg in segments:
        if groups and groups[-1][0] == seg.run_dir:
            groups[-1][1].append(seg)
        else:
            groups.append((seg.run_dir, [seg]))
    return groups
