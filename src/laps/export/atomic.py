"""Atomic file writes: a temporary name in the same folder, then ``os.replace``."""

from __future__ import annotations

import errno
import json
import math
import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any, BinaryIO

from laps.errors import ExportError

STAGING_SUFFIX = ".partial"  # a run in progress, or one that died (see laps.export.layout)


def output_root(path: Path) -> Path:
    """The folder a user chose for ``path``: above a ``<name>.partial`` staging folder if any."""
    path = Path(path)
    for parent in path.parents:
        if parent.name.endswith(STAGING_SUFFIX):
            return parent.parent
    return path.parent


def io_error(action: str, path: Path, err: OSError) -> ExportError:
    """An :class:`ExportError` that says what failed, why in plain words, and how to fix it.

    Args:
        action: what was being done, e.g. ``"cannot write"``.
        path: the file or folder involved.
        err: the operating-system error.
    """
    folder = output_root(path)
    reason = err.strerror or str(err)
    if err.errno in (errno.ENOSPC, errno.EDQUOT):
        advice = (
            f"the disk is full ({reason}); free space on the disk that holds {folder} "
            "or pass an --out folder on another disk, then run again"
        )
    elif err.errno == errno.EROFS:
        advice = f"{folder} is on a read-only file system; pass a writable --out folder"
    elif err.errno in (errno.EACCES, errno.EPERM):
        advice = f"permission denied ({reason}); pass an --out folder you can write to"
    else:
        advice = f"{reason}; choose a writable --out folder with free space (now {folder})"
    return ExportError(f"{action} {path}: {advice}")


def write_atomic(path: Path, write: Callable[[BinaryIO], object]) -> None:
    """Call ``write(fh)`` on a temporary file beside ``path``, then rename it over ``path``.

    Readers see the old file or the new one, never half of it; on failure nothing is left.

    Raises:
        ExportError: when the folder is not writable or the disk is full.
    """
    path = Path(path)
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except OSError as err:
        raise io_error("cannot write", path, err) from err
    try:
        with os.fdopen(fd, "wb") as fh:
            write(fh)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except OSError as err:
        Path(tmp).unlink(missing_ok=True)
        raise io_error("cannot write", path, err) from err
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_text_atomic(path: Path, text: str) -> None:
    """Write UTF-8 ``text`` atomically (see :func:`write_atomic`)."""
    write_atomic(path, lambda fh: fh.write(text.encode("utf-8")))


def json_safe(value: Any) -> Any:
    """Replace non-finite floats by None (JSON has no NaN) and paths by strings."""
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, dict):
        return {str(k): json_safe(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [json_safe(v) for v in value]
    if isinstance(value, Path):
        return str(value)
    return value


def write_json_atomic(path: Path, data: Any) -> None:
    """Write JSON (indented, UTF-8) atomically; NaN becomes null."""
    text = json.dumps(json_safe(data), indent=2, ensure_ascii=False, allow_nan=False)
    write_text_atomic(path, text + "\n")
