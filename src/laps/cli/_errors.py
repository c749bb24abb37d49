"""Error rendering: one line per laps error, exit code 2, tracebacks only with --debug."""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable
from typing import TypeVar

import typer
from rich.logging import RichHandler

from laps.errors import LapsError

T = TypeVar("T")
EXIT_BAD_INPUT = 2

logger = logging.getLogger("laps")


def report(err: BaseException) -> None:
    """Write ``error: <message>`` to stderr."""
    typer.echo(f"error: {err}", err=True)


def guarded(fn: Callable[[], T], debug: bool) -> T:
    """Run ``fn``; map a :class:`LapsError` to one line and exit code 2."""
    try:
        return fn()
    except LapsError as err:
        if debug:
            raise
        report(err)
        raise typer.Exit(EXIT_BAD_INPUT) from None
    except KeyboardInterrupt:
        typer.echo("interrupted", err=True)
        raise typer.Exit(130) from None


def setup_logging(debug: bool, quiet: bool) -> None:
    """Log to stderr: rich on a terminal, plain lines elsewhere."""
    level = logging.DEBUG if debug else logging.WARNING if quiet else logging.INFO
    if sys.stderr.isatty():
        handler: logging.Handler = RichHandler(show_path=debug, rich_tracebacks=debug)
        fmt = "%(message)s"
    else:
        handler = logging.StreamHandler(sys.stderr)
        fmt = "%(levelname)s %(name)s: %(message)s"
    handler.setFormatter(logging.Formatter(fmt))
    root = logging.getLogger("laps")
    root.handlers[:] = [handler]
    root.setLevel(level)
    root.propagate = False
