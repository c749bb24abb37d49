"""The job ledger under ``OUT/.laps-job/``: output names, completion records, one batch lock.

A video's completion is a file ``done/<name>.json`` written atomically (temporary name, then
rename) by the process that ran it, right after its output folder was swapped in. A rerun
skips a video only when its record matches (same source, same settings) and its folder holds
a complete manifest; anything else is redone whole.
"""

from __future__ import annotations

import fcntl
import json
import logging
import shutil
from pathlib import Path
from typing import Any

from laps.errors import ConfigError, ExportError
from laps.export.atomic import write_json_atomic
from laps.export.layout import PREVIOUS_SUFFIX, STAGING_SUFFIX
from laps.export.run_folder import SEGMENTS, is_complete
from laps.scale.plan import BatchItem, file_stamp

logger = logging.getLogger(__name__)

LEDGER_DIR = ".laps-job"


class Ledger:
    """Completion records and names of the batches run into one output folder."""

    def __init__(self, out: Path) -> None:
        self.out = out
        self.root = out / LEDGER_DIR
        self.done_dir = self.root / "done"
        self._lock_fh: Any = None

    def open(self) -> None:
        """Create the ledger and take the batch lock (one batch per output folder at a time).

        Raises:
            ExportError: the output folder cannot be created.
            ConfigError: another batch is writing into the same output folder.
        """
        try:
            self.done_dir.mkdir(parents=True, exist_ok=True)
            self._lock_fh = (self.root / "lock").open("a")
        except OSError as err:
            raise ExportError(
                f"cannot create {self.root}: {err.strerror}; choose a writable --out folder"
            ) from err
        try:
            fcntl.flock(self._lock_fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            self._lock_fh.close()
            raise ConfigError(
                f"another laps batch is writing into {self.out}; wait for it to finish or "
                "choose another --out folder"
            ) from None

    def close(self) -> None:
        """Release the batch lock."""
        if self._lock_fh is not None:
            self._lock_fh.close()  # closing the file releases the lock
            self._lock_fh = None

    def known_names(self) -> dict[str, str]:
        """Source key -> output name of every video ever planned into this folder."""
        path = self.root / "names.json"
        if not path.is_file():
            return {}
        try:
            names = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as err:
            raise ConfigError(
                f"{path} is damaged ({err}); delete it (output names are then assigned anew)"
            ) from err
        return {str(k): str(v) for k, v in names.items()}

    def save_names(self, items: list[BatchItem]) -> None:
        """Remember the names of this batch's videos for later runs."""
        names = self.known_names() | {item.key: item.name for item in items}
        write_json_atomic(self.root / "names.json", names)

    def record(self, item: BatchItem, settings: str, result: dict[str, Any]) -> None:
        """Record ``item`` as finished (atomically; called right after its folder is in)."""
        doc = {"name": item.name, "key": item.key, "source": item.display, "settings": settings}
        write_json_atomic(self.done_dir / f"{item.name}.json", doc | result)

    def finished(self, item: BatchItem, settings: str) -> dict[str, Any] | None:
        """The record of a finished run of ``item`` with these settings, if it still holds."""
        path = self.done_dir / f"{item.name}.json"
        if not item.resumable or not path.is_file():
            return None
        try:
            doc = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            logger.warning("%s: completion record damaged; redoing it", item.display)
            return None
        if doc.get("key") != item.key or doc.get("settings") != settings:
            logger.info("%s: settings changed since it was done; redoing it", item.display)
            return None
        if doc.get("stamp") != file_stamp(item.spec):
            logger.info("%s: the file changed since it was done; redoing it", item.display)
            return None
        if not _complete(self.out / item.name):
            logger.warning("%s: output folder missing or incomplete; redoing it", item.display)
            return None
        return dict(doc)

    def forget(self, item: BatchItem) -> None:
        """Drop a record before its video is redone (a crash must not leave it claiming done)."""
        (self.done_dir / f"{item.name}.json").unlink(missing_ok=True)

    def clean_leftovers(self, items: list[BatchItem]) -> None:
        """Remove what killed runs left: staging folders and temporary files."""
        for item in items:
            for suffix in (STAGING_SUFFIX, PREVIOUS_SUFFIX):
                leftover = self.out / f"{item.name}{suffix}"
                if leftover.is_dir():
                    logger.info("removing %s left by an interrupted run", leftover.name)
                    shutil.rmtree(leftover, ignore_errors=True)
        for folder in (self.out, self.root, self.done_dir):
            for tmp in folder.glob(".*.tmp"):
                tmp.unlink(missing_ok=True)


def _complete(folder: Path) -> bool:
    return is_complete(folder, SEGMENTS)
