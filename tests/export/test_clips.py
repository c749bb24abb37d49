from __future__ import annotations

from collections.abc import Iterator
from fractions import Fraction
from pathlib import Path

import av
import numpy as np
import pytest

import laps.video.cut
from laps.errors import ExportError
from laps.export.clips import ClipInfo, write_clip, write_frames_clip


def _level(i: int) -> int:
    return 8 + 4 * i


def _write(
    path: Path,
    n: int,
    *,
    fps: int = 25,
    size: tuple[int, int] = (160, 120),
    times_ms: list[int] | None = None,
    pix_fmt: str = "yuv420p",
) -> Path:
    """H.264 with B-frames and a keyframe every 12 frames; frame i is grey level 8 + 4 i."""
    with av.open(str(path), "w") as out:
        stream = out.add_stream("libx264", rate=fps)
        stream.width, stream.height, stream.pix_fmt = size[0], size[1], pix_fmt
        tb = Fraction(1, 1000) if times_ms else Fraction(1, fps)
        stream.codec_context.time_base = tb
        stream.options = {"crf": "12", "preset": "fast", "g": "12", "bf": "2"}
        for i in range(n):
            frame = av.VideoFrame.from_ndarray(
                np.full((size[1], size[0], 3), _level(i), np.uint8), format="rgb24"
            )
            frame.pts, frame.time_base = (times_ms[i] if times_ms else i), tb
            for packet in stream.encode(frame):
                out.mux(packet)
        for packet in stream.encode(None):
            out.mux(packet)
    return path


def _decode(path: Path) -> tuple[list[int], list[float], av.VideoStream]:
    with av.open(str(path)) as inp:
        stream = inp.streams.video[0]
        frames = list(inp.decode(stream))
        levels = [round((float(f.to_ndarray(format="gray").mean()) - 8) / 4) for f in frames]
        times = [float(f.time) for f in frames]
        return levels, times, stream


