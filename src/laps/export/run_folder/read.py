"""Readers of a run folder's files, into the typed records of :mod:`.records`.

Every reader is strict: a missing file or a malformed one raises :class:`RunFolderError`
(``missing`` tells which), a manifest of another schema :class:`SchemaVersionError`.
Readers that show what they can (the report) wrap a read in :func:`or_default`, and read
JSON-lines files with ``skip_bad_lines`` to keep the good lines of a damaged file.
"""

from __future__ import annotations

import itertools
import json
import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from laps.errors import RunFolderError, SchemaVersionError
from laps.export.run_folder._coerce import FIX
from laps.export.run_folder.names import RunPaths
from laps.export.run_folder.records import Manifest, PerfSummary, SegmentRecord, WindowRecord

logger = logging.getLogger(__name__)

T = TypeVar("T")


def _text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError as err:
        raise RunFolderError(f"expected {path}, got no such file; {FIX}", missing=True) from err
    except (OSError, UnicodeDecodeError) as err:
        raise RunFolderError(f"{path}: expected a readable UTF-8 file, got {err}; {FIX}") from err


def read_json_object(path: Path) -> dict[str, Any]:
    """A JSON file holding one object.

    Raises:
        RunFolderError: missing, unreadable, not JSON, or not an object.
    """
    text = _text(path)
    try:
        data = json.loads(text)
    except ValueError as err:
        raise RunFolderError(f"{path}: expected JSON, got a parse error ({err}); {FIX}") from err
    if not isinstance(data, dict):
        raise RunFolderError(f"{path}: expected a JSON object, got {type(data).__name__}; {FIX}")
    return data


def read_lines(
    path: Path, parse: Callable[[object, str], T], *, skip_bad_lines: bool = False
) -> list[T]:
    """The records of a JSON-lines file, one per non-blank line, in file order.

    Args:
        path: the file.
        parse: ``(decoded line, where) -> record``, raising :class:`RunFolderError`.
        skip_bad_lines: log and skip a malformed line instead of raising.

    Raises:
        RunFolderError: missing or unreadable, or (unless skipped) a malformed line.
    """
    rows: list[T] = []
    for n, line in enumerate(_text(path).splitlines(), 1):
        if not line.strip():
            continue
        where = f"{path} line {n}"
        try:
            rows.append(parse(_decode(line, where), where))
        except RunFolderError as err:
            if not skip_bad_lines:
                raise
            logger.warning("skipping %s", err)
    return rows


def _decode(line: str, where: str) -> object:
    try:
        return json.loads(line)
    except ValueError as err:
        raise RunFolderError(f"{where}: expected JSON, got a parse error ({err}); {FIX}") from err


def read_manifest(folder: Path) -> Manifest:
    """``manifest.json``, its schema version checked first.

    Raises:
        RunFolderError: missing or malformed.
        SchemaVersionError: written by a laps of another schema version.
    """
    path = RunPaths(Path(folder)).manifest
    return Manifest.from_dict(read_json_object(path), str(path))


def read_windows(folder: Path, *, skip_bad_lines: bool = False) -> list[WindowRecord]:
    """The lines of ``windows.jsonl`` in file order (see :func:`read_lines`)."""
    path = RunPaths(Path(folder)).windows
    return read_lines(path, WindowRecord.from_dict, skip_bad_lines=skip_bad_lines)


def read_segments(folder: Path, *, skip_bad_lines: bool = False) -> list[SegmentRecord]:
    """The lines of ``segments.jsonl`` in file order (see :func:`read_lines`).

    A line without an ``id`` gets its position among the segments.
    """
    path = RunPaths(Path(folder)).segments
    count = itertools.count()

    def parse(data: object, where: str) -> SegmentRecord:
        k = next(count)
        data = {"id": k, **data} if isinstance(data, dict) else data
        return SegmentRecord.from_dict(data, where)

    return read_lines(path, parse, skip_bad_lines=skip_bad_lines)


def read_perf_summary(folder: Path) -> PerfSummary:
    """``perf_summary.json``.

    Raises:
        RunFolderError: missing or malformed.
    """
    path = RunPaths(Path(folder)).perf_summary
    return PerfSummary.from_dict(read_json_object(path), str(path))


def read_segments_json(folder: Path) -> dict[str, Any]:
    """``segments.json`` (the ground-truth format), as decoded JSON.

    Raises:
        RunFolderError: missing or not a JSON object.
    """
    return read_json_object(RunPaths(Path(folder)).segments_json)


def read_change_scores(folder: Path) -> dict[str, Any]:
    """``change_scores.json`` of a change run, as decoded JSON.

    Raises:
        RunFolderError: missing or not a JSON object.
    """
    return read_json_object(RunPaths(Path(folder)).change_scores)


def is_complete(folder: Path, *files: str) -> bool:
    """The folder holds a finished run of this schema, and each of ``files`` beside it."""
    try:
        manifest = read_manifest(folder)
    except (RunFolderError, SchemaVersionError):
        return False
    return manifest.complete and all((Path(folder) / f).is_file() for f in files)


def or_default(read: Callable[[], T], default: T) -> T:
    """``read()``, or ``default`` when the file is missing (silently) or bad (a warning)."""
    try:
        return read()
    except RunFolderError as err:
        if not err.missing:
            logger.warning("skipping: %s", err)
        return default
    except SchemaVersionError as err:
        logger.warning("skipping: %s", err)
        return default
