"""Bad and odd files at the video level: unsupported codec, no frame rate, no usable timing,
rotation, too short, nothing decodable."""

from __future__ import annotations

import logging
from fractions import Fraction
from pathlib import Path

import av
import numpy as np
import pytest

from faults import bad_media
from laps.config import load_config
from laps.errors import InputTooShortError, VideoDecodeError, VideoOpenError
from laps.export.clips import write_clip, write_frames_clip
from laps.pipeline.run import segment_source
from laps.video.clock import FrameClock
from laps.video.config import VideoConfig
from laps.video.fourcc import codec_tag
from laps.video.sources import open_source

CFG = VideoConfig(resize_shorter=120)  # the fixtures' size: frames are not resized


def _read(path: Path) -> tuple[object, list]:
    with open_source(str(path), CFG) as src:
        frames = list(src.frames())
        return src.info, frames


def _marker_box(gray: np.ndarray) -> tuple[int, int, int, int]:
    """(top, bottom, left, right) of the white bar, inclusive."""
    ys, xs = np.nonzero(gray > 230)
    return int(ys.min()), int(ys.max()), int(xs.min()), int(xs.max())


# ---------------------------------------------------------------- unsupported codec


def test_unsupported_codec_names_file_fourcc_and_fix(tmp_path: Path) -> None:
    path = bad_media.unsupported_codec(tmp_path / "odd.mp4")
    with pytest.raises(VideoOpenError) as info:
        open_source(str(path), CFG)
    msg = str(info.value)
    assert str(path) in msg
    assert "got fourcc 'zzzz'" in msg
    assert "ffmpeg -i odd.mp4 -c:v libx264 odd_h264.mp4" in msg


def test_unknown_matroska_codec_id_is_named(tmp_path: Path) -> None:
    src = bad_media.no_frame_rate(tmp_path / "src.mkv", seconds=0.5)
    data = src.read_bytes()
    assert b"V_MPEG4/ISO/AVC" in data
    path = tmp_path / "odd.mkv"
    path.write_bytes(data.replace(b"V_MPEG4/ISO/AVC", b"V_ZZZZZ/ISO/AVC"))
    with pytest.raises(VideoOpenError, match="Matroska codec id 'V_ZZZZZ/ISO/AVC'"):
        open_source(str(path), CFG)


def test_codec_tag_of_readable_and_foreign_files(tmp_path: Path) -> None:
    assert codec_tag(bad_media.rotated(tmp_path / "r.mp4", n=3)) == "fourcc 'avc1'"
    assert codec_tag(bad_media.non_video(tmp_path / "t.mp4")) is None
    assert codec_tag(bad_media.truncated(tmp_path / "cut.mp4")) is None


# ---------------------------------------------------------------- frame rate and timing


