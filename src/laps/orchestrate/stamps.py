"""Stage stamps: ``<stage>/.done.json`` holds a hash of what the stage was made from.

A stage whose stamp matches the hash of its current inputs (video list with sizes and
mtimes, the settings it uses, the stamps of the stages it reads) is up to date and skipped.
"""

from __future__ import annotations

import hashlib
import json
import time
from pathlib import Path
from typing import Any

from laps.export.atomic import json_safe, write_json_atomic

STAMP_NAME = ".done.json"


def file_fingerprint(path: Path) -> dict[str, Any]:
    """What identifies a file's version cheaply: its path, size and mtime."""
    st = path.stat()
    return {"path": str(path.resolve()), "size": st.st_size, "mtime_ns": st.st_mtime_ns}


def inputs_hash(inputs: dict[str, Any]) -> str:
    """A stable sha256 of a JSON-ready description of a stage's inputs."""
    text = json.dumps(json_safe(inputs), sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()


def stamp_path(stage_dir: Path) -> Path:
    """The stamp file of a stage folder."""
    return stage_dir / STAMP_NAME


def read_stamp(stage_dir: Path) -> dict[str, Any] | None:
    """The stage's stamp, or None when missing or unreadable (then the stage reruns)."""
    try:
        doc = json.loads(stamp_path(stage_dir).read_text())
    except (OSError, ValueError):
        return None
    return doc if isinstance(doc, dict) and isinstance(doc.get("hash"), str) else None


def is_current(stage_dir: Path, digest: str) -> bool:
    """True when the stage folder holds a stamp with this inputs hash."""
    stamp = read_stamp(stage_dir)
    return stamp is not None and stamp["hash"] == digest


def write_stamp(
    stage_dir: Path, digest: str, seconds: float, result: dict[str, Any] | None = None
) -> None:
    """Mark the stage done (atomically, last thing the stage does)."""
    doc = {
        "hash": digest,
        "seconds": round(seconds, 3),
        "finished": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "result": result or {},
    }
    write_json_atomic(stamp_path(stage_dir), doc)
