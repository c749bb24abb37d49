"""Batch inputs: files, folders, URIs, and source lists (one path or URI per line)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from laps.errors import ConfigError
from laps.video.config import VideoConfig
from laps.video.sources import expand_sources
from laps.video.spec import SpecKind, parse_spec


def read_source_list(path: Path) -> list[str]:
    """The sources listed in a text file: one path or URI per line.

    Blank lines and lines starting with ``#`` are skipped. A relative path is taken relative
    to the list's folder, so a list and its videos can move together.

    Raises:
        ConfigError: the list cannot be read, or holds no source.
    """
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as err:
        reason = getattr(err, "strerror", None) or type(err).__name__
        raise ConfigError(
            f"cannot read source list {path}: {reason}; pass a UTF-8 text file with one video "
            "path or URI per line"
        ) from err
    out = []
    for line in text.splitlines():
        entry = line.strip()
        if not entry or entry.startswith("#"):
            continue
        if parse_spec(entry).kind is SpecKind.FILE and not Path(entry).expanduser().is_absolute():
            entry = str(path.parent / entry)
        out.append(entry)
    if not out:
        raise ConfigError(
            f"source list {path} holds no source; expected one video path or URI per line"
        )
    return out


def batch_sources(
    sources: Sequence[str], source_lists: Sequence[Path], cfg: VideoConfig
) -> list[str]:
    """Every source of the command line and of the lists, folders expanded, duplicates dropped.

    Raises:
        ConfigError: no source at all, or an unreadable list.
        VideoOpenError: a path that does not exist, or a folder without videos.
    """
    listed = [s for path in source_lists for s in read_source_list(path)]
    if not sources and not listed:
        raise ConfigError("no sources: pass videos, folders or URIs, or --sources-from FILE")
    specs = expand_sources(sources, cfg) if sources else []
    for spec in listed:
        # a missing file among thousands listed fails alone (reported in the job summary)
        path = Path(spec).expanduser()
        is_folder = parse_spec(spec).kind is SpecKind.FILE and path.is_dir()
        specs.extend(expand_sources([spec], cfg) if is_folder else [spec])
    return list(dict.fromkeys(specs))
