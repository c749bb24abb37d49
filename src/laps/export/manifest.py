"""``manifest.json``: schema version, resolved config, source, threshold, versions."""

from __future__ import annotations

import platform
import sys
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import Any

from laps.errors import SchemaVersionError
from laps.export.atomic import write_json_atomic

SCHEMA_VERSION = 1


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
    """Write the manifest with the schema version and library versions added."""
    write_json_atomic(
        path, {"schema_version": SCHEMA_VERSION, **data, "versions": package_versions()}
    )


def check_schema(data: dict[str, Any], path: Path) -> None:
    """Raise :class:`SchemaVersionError` when a manifest is from another schema."""
    found = data.get("schema_version")
    if found != SCHEMA_VERSION:
        raise SchemaVersionError(
            f"{path}: schema_version {found!r}, this laps reads {SCHEMA_VERSION}; "
            "re-run `laps segment` with this version to regenerate it"
        )
