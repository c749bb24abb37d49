"""A batch worker's codec thread limit reaches the decoder; a configured count wins."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from laps.video.config import VideoConfig
from laps.video.sources import open_source
from laps.video.threads import codec_threads, limit_codec_threads


@pytest.fixture(autouse=True)
def _reset() -> Iterator[None]:
    yield
    limit_codec_threads(0)


def test_limit_applies_unless_configured(make_video: Callable[..., Path]) -> None:
    video = make_video()
    assert codec_threads() == 0 and codec_threads(3) == 3
    limit_codec_threads(2)
    assert codec_threads() == 2 and codec_threads(5) == 5
    with open_source(str(video), VideoConfig()) as source:
        assert source._loop.stream.codec_context.thread_count == 2  # type: ignore[attr-defined]
    with open_source(str(video), VideoConfig(decode_threads=1)) as source:
        assert source._loop.stream.codec_context.thread_count == 1  # type: ignore[attr-defined]


def test_share_cores_gives_each_worker_its_share() -> None:
    import os

    from laps.video.threads import share_cores

    cpus = os.cpu_count() or 1
    share_cores(1)
    assert codec_threads() == cpus
    share_cores(cpus * 4)  # more workers than cores: still one thread each
    assert codec_threads() == 1
