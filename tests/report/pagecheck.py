"""Python-side checks of a report page: what it references, parsed from the HTML."""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

_ATTRS = {"img": "src", "video": "src", "source": "src", "a": "href", "link": "href"}


class _Refs(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.refs: list[tuple[str, str]] = []
        self.scripts_with_src = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "script" and values.get("src"):
            self.scripts_with_src += 1
        key = _ATTRS.get(tag)
        if key and values.get(key) is not None:
            self.refs.append((tag, str(values[key])))


def page_refs(index: Path) -> list[tuple[str, str]]:
    """(tag, URL) of every image, video, link and anchor; fails on an external script."""
    parser = _Refs()
    parser.feed(index.read_text(encoding="utf-8"))
    parser.close()
    assert parser.scripts_with_src == 0, "the page loads an external script"
    return parser.refs


def local_file(index: Path, url: str) -> Path | None:
    """The file a relative URL points at; None for an in-page anchor. Fails on a remote URL."""
    parts = urlsplit(url)
    assert not parts.scheme and not parts.netloc, f"not a relative URL: {url!r}"
    assert not url.startswith("/"), f"absolute path: {url!r}"
    if not parts.path:
        return None
    return (index.parent / unquote(parts.path)).resolve()
