"""An ``.npz`` archive written one array at a time (flat memory for long streams).

``numpy.load`` reads it like any ``np.savez`` file: each member is ``<name>.npy``.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

import numpy as np
from numpy.typing import NDArray

from laps.errors import ExportError
from laps.export.atomic import io_error


class NpzAppender:
    """Append named arrays to an npz file."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self.names: list[str] = []

    def add(self, name: str, array: NDArray[np.generic]) -> None:
        """Write one array as member ``<name>.npy``."""
        if name in self.names:
            raise ExportError(f"{self.path}: array {name!r} written twice")
        try:
            with (
                zipfile.ZipFile(self.path, "a", compression=zipfile.ZIP_STORED) as zf,
                zf.open(f"{name}.npy", "w", force_zip64=True) as fh,
            ):
                np.lib.format.write_array(fh, np.asarray(array), allow_pickle=False)
        except OSError as err:
            raise io_error("cannot write", self.path, err) from err
        self.names.append(name)
