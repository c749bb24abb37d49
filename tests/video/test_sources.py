from __future__ import annotations

import logging
import socket
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from laps.errors import VideoOpenError
from laps.video.config import Pacing, VideoConfig
from laps.video.sources import expand_sources, open_source

from .media import truncate_half, write_audio_only

CFG = VideoConfig()


def _touch(path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"x")
    return path


# ---------------------------------------------------------------- expand_sources


def test_folder_expansion_is_recursive_filtered_sorted(tmp_path: Path) -> None:
    for rel in [
        "b.mp4",
        "a.MOV",
        "notes.txt",
        "sub/c.mkv",
        "sub/deeper/d.webm",
        ".hidden.mp4",
        ".cache/e.mp4",
        "sub/z.MP4",
    ]:
        _touch(tmp_path / rel)
    got = expand_sources([str(tmp_path)], CFG)
    rel = [str(Path(p).relative_to(tmp_path)) for p in got]
    assert rel == ["a.MOV", "b.mp4", "sub/c.mkv", "sub/deeper/d.webm", "sub/z.MP4"]


def test_folder_expansion_not_recursive(tmp_path: Path) -> None:
    _touch(tmp_path / "a.mp4")
    _touch(tmp_path / "sub" / "b.mp4")
    cfg = VideoConfig(recursive=False)
    assert expand_sources([str(tmp_path)], cfg) == [str(tmp_path / "a.mp4")]


def test_extension_filter_from_config(tmp_path: Path) -> None:
    _touch(tmp_path / "a.mp4")
    _touch(tmp_path / "b.TS")
    cfg = VideoConfig(extensions=("ts",))
    assert expand_sources([str(tmp_path)], cfg) == [str(tmp_path / "b.TS")]


def test_empty_folder_names_folder_and_extensions(tmp_path: Path) -> None:
    _touch(tmp_path / "readme.txt")
    with pytest.raises(VideoOpenError) as info:
        expand_sources([str(tmp_path)], CFG)
    msg = str(info.value)
    assert str(tmp_path) in msg and ".mp4" in msg and ".mkv" in msg


def test_missing_path(tmp_path: Path) -> None:
    with pytest.raises(VideoOpenError, match="not found.*check the path"):
        expand_sources([str(tmp_path / "nope.mp4")], CFG)


def test_files_cameras_urls_pass_through_in_order_without_duplicates(tmp_path: Path) -> None:
    f = _touch(tmp_path / "x.avi")
    specs = ["camera:0", str(f), "rtsp://u:p@h/x", str(f), "/dev/video9"]
    assert expand_sources(specs, CFG) == ["camera:0", str(f), "rtsp://u:p@h/x", "/dev/video9"]


# ---------------------------------------------------------------- open_source errors


def test_open_missing_file(tmp_path: Path) -> None:
    with pytest.raises(VideoOpenError, match="not found.*check the path"):
        open_source(str(tmp_path / "missing.mp4"), CFG)


def test_open_zero_byte_file(tmp_path: Path) -> None:
    (tmp_path / "empty.mp4").write_bytes(b"")
    with pytest.raises(VideoOpenError, match="empty \\(0 bytes\\)"):
        open_source(str(tmp_path / "empty.mp4"), CFG)


def test_open_text_file(tmp_path: Path) -> None:
    path = tmp_path / "notes.mp4"
    path.write_text("not a video\n" * 50)
    with pytest.raises(VideoOpenError, match="cannot read .*notes.mp4 as a video"):
        open_source(str(path), CFG)


def test_open_file_without_video_stream(tmp_path: Path) -> None:
    path = write_audio_only(tmp_path / "sound.m4a")
    with pytest.raises(VideoOpenError, match="no video stream \\(streams: audio\\)"):
        open_source(str(path), CFG)


def test_open_folder_as_file(tmp_path: Path) -> None:
    with pytest.raises(VideoOpenError, match="is a folder"):
        open_source(str(tmp_path), CFG)


def test_truncated_mp4_without_index(make_video: Callable[..., Path], tmp_path: Path) -> None:
    # moov at the end (the default): cutting the file in half loses the index
    cut = truncate_half(make_video("full.mp4", 50, noise=True), tmp_path / "cut.mp4")
    with pytest.raises(VideoOpenError, match="moov atom.*re-export"):
        open_source(str(cut), CFG)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="v4l2 device paths")
def test_camera_not_found() -> None:
    with pytest.raises(VideoOpenError) as info:
        open_source("camera:63", CFG)
    assert str(info.value) == (
        "camera 63 not found (/dev/video63 does not exist); list cameras with `ls /dev/video*`"
    )


def test_unreachable_url_fails_fast_without_credentials(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    cfg = VideoConfig(open_timeout_s=1.0, read_timeout_s=1.0)
    t0 = time.monotonic()
    with pytest.raises(VideoOpenError) as info:
        open_source("rtsp://admin:hunter2@127.0.0.1:9/live", cfg)
    assert time.monotonic() - t0 < 5
    err = info.value
    assert "rtsp://***@127.0.0.1:9/live" in str(err)
    for text in (str(err), repr(err.__cause__), repr(err.__context__), caplog.text):
        assert "hunter2" not in text and "admin" not in text


@pytest.fixture
def silent_server() -> Iterator[int]:
    """A TCP port that accepts connections and never answers."""
    srv = socket.socket()
    srv.bind(("127.0.0.1", 0))
    srv.listen()
    conns: list[socket.socket] = []

    def accept() -> None:
        try:
            while True:
                conns.append(srv.accept()[0])
        except OSError:
            return

    threading.Thread(target=accept, daemon=True).start()
    yield srv.getsockname()[1]
    srv.close()
    for c in conns:
        c.close()


def test_silent_server_times_out(silent_server: int) -> None:
    cfg = VideoConfig(open_timeout_s=0.5, read_timeout_s=0.5)
    t0 = time.monotonic()
    with pytest.raises(VideoOpenError) as info:
        open_source(f"rtsp://bob:pw123@127.0.0.1:{silent_server}/x", cfg)
    assert time.monotonic() - t0 < 4
    assert "pw123" not in str(info.value) and "***@127.0.0.1" in str(info.value)


def test_pacing_resolution(make_video: Callable[..., Path]) -> None:
    path = str(make_video("v.mp4", 5))
    with open_source(path, CFG) as src:
        assert src.info.live is False and src.info.kind == "file"
    with open_source(path, VideoConfig(pacing=Pacing.LIVE)) as src:
        assert src.info.live is True
    with open_source(path, VideoConfig(pacing=Pacing.LIVE), live=False) as src:
        assert src.info.live is False


def test_source_info(make_video: Callable[..., Path]) -> None:
    with open_source(str(make_video("v.mp4", 50)), CFG) as src:
        info = src.info
    assert (info.width, info.height, info.fps, info.n_frames, info.codec) == (
        160,
        120,
        25,
        50,
        "h264",
    )
    assert info.duration_s == pytest.approx(2.0)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="v4l2 device paths")
def test_device_path_not_found() -> None:
    with pytest.raises(VideoOpenError, match="camera 42 not found \\(/dev/video42 does not"):
        open_source("/dev/video42", CFG)
    with pytest.raises(VideoOpenError, match="/dev/v4l/by-id/nope does not exist"):
        open_source("/dev/v4l/by-id/nope", CFG)
