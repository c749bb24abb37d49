"""What a source spec names (file, camera, stream URL), and URL credential redaction."""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass
from enum import StrEnum
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from laps.errors import VideoOpenError

STREAM_SCHEMES = ("rtsp", "rtsps", "rtmp", "rtmps", "http", "https", "srt", "udp", "tcp", "rtp")
_URL_RE = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*)://")
_CAMERA_RE = re.compile(r"^camera:(.*)$", re.IGNORECASE)
_DEVICE_RE = re.compile(r"^/dev/(?:video(\d+)$|v4l/)")
_SECRET_KEYS = ("password", "passwd", "pass", "pwd", "token", "secret", "key", "auth", "sig")


class SpecKind(StrEnum):
    """The three kinds of source (the values of ``SourceInfo.kind``)."""

    FILE = "file"
    CAMERA = "camera"
    STREAM = "stream"


@dataclass(frozen=True, slots=True)
class ParsedSpec:
    """A classified source spec.

    Attributes:
        kind: file, camera or stream.
        target: what PyAV opens (a path, a device path or index, a URL).
        display: the spec safe to show in messages and logs (credentials redacted).
        camera_index: N for ``camera:N`` / ``/dev/videoN``, else None.
    """

    kind: SpecKind
    target: str
    display: str
    camera_index: int | None = None


def redact_uri(uri: str) -> str:
    """The URI with user/password and secret-looking query values replaced by ``***``.

    Example:
        >>> redact_uri("rtsp://admin:pw@10.0.0.5:554/live?token=abc")
        'rtsp://***@10.0.0.5:554/live?token=***'
    """
    scheme = _URL_RE.match(uri)
    if scheme is None:
        return uri
    try:
        parts = urlsplit(uri)
    except ValueError:
        return scheme.group(0) + "***"
    netloc = parts.netloc
    if "@" in netloc:
        netloc = "***@" + netloc.rsplit("@", 1)[1]
    query = parts.query
    if query:
        pairs = parse_qsl(query, keep_blank_values=True)
        pairs = [(k, "***" if k.lower() in _SECRET_KEYS else v) for k, v in pairs]
        query = urlencode(pairs, safe="*")
    return urlunsplit((parts.scheme, netloc, parts.path, query, parts.fragment))


def _camera_target(index: int) -> str:
    if sys.platform.startswith("linux"):
        return f"/dev/video{index}"
    return str(index)


def parse_spec(spec: str) -> ParsedSpec:
    """Classify a source spec.

    Args:
        spec: a file or folder path, ``camera:N``, a V4L2 device (``/dev/videoN``,
            ``/dev/v4l/by-id/...``), or a stream URL.

    Raises:
        VideoOpenError: for ``camera:`` without an integer, or an unsupported URL scheme.
    """
    text = spec.strip()
    cam = _CAMERA_RE.match(text)
    if cam:
        raw = cam.group(1).strip()
        if not raw.isdigit():
            raise VideoOpenError(
                f"bad camera spec {spec!r}: expected camera:N with N a camera number "
                "(camera:0 is the first camera)"
            )
        index = int(raw)
        return ParsedSpec(SpecKind.CAMERA, _camera_target(index), f"camera:{index}", index)
    dev = _DEVICE_RE.match(text)
    if dev:
        number = int(dev.group(1)) if dev.group(1) is not None else None
        return ParsedSpec(SpecKind.CAMERA, text, text, number)
    url = _URL_RE.match(text)
    if url:
        scheme = url.group(1).lower()
        display = redact_uri(text)
        if scheme not in STREAM_SCHEMES:
            raise VideoOpenError(
                f"unsupported URL scheme {scheme!r} in {display}; "
                f"use a file path or one of {', '.join(s + '://' for s in STREAM_SCHEMES)}"
            )
        return ParsedSpec(SpecKind.STREAM, text, display)
    return ParsedSpec(SpecKind.FILE, spec, spec)


def scrub(text: str, target: str, display: str) -> str:
    """``text`` with every occurrence of the raw ``target`` replaced by its safe ``display``."""
    return text.replace(target, display) if target != display else text
