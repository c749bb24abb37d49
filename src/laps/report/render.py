"""The HTML page: one jinja2 template, every value from data HTML-escaped."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any
from urllib.parse import quote

import jinja2

TEMPLATE = "report.html.j2"
_TEMPLATES = Path(__file__).parent / "templates"


def render_page(context: dict[str, Any]) -> str:
    """Render the report page (autoescape on; undefined names are errors)."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(_TEMPLATES),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
    )
    return env.get_template(TEMPLATE).render(**context)


def relative_url(target: Path, base: Path) -> str:
    """A relative, percent-encoded URL from the folder ``base`` to the file ``target``.

    Both are resolved first, so ``..`` and symlinked roots give a correct path; names with
    spaces, ``#``, ``%``, quotes or non-ASCII letters stay a single path.
    """
    rel = Path(os.path.relpath(target.resolve(), base.resolve()))
    return quote(rel.as_posix(), safe="/")
