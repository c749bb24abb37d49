"""ReconnectingSource: backoff, monotonic indices and times across reconnects, gaps, giving up."""

from __future__ import annotations

import logging
from collections.abc import Iterator

import numpy as np
import pytest

from laps.errors import VideoDecodeError, VideoOpenError
from laps.types import Frame, SourceInfo
from laps.video.config import VideoConfig
from laps.video.reconnect import Backoff, ReconnectingSource, open_live

INFO = SourceInfo("rtsp://***@cam.local/live", "stream", 8, 8, 30.0, None, None, "h264", True)
RAW = "rtsp://admin:hunter2@cam.local/live"


class ListSource:
    """An in-memory live connection: n frames at 10 fps (source index 3 k), then an end."""

    def __init__(self, n: int, arrival0: float = 0.0, fail: bool = False) -> None:
        self.info = INFO
        self.n, self.arrival0, self.fail = n, arrival0, fail
        self.decode_time_s, self.n_decoded, self.n_sampled = 0.0, 0, 0
        self.last_index, self.end_time_s = -1, None
        self.closed = False

    def frames(self) -> Iterator[Frame]:
        for k in range(self.n):
            if self.closed:
                return
            self.n_decoded, self.n_sampled, self.decode_time_s = 3 * k + 1, k + 1, 0.01 * k
            self.last_index, self.end_time_s = 3 * k, (3 * k + 1) / 30
            image = np.full((8, 8), k % 256, np.uint8)
            yield Frame(k, 3 * k, k / 10, image, self.arrival0 + k / 10)
        if self.fail:
            raise VideoDecodeError(f"stream {INFO.uri} broke after {self.n_decoded} frames")

    def close(self) -> None:
        self.closed = True

    def __enter__(self) -> ListSource:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _factory(plan: list[ListSource | None]):
    """reopen(): the next planned connection; None is a failed open."""

    def reopen() -> ListSource:
        item = plan.pop(0) if plan else None
        if item is None:
            raise VideoOpenError(f"cannot open stream {INFO.uri}: Connection refused")
        return item

    return reopen


@pytest.mark.timeout(10)
def test_stops_and_resumes_with_backoff(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO)
    waits: list[float] = []
    first = ListSource(5, fail=True)  # breaks after 5 frames, arrivals 0.0 .. 0.4
    third = ListSource(4, arrival0=3.4)  # the stream is back 3 s after the last frame
    src = ReconnectingSource(
        first, _factory([None, third]), Backoff(3, 0.5, 8.0), wait=waits.append
    )
    frames = list(src.frames())
    assert waits == [0.5, 1.0, 0.5, 1.0, 2.0]  # 2 tries to get back, then 3 that fail
    assert [f.sample for f in frames] == list(range(9))
    assert [f.index for f in frames] == [0, 3, 6, 9, 12, 13, 16, 19, 22]  # continues at 13
    times = [f.time_s for f in frames]
    assert times == sorted(times)
    assert times[5] == pytest.approx(0.4 + 3.0)  # the wall-clock gap shows in stream time
    (gap,) = src.gaps
    assert (gap.sample, gap.end_frame, gap.attempts) == (5, 13, 2)
    assert gap.start_s == pytest.approx(13 / 30) and gap.seconds == pytest.approx(3.4 - 13 / 30)
    assert src.reconnects == 1 and src.gave_up
    assert src.n_sampled == 9 and src.n_decoded == 13 + 10
    assert src.last_index == 13 + 9 and src.end_time_s == pytest.approx(3.4 + 10 / 30)
    assert "reconnect attempt 1 of 3 in 0.5 s" in caplog.text
    assert "gave up after 3 reconnect attempts" in caplog.text
    assert "hunter2" not in caplog.text and first.closed and third.closed


def test_backoff_doubles_up_to_the_cap() -> None:
    b = Backoff(6, 0.5, 3.0)
    assert [b.delay(k) for k in range(6)] == [0.5, 1.0, 2.0, 3.0, 3.0, 3.0]


@pytest.mark.timeout(10)
def test_every_outage_gets_its_own_gap_and_fresh_attempts() -> None:
    waits: list[float] = []
    plan: list[ListSource | None] = [ListSource(3, arrival0=10.0), None, ListSource(2, 20.0)]
    src = ReconnectingSource(ListSource(2), _factory(plan), Backoff(2, 1.0, 8.0), wait=waits.append)
    frames = list(src.frames())
    assert waits == [1.0, 1.0, 2.0, 1.0, 2.0]  # the count restarts once frames flow again
    assert [g.sample for g in src.gaps] == [2, 5]
    assert [f.index for f in frames] == [0, 3, 4, 7, 10, 11, 14]
    assert all(b.time_s > a.time_s for a, b in zip(frames, frames[1:], strict=False))


@pytest.mark.timeout(10)
def test_close_stops_reconnecting() -> None:
    src = ReconnectingSource(ListSource(50), _factory([]), Backoff(5, 0.5, 8.0), wait=waits_fail)
    out = []
    for frame in src.frames():
        out.append(frame)
        if len(out) == 3:
            src.close()  # a user's close: the end that follows is not an outage
    assert len(out) <= 4 and src.reconnects == 0 and not src.gave_up and not src.gaps


def waits_fail(seconds: float) -> None:
    raise AssertionError(f"no wait expected, got {seconds}")


@pytest.mark.timeout(10)
def test_empty_connection_is_a_failed_try_and_first_frames_make_no_gap() -> None:
    waits: list[float] = []
    plan: list[ListSource | None] = [ListSource(0), ListSource(2, arrival0=5.0)]
    src = ReconnectingSource(ListSource(0), _factory(plan), Backoff(2, 1.0, 8.0), wait=waits.append)
    frames = list(src.frames())
    assert [f.index for f in frames] == [0, 3] and not src.gaps  # nothing came before
    assert waits == [1.0, 2.0, 1.0, 2.0]


def test_files_offline_and_disabled_are_not_wrapped(make_video) -> None:
    path = str(make_video("v.mp4", 5))
    with open_live(path, VideoConfig(resize_shorter=32), live=True) as src:
        assert not isinstance(src, ReconnectingSource)  # a file's end is its end
