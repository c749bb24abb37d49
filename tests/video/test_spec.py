from __future__ import annotations

import sys

import pytest

from laps.errors import VideoOpenError
from laps.video.spec import SpecKind, parse_spec, redact_uri


@pytest.mark.parametrize(
    ("uri", "want"),
    [
        ("rtsp://user:pass@cam.local:554/live", "rtsp://***@cam.local:554/live"),
        ("rtsp://user@cam.local/live", "rtsp://***@cam.local/live"),
        ("rtsp://a:p@ss@h/x", "rtsp://***@h/x"),
        ("http://h/x.mp4?token=abc&id=3", "http://h/x.mp4?token=***&id=3"),
        ("srt://h:9000", "srt://h:9000"),
        ("/data/video.mp4", "/data/video.mp4"),
    ],
)
def test_redact_uri(uri: str, want: str) -> None:
    assert redact_uri(uri) == want


def test_parse_kinds() -> None:
    assert parse_spec("clip.mp4").kind is SpecKind.FILE
    assert parse_spec("rtsp://h/x").kind is SpecKind.STREAM
    assert parse_spec("HTTPS://h/x.m3u8").kind is SpecKind.STREAM
    cam = parse_spec("camera:2")
    assert cam.kind is SpecKind.CAMERA and cam.camera_index == 2 and cam.display == "camera:2"
    if sys.platform.startswith("linux"):
        assert cam.target == "/dev/video2"
    dev = parse_spec("/dev/video7")
    assert dev.kind is SpecKind.CAMERA and dev.camera_index == 7


def test_stream_display_hides_credentials() -> None:
    spec = parse_spec("rtsp://admin:hunter2@10.0.0.5/stream")
    assert spec.target.startswith("rtsp://admin:hunter2@")
    assert "hunter2" not in spec.display and "admin" not in spec.display


@pytest.mark.parametrize("spec", ["camera:", "camera:x", "camera:-1"])
def test_bad_camera_spec(spec: str) -> None:
    with pytest.raises(VideoOpenError, match="camera:N"):
        parse_spec(spec)


def test_unsupported_scheme_is_named_without_credentials() -> None:
    with pytest.raises(VideoOpenError, match="unsupported URL scheme 'ftp'") as info:
        parse_spec("ftp://bob:secret@h/x.mp4")
    assert "secret" not in str(info.value)


def test_v4l_by_id_path_is_a_camera() -> None:
    spec = parse_spec("/dev/v4l/by-id/usb-cam-video-index0")
    assert spec.kind is SpecKind.CAMERA and spec.camera_index is None
    assert parse_spec("/dev/videos.mp4").kind is SpecKind.FILE
