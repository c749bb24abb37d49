"""Fixtures of the video tests."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from .media import write_video


@pytest.fixture
def make_video(tmp_path: Path) -> Callable[..., Path]:
    """``make_video(name, n, **kw)`` writes a test video into tmp_path (see media.write_video)."""

    def make(name: str = "v.mp4", n: int = 50, **kw: object) -> Path:
        return write_video(tmp_path / name, n, **kw)  # type: ignore[arg-type]

    return make
