from __future__ import annotations

import logging
import math
import socket
import threading
import time
from collections.abc import Callable
from pathlib import Path

import av
import numpy as np
import pytest

from laps.errors import VideoDecodeError
from laps.types import Frame
from laps.video.base import FrameSource
from laps.video.config import VideoConfig
from laps.video.sources import open_source

from .media import index_of, truncate_half, write_garbage_copy

SMALL = VideoConfig(resize_shorter=60)


def _read(
    path: Path | str, cfg: VideoConfig = SMALL, **kw: bool
) -> tuple[list[Frame], FrameSource]:
    with open_source(str(path), cfg, **kw) as src:
        frames = list(src.frames())
    return frames, src


def _decoder_threads() -> list[threading.Thread]:
    return [t for t in threading.enumerate() if t.name == "laps-decode" and t.is_alive()]


def test_25fps_to_10fps_indices_times_content(make_video: Callable[..., Path]) -> None:
    frames, src = _read(make_video("v.mp4", 50))
    want = [0, 3, 5, 8, 10, 13, 15, 18, 20, 23, 25, 28, 30, 33, 35, 38, 40, 43, 45, 48]
    assert [f.index for f in frames] == want
    assert [f.sample for f in frames] == list(range(len(want)))
    assert [f.time_s for f in frames] == pytest.approx([i / 25 for i in want], abs=1e-9)
    assert [index_of(f.image) for f in frames] == want  # the pixels are those of that frame
    assert all(f.color is None for f in frames)
    assert (src.n_decoded, src.n_sampled, src.last_index) == (50, 20, 49)
    assert src.end_time_s == pytest.approx(2.0)
    assert src.decode_time_s > 0


def test_vfr_times_are_exact(make_video: Callable[..., Path]) -> None:
    rng = np.random.default_rng(3)
    times_ms = np.cumsum(np.r_[0, rng.integers(20, 61, 39)]).tolist()
    path = make_video("vfr.mp4", 40, times_ms=times_ms)
    frames, _ = _read(path, VideoConfig(resize_shorter=60, target_fps=100.0))
    assert [f.index for f in frames] == list(range(40))  # every frame is slower than 100 fps
    assert [f.time_s for f in frames] == [t / 1000 for t in times_ms]
    assert [index_of(f.image) for f in frames] == list(range(40))


def test_resize_keeps_aspect(make_video: Callable[..., Path]) -> None:
    landscape, _ = _read(make_video("l.mp4", 3, size=(160, 120)), VideoConfig(resize_shorter=60))
    portrait, _ = _read(make_video("p.mp4", 3, size=(120, 160)), VideoConfig(resize_shorter=90))
    assert landscape[0].image.shape == (60, 80)
    assert portrait[0].image.shape == (120, 90)
    assert landscape[0].image.dtype == np.uint8 and landscape[0].image.flags.c_contiguous


def test_upscale_resizes_and_warns(
    make_video: Callable[..., Path], caplog: pytest.LogCaptureFixture
) -> None:
    frames, _ = _read(make_video("v.mp4", 3), VideoConfig(resize_shorter=240))
    assert frames[0].image.shape == (240, 320)
    assert "upscaling" in caplog.text


def test_keep_color_gives_rgb_at_source_size(make_video: Callable[..., Path]) -> None:
    frames, _ = _read(make_video("v.mp4", 6), keep_color=True)
    color = frames[1].color
    assert color is not None and color.shape == (120, 160, 3) and color.dtype == np.uint8
    assert abs(int(color.mean()) - (8 + 4 * frames[1].index)) <= 2


