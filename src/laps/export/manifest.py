"""Writing the manifest: schema version, resolved config, source, threshold, versions.

Its record, :class:`~laps.export.run_folder.Manifest`, and the schema check on read live in
:mod:`laps.export.run_folder`.
"""

from __future__ import annotations

import platform
import sys
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import Any

from laps.export.atomic import write_json_atomic
from laps.export.run_folder import SCHEMA_VERSION, Manifest

__all__ = ["SCHEMA_VERSION", "now_iso", "package_versions", "write_manifest"]


def now_iso() -> str:
    """Current UTC time, ISO 8601."""
    return datetime.now(UTC).isoformat(timespec="seconds")


def package_versions() -> dict[str, str]:
    """Versions of laps and the libraries that shape its numbers."""
    out = {"python": sys.version.split()[0], "platform": platform.platform()}
    for dist in ("laps", "numpy", "av", "opencv-python-headless", "torch", "pydantic"):
        try:
            out[dist] = metadata.version(dist)
        except metadata.PackageNotFoundError:
            out[dist] = "not installed"
    return out


def write_manifest(path: Path, data: dict[str, Any]) -> None:
    """Write the manifest with the schema version and library versions added.

    Args:
        path: the manifest file (``RunPaths(folder).manifest``).
        data: every other :class:`~laps.export.run_folder.Manifest` field, by name.

    Raises:
        TypeError: ``data`` lacks a required field or has an unknown one.
        ExportError: the file cannot be written.
    """
    manifest = Manifest(schema_version=SCHEMA_VERSION, **data, versions=package_versions())
    write_json_atomic(path, manifest.to_dict())
