"""The generated benchmark suite as the accuracy benchmark reads it (``suite.json``)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from laps.errors import ConfigError

_MAKE = "render it with `laps synth suite --out {dir}`"


@dataclass(frozen=True, slots=True)
class SuiteVideo:
    """One video of the suite with its ground truth."""

    stem: str
    split: str
    preset: str
    view: str
    video: Path
    ground_truth: Path
    duration_s: float


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


def _video(root: Path, row: dict[str, object]) -> SuiteVideo:
    video = root / str(row["video"])
    truth = root / str(row["ground_truth"])
    for path in (video, truth):
        if not path.is_file():
            raise ConfigError(
                f"suite {root}: expected {path} (listed in suite.json), got no such file; "
                + _MAKE.format(dir=root)
            )
    return SuiteVideo(
        stem=str(row["stem"]),
        split=str(row["split"]),
        preset=str(row["preset"]),
        view=str(row["view"]),
        video=video,
        ground_truth=truth,
        duration_s=float(row["video_duration_sec"]),  # type: ignore[arg-type]
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
        doc = json.loads(manifest.read_text(encoding="utf-8"))
        rows = list(doc["videos"])
        suite = Suite(
            root,
            str(doc["suite_version"]),
            str(doc["generator_version"]),
            dict(doc.get("overrides") or {}),
            tuple(_video(root, r) for r in rows),
        )
    except (OSError, ValueError, KeyError, TypeError) as err:
        raise ConfigError(
            f"suite: {manifest} is not a suite manifest ({err}); " + _MAKE.format(dir=root)
        ) from err
    for split in ("train", "test"):
        if not suite.split(split):
            raise ConfigError(f"suite {root}: expected {split} videos, got none; re-render it")
    return suite