def test_truncated_file_yields_decodable_frames_and_warns(
    make_video: Callable[..., Path], tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    full = make_video("full.mp4", 60, faststart=True, noise=True)
    cut = truncate_half(full, tmp_path / "cut.mp4")
    frames, src = _read(cut, VideoConfig(resize_shorter=60, target_fps=100.0))
    assert 10 < len(frames) < 60
    assert [f.index for f in frames] == list(range(len(frames)))
    assert "truncated or corrupt" in caplog.text and f"decoded {src.n_decoded} of 60" in caplog.text


def test_truncated_mkv_warns(
    make_video: Callable[..., Path], tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    cut = truncate_half(make_video("full.mkv", 60, noise=True), tmp_path / "cut.mkv")
    frames, _ = _read(cut)
    assert 0 < len(frames) < 24
    assert "truncated or corrupt" in caplog.text


def test_complete_file_does_not_warn(
    make_video: Callable[..., Path], caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING)
    _read(make_video("v.mkv", 30))
    _read(make_video("v.mp4", 30))
    assert caplog.text == ""


def test_no_decodable_frames_raises_from_iterator(
    make_video: Callable[..., Path], tmp_path: Path
) -> None:
    bad = write_garbage_copy(make_video("ok.mkv", 20), tmp_path / "bad.mkv")
    with open_source(str(bad), SMALL) as src:
        it = src.frames()
        with pytest.raises(VideoDecodeError, match="no decodable video frames in .*bad.mkv"):
            next(it)
    assert not _decoder_threads()


def test_live_replay_paces_to_presentation_time(make_video: Callable[..., Path]) -> None:
    path = make_video("v.mp4", 25)  # 1 s at 25 fps
    t0 = time.monotonic()
    frames, _ = _read(path, VideoConfig(resize_shorter=60, target_fps=10.0), live=True)
    wall = time.monotonic() - t0
    assert 0.85 <= wall < 3.0
    lag = [(f.arrival_s - frames[0].arrival_s) - f.time_s for f in frames]
    assert min(lag) >= -1e-3  # never handed over before its time
    assert max(lag) < 0.25


def test_offline_is_not_paced(make_video: Callable[..., Path]) -> None:
    frames, _ = _read(make_video("v.mp4", 50))
    assert frames[-1].arrival_s - frames[0].arrival_s < 1.0  # the video lasts 2 s


def test_early_close_stops_thread(make_video: Callable[..., Path]) -> None:
    path = make_video("v.mp4", 60, noise=True)
    src = open_source(str(path), VideoConfig(resize_shorter=60, target_fps=30, queue_frames=2))
    it = src.frames()
    first = next(it)
    assert first.index == 0
    t0 = time.monotonic()
    src.close()
    assert time.monotonic() - t0 < 2.0
    assert not _decoder_threads()
    src.close()  # idempotent


def test_abandoned_iterator_stops_thread(make_video: Callable[..., Path]) -> None:
    path = make_video("v.mp4", 60, noise=True)
    src = open_source(str(path), VideoConfig(resize_shorter=60, target_fps=30, queue_frames=1))
    for frame in src.frames():
        if frame.sample == 2:
            break
    deadline = time.monotonic() + 2.0
    while _decoder_threads() and time.monotonic() < deadline:
        time.sleep(0.01)
    assert not _decoder_threads()
    assert src.n_decoded < 60  # bounded decode-ahead: it did not run to the end


def test_frames_twice_raises(make_video: Callable[..., Path]) -> None:
    with open_source(str(make_video("v.mp4", 5)), SMALL) as src:
        list(src.frames())
        with pytest.raises(VideoDecodeError, match="already called"):
            src.frames()


def test_close_without_reading(make_video: Callable[..., Path]) -> None:
    src = open_source(str(make_video("v.mp4", 5)), SMALL)
    src.close()
    with pytest.raises(VideoDecodeError, match="closed"):
        src.frames()


@pytest.mark.network
def test_http_stream_loopback(http_root: tuple[Path, str], make_video: Callable[..., Path]) -> None:
    root, base = http_root
    make_video("served.mkv", 30)
    assert (root / "served.mkv").exists()
    cfg = VideoConfig(resize_shorter=60, open_timeout_s=5, read_timeout_s=5)
    frames, src = _read(f"{base}/served.mkv", cfg)
    assert src.info.kind == "stream" and src.info.live and src.info.duration_s is None
    assert [f.index for f in frames] == [0, 3, 5, 8, 10, 13, 15, 18, 20, 23, 25, 28]
    assert [index_of(f.image) for f in frames] == [f.index for f in frames]
    assert all(f.arrival_s <= time.monotonic() for f in frames)


def _free_udp_port() -> int:
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sock.bind(("127.0.0.1", 0))
    port = int(sock.getsockname()[1])
    sock.close()
    return port


def _publish_mpegts(url: str, n: int, fps: int) -> None:
    """Send n frames as MPEG-TS over UDP at their real rate (frame i has grey level 8 + 4 i)."""
    time.sleep(0.3)  # let the reader bind first
    with av.open(url, "w", format="mpegts") as out:
        stream = out.add_stream("libx264", rate=fps)
        stream.width, stream.height, stream.pix_fmt = 160, 120, "yuv420p"
        stream.options = {"preset": "ultrafast", "tune": "zerolatency", "g": "10"}
        t0 = time.monotonic()
        for i in range(n):
            frame = av.VideoFrame.from_ndarray(np.full((120, 160, 3), 8 + 4 * i, np.uint8))
            frame.pts = i
            for packet in stream.encode(frame):
                out.mux(packet)
            time.sleep(max(0.0, t0 + (i + 1) / fps - time.monotonic()))
        for packet in stream.encode(None):
            out.mux(packet)


@pytest.mark.network
def test_live_udp_stream_real_times_and_end_on_timeout(caplog: pytest.LogCaptureFixture) -> None:
    port = _free_udp_port()
    sender = threading.Thread(
        target=_publish_mpegts, args=(f"udp://127.0.0.1:{port}?pkt_size=1316", 50, 25)
    )
    sender.start()
    cfg = VideoConfig(resize_shorter=60, open_timeout_s=5, read_timeout_s=0.5)
    try:
        frames, src = _read(f"udp://127.0.0.1:{port}", cfg)
    finally:
        sender.join()
    assert src.info.kind == "stream" and src.info.live
    assert [f.index for f in frames] == [math.ceil(k * 2.5) for k in range(20)]  # 25 -> 10 fps
    for f in frames:
        assert index_of(f.image) == f.index
        assert f.time_s == pytest.approx(f.index / 25, abs=1e-6)
    arrivals = [f.arrival_s for f in frames]
    assert arrivals == sorted(arrivals)
    assert arrivals[-1] - arrivals[0] > 0.5  # frames arrive live, not all at once
    assert "treating the stream as ended" in caplog.text


def test_close_from_another_thread_ends_iteration(make_video: Callable[..., Path]) -> None:
    path = make_video("v.mp4", 25)
    src = open_source(str(path), VideoConfig(resize_shorter=60), live=True)  # paced: 1 s
    timer = threading.Timer(0.3, src.close)
    timer.start()
    t0 = time.monotonic()
    frames = list(src.frames())
    timer.join()
    assert time.monotonic() - t0 < 0.9
    assert 0 < len(frames) < 10
    assert not _decoder_threads()


def test_avi_with_b_frames_gets_exact_times(
    make_video: Callable[..., Path], caplog: pytest.LogCaptureFixture
) -> None:
    # AVI has no pts; the demuxer's guesses come out scrambled by B-frame reordering
    caplog.set_level(logging.WARNING)
    frames, src = _read(make_video("v.avi", 30), VideoConfig(resize_shorter=60, target_fps=100))
    assert [f.index for f in frames] == list(range(30))
    assert [index_of(f.image) for f in frames] == list(range(30))
    assert [f.time_s for f in frames] == pytest.approx([i / 25 for i in range(30)], abs=1e-9)
    assert src.end_time_s == pytest.approx(30 / 25)
    assert caplog.text == ""
