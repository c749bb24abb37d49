"""The base of every stage config: frozen, strict about unknown keys."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict


class StageConfig(BaseModel):
    """A frozen pydantic model that rejects unknown keys.

    Every field carries a one-line description with its unit; that text is the documentation
    (``laps config show`` prints it).
    """

    model_config = ConfigDict(frozen=True, extra="forbid", validate_default=True)
