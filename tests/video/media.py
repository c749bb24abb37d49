"""Small test videos written with PyAV: frame i is a flat grey of level 8 + 4 * i."""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction
from pathlib import Path

import av
import numpy as np


def level(i: int) -> int:
    """Grey level that encodes frame index i (i < 60)."""
    return 8 + 4 * i


def index_of(gray: np.ndarray) -> int:
    """Frame index read back from a decoded (possibly resized) frame."""
    return round((float(np.mean(gray)) - 8) / 4)


def write_video(
    path: Path,
    n: int = 50,
    *,
    fps: int = 25,
    size: tuple[int, int] = (160, 120),
    times_ms: Sequence[int] | None = None,
    faststart: bool = False,
    noise: bool = False,
) -> Path:
    """Write an H.264 video; ``times_ms`` gives VFR presentation times in milliseconds."""
    w, h = size
    options = {"movflags": "+faststart"} if faststart else {}
    rng = np.random.default_rng(0)
    with av.open(str(path), "w", options=options) as out:
        stream = out.add_stream("libx264", rate=fps)
        stream.width, stream.height, stream.pix_fmt = w, h, "yuv420p"
        tb = Fraction(1, 1000) if times_ms is not None else Fraction(1, fps)
        stream.codec_context.time_base = tb
        stream.options = {"crf": "12", "preset": "veryfast", "g": "12", "bf": "2"}
        for i in range(n):
            img = np.full((h, w, 3), level(i), np.uint8)
            if noise:
                img = rng.integers(0, 256, (h, w, 3), dtype=np.uint8)
            frame = av.VideoFrame.from_ndarray(img, format="rgb24")
            frame.pts = times_ms[i] if times_ms is not None else i
            frame.time_base = tb
            for packet in stream.encode(frame):
                out.mux(packet)
        for packet in stream.encode(None):
            out.mux(packet)
    return path


def write_audio_only(path: Path) -> Path:
    """An AAC file with no video stream."""
    with av.open(str(path), "w") as out:
        stream = out.add_stream("aac", rate=16000)
        frame = av.AudioFrame.from_ndarray(
            np.zeros((1, 1024), np.float32), format="fltp", layout="mono"
        )
        frame.sample_rate, frame.pts = 16000, 0
        for packet in stream.encode(frame):
            out.mux(packet)
        for packet in stream.encode(None):
            out.mux(packet)
    return path


def write_garbage_copy(src: Path, dst: Path) -> Path:
    """A container with ``src``'s video stream layout but random packet payloads."""
    rng = np.random.default_rng(1)
    with av.open(str(src)) as inp, av.open(str(dst), "w") as out:
        in_stream = inp.streams.video[0]
        out_stream = out.add_stream_from_template(in_stream)
        for packet in inp.demux(in_stream):
            if packet.size == 0:
                continue
            junk = av.Packet(rng.integers(0, 256, packet.size, dtype=np.uint8).tobytes())
            junk.pts, junk.dts, junk.time_base = packet.pts, packet.dts, packet.time_base
            junk.stream = out_stream
            out.mux(junk)
    return dst


def truncate_half(path: Path, dst: Path) -> Path:
    """Copy the first half of a file's bytes."""
    data = path.read_bytes()
    dst.write_bytes(data[: len(data) // 2])
    return dst
