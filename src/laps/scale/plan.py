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

from laps.export.layout import assign_names
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

    New sources get :func:`laps.export.layout.output_name`, made unique against every known
    name and every name of this batch (``_2``, ``_3``, ...).
    """
    return [
        BatchItem(spec, name, key, parse_spec(spec).display, is_resumable(spec))
        for spec, name, key in assign_names(specs, known, source_key)
    ]


def fingerprint(settings: Mapping[str, Any]) -> str:
    """A hash of everything that decides a video's outputs (config, checkpoint, pacing)."""
    text = json.dumps(settings, sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()[:16]
