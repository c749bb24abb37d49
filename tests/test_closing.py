"""``laps._closing.Closing``: one ``with`` protocol for sinks and frame sources."""

from __future__ import annotations

from pathlib import Path

import pytest

from laps._closing import Closing
from laps.export.jsonl import JsonlSink
from laps.video.base import FrameSource
from laps.video.reader import PyAVSource
from laps.video.reconnect import ReconnectingSource


class _Held(Closing):
    def __init__(self) -> None:
        self.closed = 0

    def close(self) -> None:
        self.closed += 1


def test_with_returns_the_object_and_closes_it_even_on_error() -> None:
    held = _Held()
    with held as same:
        assert same is held and not held.closed
    assert held.closed == 1
    with pytest.raises(RuntimeError), _Held() as other:
        raise RuntimeError("boom")
    assert other.closed == 1


def test_sinks_and_sources_share_it(tmp_path: Path) -> None:
    with JsonlSink(tmp_path / "x.jsonl") as sink:
        sink.write({"a": 1})
    assert sink._fh is None  # closed by __exit__
    for cls in (JsonlSink, PyAVSource, ReconnectingSource):
        assert Closing in cls.__mro__ and "__exit__" not in vars(cls)
    assert "__enter__" in dir(FrameSource) and "__enter__" not in vars(FrameSource)
