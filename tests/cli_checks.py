"""Checks shared by the CLI tests (importable: tests/ is on sys.path via conftest.py)."""

from __future__ import annotations

from typing import Any


def assert_one_error_line(result: Any, fragment: str) -> None:
    """Exit code 2, exactly one ``error:`` line containing ``fragment``, no traceback."""
    assert result.exit_code == 2, result.output
    errors = [line for line in result.output.splitlines() if line.startswith("error:")]
    assert len(errors) == 1, result.output
    assert fragment in errors[0], errors[0]
    assert "Traceback" not in result.output
