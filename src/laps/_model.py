"""The base of every stage config: frozen, strict about unknown keys."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, ValidationError


class StageConfig(BaseModel):
    """A frozen pydantic model that rejects unknown keys.

    Every field carries a one-line description with its unit; that text is the documentation
    (``laps config show`` prints it).
    """

    model_config = ConfigDict(frozen=True, extra="forbid", validate_default=True)


def describe_errors(err: ValidationError) -> str:
    """One line naming every wrong key or value: ``'key': problem (got value)``."""
    parts = []
    for e in err.errors():
        loc = ".".join(str(p) for p in e["loc"]) or "<root>"
        if e["type"] == "extra_forbidden":
            parts.append(f"unknown key '{loc}'")
        else:
            parts.append(f"'{loc}': {e['msg']} (got {e.get('input')!r})")
    return "; ".join(parts)