@pytest.fixture(scope="module")
def cfr(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _write(tmp_path_factory.mktemp("src") / "cfr.mp4", 50)


@pytest.mark.parametrize(("start", "end"), [(0, 5), (13, 29), (12, 13), (11, 25), (37, 50)])
def test_cut_has_exactly_the_requested_frames(
    cfr: Path, tmp_path: Path, start: int, end: int
) -> None:
    info = write_clip(cfr, tmp_path / "c.mp4", start, end)
    levels, times, _ = _decode(info.path)
    assert levels == list(range(start, end))
    assert info.n_frames == end - start
    assert times == pytest.approx([i / 25 for i in range(end - start)], abs=1e-6)
    assert (info.start_s, info.end_s) == pytest.approx((start / 25, end / 25))
    assert (info.width, info.height) == (160, 120)


def test_25_fps_stays_25_fps(cfr: Path, tmp_path: Path) -> None:
    info = write_clip(cfr, tmp_path / "c.mp4", 10, 35)
    with av.open(str(info.path)) as inp:
        stream = inp.streams.video[0]
        assert stream.average_rate == 25
        assert stream.frames == 25
        assert float(stream.duration * stream.time_base) == pytest.approx(1.0)


def test_vfr_timestamps_are_kept(tmp_path: Path) -> None:
    rng = np.random.default_rng(5)
    times_ms = np.cumsum(np.r_[0, rng.integers(20, 61, 39)]).tolist()
    src = _write(tmp_path / "vfr.mp4", 40, times_ms=times_ms)
    info = write_clip(src, tmp_path / "c.mp4", 7, 31)
    levels, times, _ = _decode(info.path)
    assert levels == list(range(7, 31))
    want = [(t - times_ms[7]) / 1000 for t in times_ms[7:31]]
    assert times == pytest.approx(want, abs=1e-9)
    assert info.start_s == pytest.approx(times_ms[7] / 1000)
    assert info.end_s == pytest.approx(times_ms[31] / 1000)
    with av.open(str(info.path)) as inp:
        s = inp.streams.video[0]
        assert float(s.duration * s.time_base) == pytest.approx(info.end_s - info.start_s)


def test_cut_seeks_instead_of_decoding_from_the_start(
    cfr: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    decoded: list[int] = []
    original = laps.video.cut.decode_forward

    def counting(container: av.container.InputContainer, stream: av.VideoStream) -> Iterator:
        for frame in original(container, stream):
            decoded.append(frame.pts)
            yield frame

    monkeypatch.setattr(laps.video.cut, "decode_forward", counting)
    write_clip(cfr, tmp_path / "c.mp4", 40, 45)
    assert 5 <= len(decoded) <= 12  # from the keyframe at 36, not from frame 0


def test_avi_with_b_frames_is_cut_exactly(tmp_path: Path) -> None:
    src = _write(tmp_path / "v.avi", 40)
    info = write_clip(src, tmp_path / "c.mp4", 9, 21)
    levels, times, _ = _decode(info.path)
    assert levels == list(range(9, 21))
    assert times == pytest.approx([i / 25 for i in range(12)], abs=1e-6)
    assert (info.start_s, info.end_s) == pytest.approx((9 / 25, 21 / 25))


def test_full_range_source_keeps_its_levels(tmp_path: Path) -> None:
    src = tmp_path / "mjpeg.avi"
    with av.open(str(src), "w") as out:
        stream = out.add_stream("mjpeg", rate=25)
        stream.width, stream.height, stream.pix_fmt = 160, 120, "yuvj420p"
        for i in range(10):
            frame = av.VideoFrame.from_ndarray(np.full((120, 160, 3), _level(i), np.uint8))
            frame.pts = i
            for packet in stream.encode(frame):
                out.mux(packet)
        for packet in stream.encode(None):
            out.mux(packet)
    info = write_clip(src, tmp_path / "c.mp4", 3, 8)
    assert _decode(info.path)[0] == [3, 4, 5, 6, 7]


def test_odd_size_is_cropped_to_even(tmp_path: Path) -> None:
    src = _write(tmp_path / "odd.mp4", 10, size=(161, 121), pix_fmt="yuv444p")
    info = write_clip(src, tmp_path / "c.mp4", 2, 6)
    levels, _, stream = _decode(info.path)
    assert (info.width, info.height) == (160, 120)
    assert (stream.codec_context.width, stream.codec_context.height) == (160, 120)
    assert levels == [2, 3, 4, 5]


def test_write_is_atomic_and_replaces(cfr: Path, tmp_path: Path) -> None:
    dst = tmp_path / "clips" / "000001.mp4"
    write_clip(cfr, dst, 0, 3)
    write_clip(cfr, dst, 5, 15)
    assert _decode(dst)[0] == list(range(5, 15))
    assert sorted(p.name for p in dst.parent.iterdir()) == ["000001.mp4"]


def test_failed_write_leaves_nothing(cfr: Path, tmp_path: Path) -> None:
    dst = tmp_path / "c.mp4"
    with pytest.raises(ExportError, match="cannot write"):
        write_clip(cfr, dst, 0, 5, preset="no-such-preset")
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    ("start", "end", "match"),
    [
        (5, 5, "start_frame < end_frame"),
        (-1, 3, "start_frame < end_frame"),
        (40, 51, "past the end .* 50 frames"),
    ],
)
def test_bad_range(cfr: Path, tmp_path: Path, start: int, end: int, match: str) -> None:
    with pytest.raises(ExportError, match=match):
        write_clip(cfr, tmp_path / "c.mp4", start, end)
    assert not (tmp_path / "c.mp4").exists()


def test_unreadable_source(tmp_path: Path) -> None:
    with pytest.raises(ExportError, match="missing.mp4"):
        write_clip(tmp_path / "missing.mp4", tmp_path / "c.mp4", 0, 2)
    (tmp_path / "t.mp4").write_text("text")
    with pytest.raises(ExportError, match="t.mp4"):
        write_clip(tmp_path / "t.mp4", tmp_path / "c.mp4", 0, 2)


def test_frames_clip_keeps_times(tmp_path: Path) -> None:
    times = [10.0, 10.04, 10.1, 10.13, 10.2, 10.26]
    frames = [(np.full((90, 120, 3), _level(i), np.uint8), t) for i, t in enumerate(times)]
    info = write_frames_clip(iter(frames), tmp_path / "live.mp4", end_s=10.3)
    assert info == ClipInfo(tmp_path / "live.mp4", 6, 10.0, pytest.approx(10.3), 120, 90)
    levels, got, stream = _decode(info.path)
    assert levels == list(range(6))
    assert got == pytest.approx([t - 10.0 for t in times], abs=1e-4)
    with av.open(str(info.path)) as inp:
        s = inp.streams.video[0]
        assert float(s.duration * s.time_base) == pytest.approx(0.3, abs=1e-3)


def test_frames_clip_errors(tmp_path: Path) -> None:
    with pytest.raises(ExportError, match="no frames"):
        write_frames_clip([], tmp_path / "a.mp4")
    gray = [(np.zeros((90, 120), np.uint8), 0.0)]
    with pytest.raises(ExportError, match="RGB uint8"):
        write_frames_clip(gray, tmp_path / "b.mp4")
    mixed = [(np.zeros((90, 120, 3), np.uint8), 0.0), (np.zeros((60, 80, 3), np.uint8), 0.1)]
    with pytest.raises(ExportError, match="like the first frame"):
        write_frames_clip(mixed, tmp_path / "c.mp4")
    assert list(tmp_path.iterdir()) == []
