"""Name the video codec of a file FFmpeg has no decoder for, from the container's track table.

FFmpeg opens such a file but tells nothing about the codec (PyAV gives no codec context), so
the error message would only say "unknown". The container still names it: the sample entry
of the video track in MP4/MOV, the CodecID in Matroska/WebM, the stream handler in AVI.
"""

from __future__ import annotations

import re
import struct
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

_HEAD_BYTES = 1 << 20  # Matroska and AVI headers sit at the start of the file
_MAX_MOOV = 64 << 20  # a moov larger than this is not read (the name is only for a message)
_MKV_CODEC_ID = re.compile(rb"\x86([\x81-\xfe])")  # EBML element 0x86, 1-byte size
_AVI_VIDEO = re.compile(rb"strh.{4}vids(.{4})", re.DOTALL)


def codec_tag(path: str | Path) -> str | None:
    """The video codec as the container names it, e.g. ``fourcc 'hev1'``; None if not found."""
    try:
        with Path(path).open("rb") as fh:
            head = fh.read(_HEAD_BYTES)
            if head[4:8] == b"ftyp":
                moov = _read_moov(fh)
                tag = _mp4_sample_entry(moov) if moov else None
                return None if tag is None else f"fourcc {tag!r}"
    except OSError:
        return None
    if head[:4] == b"\x1a\x45\xdf\xa3":
        mkv = _mkv_codec_id(head)
        return None if mkv is None else f"Matroska codec id {mkv!r}"
    if head[:4] == b"RIFF" and (m := _AVI_VIDEO.search(head)):
        return f"fourcc {_ascii(m.group(1))!r}"
    return None


def _ascii(raw: bytes) -> str:
    return raw.decode("latin-1").strip("\x00 ")


def _read_moov(fh: BinaryIO) -> bytes | None:
    """The payload of the top-level ``moov`` box (found by skipping the others)."""
    fh.seek(0, 2)
    file_end, pos = fh.tell(), 0
    while pos + 8 <= file_end:
        fh.seek(pos)
        head = fh.read(16)
        size, kind = struct.unpack(">I4s", head[:8])
        header = 8
        if size == 1 and len(head) == 16:
            size, header = struct.unpack(">Q", head[8:16])[0], 16
        elif size == 0:
            size = file_end - pos
        if size < header:
            return None
        if kind == b"moov":
            fh.seek(pos + header)
            return fh.read(min(size - header, _MAX_MOOV))
        pos += size
    return None


def _boxes(data: bytes) -> Iterator[tuple[bytes, bytes]]:
    """(type, payload) of the boxes laid end to end in ``data``."""
    pos = 0
    while pos + 8 <= len(data):
        size, kind = struct.unpack(">I4s", data[pos : pos + 8])
        header = 8
        if size == 1 and pos + 16 <= len(data):
            size, header = struct.unpack(">Q", data[pos + 8 : pos + 16])[0], 16
        elif size == 0:
            size = len(data) - pos
        if size < header or pos + size > len(data):
            return
        yield kind, data[pos + header : pos + size]
        pos += size


def _child(data: bytes, kind: bytes) -> bytes | None:
    return next((payload for k, payload in _boxes(data) if k == kind), None)


def _mp4_sample_entry(moov: bytes) -> str | None:
    """The sample entry type (fourcc) of the first video track: moov/trak/mdia/minf/stbl/stsd."""
    for kind, trak in _boxes(moov):
        mdia = _child(trak, b"mdia") if kind == b"trak" else None
        hdlr = _child(mdia, b"hdlr") if mdia else None
        if mdia is None or hdlr is None or hdlr[8:12] != b"vide":
            continue
        stsd = mdia
        for step in (b"minf", b"stbl", b"stsd"):
            stsd = _child(stsd, step) or b""
        if len(stsd) >= 16:  # version+flags, entry count, then the first entry's size, type
            return _ascii(stsd[12:16])
    return None


def _mkv_codec_id(head: bytes) -> str | None:
    for m in _MKV_CODEC_ID.finditer(head):
        raw = head[m.end() : m.end() + (m.group(1)[0] & 0x7F)]
        if raw.startswith(b"V_") and raw.isascii():
            return raw.decode("ascii")
    return None
