"""The generated benchmark suite as the accuracy benchmark reads it (``suite.json``).

Version 1 (``laps synth suite``) writes ``suite_version``; version 2 writes ``version`` at
the top. Both list videos with ``stem``, ``split``, ``video``, ``ground_truth`` and
``params`` (paths relative to the suite folder); ``preset``, ``view``, ``params`` and
``video_duration_sec`` are optional here, so a manifest that leaves them out still reads.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from laps.errors import ConfigError

_MAKE = "render it with `laps synth suite --out {dir}`"


@dataclass(frozen=True, slots=True)
class SuiteVideo:
    """One video of the suite with its ground truth.

    Attributes:
        preset: the generator preset ("" when the manifest has none: no per-preset table).
        params: the generator's ``<stem>.params.json`` (None when the manifest has none).
        duration_s: the video's duration, s (None when the manifest has none).
    """

    stem: str
    split: str
    preset: str
    view: str
    video: Path
    ground_truth: Path
    duration_s: float | None
    params: Path | None = None


@dataclass(frozen=True, slots=True)
class Suite:
    """A rendered suite: versions and videos."""

    root: Path
    suite_version: str
    generator_version: str
    overrides: dict[str, object]
    videos: tuple[SuiteVideo, ...]

    def split(self, name: str) -> list[SuiteVideo]:
        """The videos of one split (``train`` or ``test``), in manifest order."""
        return [v for v in self.videos if v.split == name]


def _file(root: Path, rel: object) -> Path:
    path = root / str(rel)
    if not path.is_file():
        raise ConfigError(
            f"suite {root}: expected {path} (listed in suite.json), got no such file; "
            + _MAKE.format(dir=root)
        )
    return path


def _video(root: Path, row: dict[str, Any]) -> SuiteVideo:
    duration = row.get("video_duration_sec")
    params = row.get("params")
    return SuiteVideo(
        stem=str(row["stem"]),
        split=str(row["split"]),
        preset=str(row.get("preset") or ""),
        view=str(row.get("view") or ""),
        video=_file(root, row["video"]),
        ground_truth=_file(root, row["ground_truth"]),
        duration_s=None if duration is None else float(duration),
        params=None if params is None else _file(root, params),
    )


def suite_version(doc: dict[str, Any]) -> str:
    """The manifest's version: ``version`` (suite v2 on), else ``suite_version`` (v1)."""
    version = doc.get("version", doc.get("suite_version"))
    if version is None:
        raise KeyError("version")
    return str(version)


def _parse(root: Path, doc: dict[str, Any]) -> Suite:
    return Suite(
        root,
        suite_version(doc),
        str(doc.get("generator_version", "unknown")),
        dict(doc.get("overrides") or {}),
        tuple(_video(root, r) for r in doc["videos"]),
    )


def read_suite(root: Path) -> Suite:
    """Read ``root/suite.json`` and check that every listed file exists.

    Raises:
        ConfigError: no manifest, an unreadable one, a missing video, or an empty split.
    """
    root = Path(root)
    manifest = root / "suite.json"
    if not manifest.is_file():
        raise ConfigError(
            f"suite: expected {manifest}, got no such file; " + _MAKE.format(dir=root)
        )
    try:
        suite = _parse(root, json.loads(manifest.read_text(encoding="utf-8")))
    except ConfigError:
        raise
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as err:
        raise ConfigError(
            f"suite: {manifest} is not a suite manifest (missing or bad {err}); "
            + _MAKE.format(dir=root)
        ) from err
    for split in ("train", "test"):
        if not suite.split(split):
            raise ConfigError(f"suite {root}: expected {split} videos, got none; re-render it")
    return suite