def test_no_frame_rate_is_measured_and_frames_keep_real_times(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    path = bad_media.no_frame_rate(tmp_path / "nofps.mkv")
    with av.open(str(path)) as c:
        assert c.streams.video[0].average_rate is None  # the fixture is what it claims
        pts = [f.pts for f in c.decode(video=0)]
    with caplog.at_level(logging.WARNING, logger="laps.video"):
        info, frames = _read(path)
    assert 15 < info.fps < 25  # gaps of 30..70 ms, not FFmpeg's 1000 fps guess
    assert "reports no frame rate" in caplog.text and "measured" in caplog.text
    times = [f.time_s for f in frames]
    assert len(frames) >= 25 and np.all(np.diff(times) > 0)
    assert all(any(abs(t - p / 1000) < 1e-6 for p in pts) for t in times)


def test_no_timestamps_and_no_frame_rate_is_a_clear_error(tmp_path: Path) -> None:
    path = bad_media.untimed(tmp_path / "untimed.mkv")
    with pytest.raises(VideoDecodeError) as info:
        _read(path)
    msg = str(info.value)
    assert str(path) in msg and "cannot tell when frames are shown" in msg
    assert "expected timestamps or a frame rate, got neither" in msg and "ffmpeg" in msg


@pytest.mark.parametrize(("fps", "blind"), [(0.0, 2), (25.0, 0)])
def test_frame_clock_counts_frames_it_cannot_time(fps: float, blind: int) -> None:
    clock = FrameClock(Fraction(1, 1000), fps)
    frames = [av.VideoFrame(16, 16, "yuv420p") for _ in range(3)]
    for f in frames:
        f.pts, f.time_base = 0, Fraction(1, 1000)
    times = [clock(f)[0] for f in frames]
    assert clock.blind == blind and clock.repaired == 2
    assert times[0] == 0.0 and times[1] < times[2]


# ---------------------------------------------------------------- rotation


# Where the stored top-left bar (rows 0-9, columns 0-39 of 160x120) shows after each turn.
UPRIGHT_BAR = {
    90: ((160, 120), (120, 159, 0, 9)),  # counterclockwise: to the bottom-left
    180: ((120, 160), (110, 119, 120, 159)),
    270: ((160, 120), (0, 39, 110, 119)),  # clockwise: to the top-right
}


@pytest.mark.parametrize("degrees", [90, 180, 270])
def test_rotated_frames_are_upright(
    tmp_path: Path, caplog: pytest.LogCaptureFixture, degrees: int
) -> None:
    path = bad_media.rotated(tmp_path / "rot.mp4", degrees, n=10)
    with caplog.at_level(logging.INFO, logger="laps.video"):
        info, frames = _read(path)
    shape, bar = UPRIGHT_BAR[degrees]
    assert info.rotation_deg == degrees
    assert (info.height, info.width) == shape
    assert frames[0].image.shape == shape
    assert np.allclose(_marker_box(frames[0].image), bar, atol=2)
    assert f"rotated {degrees} degrees" in caplog.text


def test_rotated_color_frames_are_upright(tmp_path: Path) -> None:
    path = bad_media.rotated(tmp_path / "rot.mp4", 90, n=5)
    with open_source(str(path), CFG, keep_color=True) as src:
        color = next(iter(src.frames())).color
    assert color is not None and color.shape == (160, 120, 3)
    assert np.allclose(_marker_box(color[..., 0]), UPRIGHT_BAR[90][1], atol=2)


def test_clip_of_a_rotated_video_is_upright(tmp_path: Path) -> None:
    path = bad_media.rotated(tmp_path / "rot.mp4", 90, n=30)
    clip = write_clip(path, tmp_path / "clip.mp4", 5, 15)
    assert (clip.width, clip.height, clip.n_frames) == (120, 160, 10)
    with av.open(str(clip.path)) as c:
        decoded = list(c.decode(video=0))
    assert len(decoded) == 10 and decoded[0].rotation == 0  # turned, not flagged
    gray = decoded[0].to_ndarray(format="gray")
    assert gray.shape == (160, 120)
    assert np.allclose(_marker_box(gray), UPRIGHT_BAR[90][1], atol=2)


def test_unrotated_video_reports_no_rotation(tmp_path: Path) -> None:
    info, _ = _read(bad_media.vfr(tmp_path / "vfr.mp4"))
    assert info.rotation_deg == 0 and (info.width, info.height) == (160, 120)


# ---------------------------------------------------------------- too short, nothing decodable


@pytest.mark.parametrize("n", [1, 10])
def test_video_shorter_than_a_window_says_so(tmp_path: Path, n: int) -> None:
    path = bad_media.very_short(tmp_path / "short.mp4", n)
    cfg = load_config(None, ["video.resize_shorter=120", "export.clips=false"])
    with pytest.raises(InputTooShortError) as info:
        segment_source(str(path), tmp_path / "out", cfg)
    msg = str(info.value)
    assert str(path) in msg and "one window needs window.length=16 (1.6 s)" in msg
    assert not (tmp_path / "out" / "short").exists()


def test_no_decodable_frame_is_an_error(tmp_path: Path) -> None:
    path = bad_media.no_decodable_frames(tmp_path / "junk.mkv")
    with pytest.raises(VideoDecodeError) as info:
        _read(path)
    msg = str(info.value)
    assert f"no decodable video frames in {path}" in msg
    assert "expected at least one, got 0" in msg and "rejected 20 of 20 packets" in msg


def test_live_clip_with_unknown_rate_is_written(tmp_path: Path) -> None:
    frames = [(np.full((120, 160, 3), 40 * i, np.uint8), 0.1 * i) for i in range(3)]
    clip = write_frames_clip(frames, tmp_path / "live.mp4", fps=0.0)
    assert clip.n_frames == 3 and clip.end_s > clip.start_s
