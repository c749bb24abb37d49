"""Append-only JSON-lines sink, flushed per line so a crash loses at most one line."""

from __future__ import annotations

import json
from pathlib import Path
from typing import IO, Any

from laps._closing import Closing
from laps.errors import ExportError
from laps.export.atomic import io_error, json_safe


class JsonlSink(Closing):
    """Write one JSON object per line to ``path``."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        try:
            self._fh: IO[str] | None = self.path.open("w", encoding="utf-8")
        except OSError as err:
            raise io_error("cannot create", self.path, err) from err
        self.n_lines = 0

    def write(self, record: dict[str, Any]) -> None:
        """Append one record and flush it."""
        if self._fh is None:
            raise ExportError(f"{self.path} is already closed")
        try:
            self._fh.write(json.dumps(json_safe(record), allow_nan=False) + "\n")
            self._fh.flush()
        except OSError as err:
            raise io_error("cannot append to", self.path, err) from err
        self.n_lines += 1

    def close(self) -> None:
        """Close the file (idempotent); a failed final flush raises :class:`ExportError`."""
        fh, self._fh = self._fh, None
        if fh is not None:
            try:
                fh.close()
            except OSError as err:
                raise io_error("cannot append to", self.path, err) from err
