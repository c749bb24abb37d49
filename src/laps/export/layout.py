"""Where a source's outputs go, and the staging that keeps earlier outputs intact.

A run writes into ``OUT/<name>.partial/`` and, only when it finishes, swaps that folder in
for ``OUT/<name>/``. A run that fails leaves an earlier ``OUT/<name>/`` untouched.
"""

from __future__ import annotations

import logging
import re
import shutil
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from urllib.parse import urlsplit

from laps.export.atomic import STAGING_SUFFIX, io_error

logger = logging.getLogger(__name__)

_UNSAFE = re.compile(r"[^\w.-]+")  # unicode letters are kept


def output_name(spec: str) -> str:
    """A safe folder name for a source: file stem, ``camera_N``, or host + path of a URL.

    The result never contains a path separator, never starts with a dot or a dash and is
    never empty, so it cannot point outside the output folder or read as a command option.
    """
    if spec.startswith("camera:"):
        raw = "camera_" + spec.split(":", 1)[1]
    elif "://" in spec:
        parts = urlsplit(spec)
        raw = f"{parts.hostname or 'stream'}_{Path(parts.path).stem}".rstrip("_")
    else:
        raw = Path(spec).stem
    name = _UNSAFE.sub("_", raw).lstrip("._-").rstrip("._") or "source"  # "-x": not an option
    return name[:120]


def unique_names(specs: list[str]) -> list[str]:
    """Output names for several sources; duplicates get ``_2``, ``_3``, ..."""
    seen: dict[str, int] = {}
    names = []
    for spec in specs:
        base = output_name(spec)
        seen[base] = seen.get(base, 0) + 1
        names.append(base if seen[base] == 1 else f"{base}_{seen[base]}")
    return names


PREVIOUS_SUFFIX = ".old"  # an earlier run being replaced


def assign_names(
    specs: Iterable[str], known: Mapping[str, str], key: Callable[[str], str]
) -> list[tuple[str, str, str]]:
    """``(spec, name, key)`` per distinct source (by ``key``), in input order.

    A source whose key is in ``known`` (key -> name) keeps its name, so adding sources to a
    batch or dataset never renames earlier ones; a new source gets :func:`output_name`, made
    unique against every known name and every name given here (``_2``, ``_3``, ...).
    """
    taken = set(known.values())
    out: list[tuple[str, str, str]] = []
    seen: set[str] = set()
    for spec in specs:
        k = key(spec)
        if k in seen:
            continue
        seen.add(k)
        name = known.get(k)
        if name is None:
            name = _unique(output_name(spec), taken)
            taken.add(name)
        out.append((spec, name, k))
    return out


def _unique(base: str, taken: set[str]) -> str:
    if base.endswith((STAGING_SUFFIX, PREVIOUS_SUFFIX)):  # would read as a staging folder
        base = base.replace(".", "_")
    name, n = base, 1
    while name in taken:
        n += 1
        name = f"{base}_{n}"
    return name


def is_staging(path: Path) -> bool:
    """A folder that is not a finished run: staging, a replaced run, or hidden."""
    return path.name.startswith(".") or path.name.endswith((STAGING_SUFFIX, PREVIOUS_SUFFIX))


def run_folders(path: Path, required: tuple[str, ...]) -> list[Path]:
    """``path`` if it holds every ``required`` file, else its child folders that do.

    Staging and replaced runs (``.partial``, ``.old``) are never returned: a run that died
    leaves its staging folder behind, and readers must not take it for a run.
    """

    def holds(p: Path) -> bool:
        return p.is_dir() and all((p / f).is_file() for f in required)

    if holds(path) and not is_staging(path):
        return [path]
    if not path.is_dir():
        return []
    return [p for p in sorted(path.iterdir()) if not is_staging(p) and holds(p)]


def stage_dir(out_root: Path, name: str) -> Path:
    """Create a fresh staging folder ``OUT/<name>.partial``."""
    staging = out_root / f"{name}{STAGING_SUFFIX}"
    try:
        out_root.mkdir(parents=True, exist_ok=True)
        if staging.exists():
            shutil.rmtree(staging)
        staging.mkdir()
    except OSError as err:
        raise io_error("cannot create output folder", staging, err) from err
    return staging


def commit_dir(staging: Path, final: Path) -> None:
    """Swap a finished staging folder in for ``final`` (the old one is removed after)."""
    old = final.with_name(final.name + PREVIOUS_SUFFIX)
    try:
        if old.exists():
            shutil.rmtree(old)
        if final.exists():
            final.rename(old)
        staging.rename(final)
    except OSError as err:
        raise io_error(f"cannot move {staging} to", final, err) from err
    if old.exists():
        shutil.rmtree(old, ignore_errors=True)


def discard_dir(staging: Path) -> None:
    """Remove a staging folder after a failed run (a warning names it if it cannot be)."""
    if not staging.exists():
        return
    try:
        shutil.rmtree(staging)
    except OSError as err:
        logger.warning("could not remove %s (%s); delete it by hand", staging, err.strerror)
