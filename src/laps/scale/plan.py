"""Which videos a batch holds, under which output names, and which of them are resumable.

A video keeps its output name across reruns (the ledger remembers it), so adding videos to a
batch never renames finished ones. Only finite sources are resumable: a file or an HTTP(S)
URL is finished once; a camera or a live stream (RTSP, UDP, ...) is recorded anew each run.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from laps.export.layout import PREVIOUS_SUFFIX, STAGING_SUFFIX, output_name
from laps.video.spec import SpecKind, parse_spec

_FINITE_SCHEMES = ("http", "https")


@dataclass(frozen=True, slots=True)
class BatchItem:
    """One video of a batch.

    Attributes:
        spec: what to open (may hold URL credentials: never logged or written).
        name: the output folder name under OUT.
        key: a hash identifying the source (no credentials can be read back from it).
        display: the source as shown in logs and summaries (credentials redacted).
        resumable: whether a finished run of it is skipped on a rerun.
    """

    spec: str
    name: str
    key: str
    display: str
    resumable: bool


def source_key(spec: str) -> str:
    """A stable hash of a source: a file by its real path, anything else by its text."""
    parsed = parse_spec(spec)
    ident = os.path.realpath(parsed.target) if parsed.kind is SpecKind.FILE else parsed.target
    return hashlib.sha256(ident.encode("utf-8", "surrogateescape")).hexdigest()[:20]


def file_stamp(spec: str) -> list[int] | None:
    """Size and modification time of a file source (a re-exported video must be redone)."""
    parsed = parse_spec(spec)
    if parsed.kind is not SpecKind.FILE:
        return None
    try:
        st = os.stat(parsed.target)
    except OSError:
        return None
    return [st.st_size, st.st_mtime_ns]


def is_resumable(spec: str) -> bool:
    """Files and HTTP(S) videos end; cameras and live streams do not."""
    parsed = parse_spec(spec)
    if parsed.kind is SpecKind.FILE:
        return True
    scheme = parsed.target.split("://", 1)[0].lower()
    return parsed.kind is SpecKind.STREAM and scheme in _FINITE_SCHEMES


def plan_items(specs: Sequence[str], known: Mapping[str, str]) -> list[BatchItem]:
    """One item per distinct source, named as before when ``known`` (key -> name) has it.

    New sources get :func:`output_name`, made unique against every known name and every
    name of this batch (``_2``, ``_3``, ...).
    """
    taken = set(known.values())
    items: list[BatchItem] = []
    seen: set[str] = set()
    for spec in specs:
        key = source_key(spec)
        if key in seen:
            continue
        seen.add(key)
        name = known.get(key)
        if name is None:
            name = _unique(output_name(spec), taken)
            taken.add(name)
        display = parse_spec(spec).display
        items.append(BatchItem(spec, name, key, display, is_resumable(spec)))
    return items


def _unique(base: str, taken: set[str]) -> str:
    if base.endswith((STAGING_SUFFIX, PREVIOUS_SUFFIX)):  # would read as a staging folder
        base = base.replace(".", "_")
    name, n = base, 1
    while name in taken:
        n += 1
        name = f"{base}_{n}"
    return name


def fingerprint(settings: Mapping[str, Any]) -> str:
    """A hash of everything that decides a video's outputs (config, checkpoint, pacing)."""
    text = json.dumps(settings, sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()[:16]
