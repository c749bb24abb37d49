"""The one exception hierarchy of laps.

Every message says what went wrong, the offending value, and how to fix it. The CLI maps
any :class:`LapsError` to a single ``error: ...`` line and exit code 2.
"""

from __future__ import annotations


class LapsError(Exception):
    """Base class of every error laps raises on purpose."""


class ConfigError(LapsError, ValueError):
    """A configuration key or value is wrong (unknown key, out of range, bad type)."""


class VideoOpenError(LapsError, OSError):
    """A source could not be opened: missing file, unknown camera, unreachable URL."""


class VideoDecodeError(LapsError):
    """A source opened but its frames could not be decoded (truncated, corrupt, empty)."""


class InputTooShortError(LapsError):
    """A source has fewer sampled frames than one window needs."""


class TrackerError(LapsError):
    """A point tracker failed or was used out of order."""


class ExportError(LapsError, OSError):
    """An output could not be written (unwritable folder, disk full)."""


class SchemaVersionError(LapsError):
    """A file on disk has a schema version this laps cannot read."""


class RunFolderError(LapsError, ValueError):
    """A run folder's file is missing or malformed.

    Attributes:
        missing: True when the file does not exist (readers that tolerate absent parts
            skip it silently; a malformed one gets a warning).
    """

    def __init__(self, message: str, *, missing: bool = False) -> None:
        super().__init__(message)
        self.missing = missing
