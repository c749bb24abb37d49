"""Bad and odd input files, one function per kind: small (160x120), short, deterministic.

Each writes ``path`` and returns it. The odd-but-processable kinds (VFR, rotated, no frame
rate) are long enough for a few windows at the default 10 fps sampling.
"""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction
from pathlib import Path

import av
import numpy as np

from video.media import truncate_half, write_garbage_copy, write_video

SIZE = (160, 120)


def zero_byte(path: Path) -> Path:
    """An empty file with a video extension."""
    path.write_bytes(b"")
    return path


def truncated(path: Path) -> Path:
    """The first half of an MP4 whose index (moov) is written last: the index is missing."""
    full = write_video(path.with_name(f".{path.stem}.full.mp4"), 50, size=SIZE)
    truncate_half(full, path)
    full.unlink()
    return path


def non_video(path: Path) -> Path:
    """A text file named like a video."""
    path.write_text("meeting notes, not a video\n" * 40)
    return path


def unsupported_codec(path: Path) -> Path:
    """An MP4 whose video sample entry is ``zzzz``: FFmpeg opens it but has no decoder."""
    data = bytearray(write_video(path, 30, size=SIZE).read_bytes())
    entry = data.find(b"avc1", data.find(b"stsd"))
    data[entry : entry + 4] = b"zzzz"
    path.write_bytes(bytes(data))
    return path


def no_frame_rate(path: Path, seconds: float = 3.0) -> Path:
    """A Matroska file with variable timestamps and no DefaultDuration: no average frame rate.

    What screen recorders write; FFmpeg then guesses the time base's 1000 fps.
    """
    gaps = np.random.default_rng(0).integers(30, 70, int(seconds * 20))
    _write_ms(path, [0, *np.cumsum(gaps)[:-1].tolist()], fmt="matroska")
    _strip_default_duration(path)
    return path


def untimed(path: Path) -> Path:
    """A Matroska file whose frames all carry time 0 and no frame rate: no usable timing."""
    src = path.with_name(f".{path.stem}.src.mp4")
    _write_ms(src, [40 * i for i in range(30)], fmt="mp4")
    with av.open(str(src)) as inp, av.open(str(path), "w", format="matroska") as out:
        in_stream = inp.streams.video[0]
        out_stream = out.add_stream_from_template(in_stream)
        for packet in inp.demux(in_stream):
            if packet.size:
                packet.pts = packet.dts = 0  # Matroska accepts equal timestamps
                packet.duration = 0
                packet.stream = out_stream
                out.mux(packet)
    src.unlink()
    _strip_default_duration(path)
    return path


def vfr(path: Path) -> Path:
    """Variable frame rate: gaps alternating 20 and 60 ms, 3.2 s."""
    _write_ms(path, np.cumsum([0] + [20, 60] * 40)[:80].tolist(), fmt="mp4")
    return path


def rotated(path: Path, degrees: int = 90, n: int = 75) -> Path:
    """An MP4 stored landscape with a display matrix turning it ``degrees`` counterclockwise.

    A white bar marks the stored top-left corner: 10 rows by 40 columns; nothing else is
    brighter than 200.
    """
    with av.open(str(path), "w") as out:
        stream = out.add_stream("libx264", rate=25)
        stream.width, stream.height, stream.pix_fmt = *SIZE, "yuv420p"
        stream.set_display_rotation(degrees)
        stream.options = {"crf": "12", "preset": "veryfast", "g": "12"}
        rng = np.random.default_rng(0)
        for i in range(n):
            img = np.full((SIZE[1], SIZE[0], 3), 60 + i, np.uint8)
            img[40:80, 60:100] = rng.integers(0, 200, (40, 40, 3), dtype=np.uint8)
            img[:10, :40] = 255
            frame = av.VideoFrame.from_ndarray(img, format="rgb24")
            frame.pts = i
            for packet in stream.encode(frame):
                out.mux(packet)
        for packet in stream.encode(None):
            out.mux(packet)
    return path


def very_short(path: Path, n: int = 1) -> Path:
    """A video of ``n`` frames at 25 fps (1 frame by default): shorter than one window."""
    return write_video(path, n, size=SIZE)


def no_decodable_frames(path: Path) -> Path:
    """A Matroska file laid out like an H.264 video whose packets are random bytes."""
    src = write_video(path.with_name(f".{path.stem}.src.mp4"), 20, size=SIZE)
    write_garbage_copy(src, path)
    src.unlink()
    return path


def _write_ms(path: Path, times_ms: Sequence[int], *, fmt: str) -> None:
    """H.264 without B-frames at the given times (ms), grey level rising by frame."""
    tb = Fraction(1, 1000)
    with av.open(str(path), "w", format=fmt) as out:
        stream = out.add_stream("libx264")
        stream.width, stream.height, stream.pix_fmt = *SIZE, "yuv420p"
        stream.codec_context.time_base = tb
        stream.options = {"crf": "12", "preset": "veryfast", "g": "12", "bf": "0"}
        for i, t in enumerate(times_ms):
            img = np.full((SIZE[1], SIZE[0], 3), 8 + (2 * i) % 240, np.uint8)
            frame = av.VideoFrame.from_ndarray(img, format="rgb24")
            frame.pts, frame.time_base = t, tb
            for packet in stream.encode(frame):
                out.mux(packet)
        for packet in stream.encode(None):
            out.mux(packet)


def _strip_default_duration(path: Path) -> None:
    """Overwrite the Matroska track's DefaultDuration (its frame rate) with a Void element."""
    data = bytearray(path.read_bytes())
    at = data.find(b"\x23\xe3\x83")
    if at < 0:
        return
    total = 4 + (data[at + 3] & 0x7F)  # id (3 bytes), size (1 byte), value
    data[at : at + total] = bytes([0xEC, 0x80 | (total - 2)]) + bytes(total - 2)
    path.write_bytes(bytes(data))
