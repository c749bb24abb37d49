"""Source specs to frame sources: folder expansion and opening files, cameras and streams."""

from __future__ import annotations

import logging
import os
import sys
from collections.abc import Sequence
from pathlib import Path

import av
from av.container import InputContainer
from av.video.stream import VideoStream

from laps.errors import VideoOpenError
from laps.video.base import FrameSource
from laps.video.config import Pacing, VideoConfig
from laps.video.fourcc import codec_tag
from laps.video.info import source_info
from laps.video.reader import PyAVSource
from laps.video.spec import ParsedSpec, SpecKind, parse_spec
from laps.video.threads import codec_threads

logger = logging.getLogger(__name__)

_VIDEO_FORMATS = "mp4, mov, mkv, avi, webm"


def expand_sources(specs: Sequence[str], cfg: VideoConfig) -> list[str]:
    """Expand folders into their video files; keep files, cameras and URLs as they are.

    Folders are searched (recursively when ``cfg.recursive``) for files whose extension is in
    ``cfg.extensions`` (case-insensitive); hidden files and folders are skipped; each folder's
    files come out sorted by path. Duplicates are dropped, first occurrence kept.

    Raises:
        VideoOpenError: for a path that does not exist, or a folder without video files.
    """
    exts = {e.lower() if e.startswith(".") else "." + e.lower() for e in cfg.extensions}
    out: list[str] = []
    for spec in specs:
        if parse_spec(spec).kind is not SpecKind.FILE:
            out.append(spec)
            continue
        path = Path(spec).expanduser()
        if path.is_dir():
            found = _scan(path, exts, cfg.recursive, set())
            if not found:
                how = "recursively " if cfg.recursive else ""
                raise VideoOpenError(
                    f"no video files in folder {spec} (searched {how}for "
                    f"{', '.join(sorted(exts))}); check the folder or set video.extensions"
                )
            out.extend(found)
        elif path.exists():
            out.append(str(path))
        else:
            raise VideoOpenError(f"video path not found: {spec}; check the path")
    return list(dict.fromkeys(out))


def _scan(folder: Path, exts: set[str], recursive: bool, seen: set[str]) -> list[str]:
    real = os.path.realpath(folder)
    if real in seen:  # a symlink loop
        return []
    seen.add(real)
    try:
        entries = sorted(os.scandir(folder), key=lambda e: e.name)
    except OSError as err:
        logger.warning("skipping unreadable folder %s: %s", folder, err.strerror)
        return []
    found: list[str] = []
    for entry in entries:
        if entry.name.startswith("."):
            continue
        if entry.is_dir():
            if recursive:
                found.extend(_scan(Path(entry.path), exts, recursive, seen))
        elif entry.is_file() and os.path.splitext(entry.name)[1].lower() in exts:
            found.append(entry.path)
    return found


def open_source(
    spec: str, cfg: VideoConfig, *, live: bool | None = None, keep_color: bool = False
) -> FrameSource:
    """Open a file, camera or stream as a resampled, resized frame source.

    Args:
        spec: a file path, ``camera:N``, ``/dev/videoN`` or a stream URL.
        cfg: sampling, resizing, pacing and timeout settings.
        live: replay in real time (True) or as fast as possible (False); None follows
            ``cfg.pacing`` (auto: offline for files, live for cameras and streams).
        keep_color: also hand out RGB frames at source resolution (for live clip recording).

    Raises:
        VideoOpenError: missing, empty or unreadable file, no video stream, unknown camera,
            unreachable stream. Messages never contain URL credentials.
    """
    parsed = parse_spec(spec)
    container = _open_container(parsed, cfg)
    stream = _video_stream(container, parsed)
    threads = codec_threads(cfg.decode_threads)
    if threads:
        stream.codec_context.thread_count = threads
    if live is None:
        live = cfg.pacing is Pacing.LIVE or (
            cfg.pacing is Pacing.AUTO and parsed.kind is not SpecKind.FILE
        )
    info = source_info(container, stream, parsed, live)
    mode = "live" if live else "offline"
    desc = f"{info.codec} {info.width}x{info.height} {info.fps:.3g} fps, {mode}"
    if info.rotation_deg:
        desc += f", rotated {info.rotation_deg} degrees (display matrix)"
    logger.info("opened %s: %s", info.uri, desc)
    return PyAVSource(container, stream, info, cfg, target=parsed.target, keep_color=keep_color)


def _open_container(parsed: ParsedSpec, cfg: VideoConfig) -> InputContainer:
    if parsed.kind is SpecKind.FILE:
        return _open_file(parsed)
    if parsed.kind is SpecKind.CAMERA:
        return _open_camera(parsed, cfg)
    return _open_stream(parsed, cfg)


def _open_file(parsed: ParsedSpec) -> InputContainer:
    path = Path(parsed.target).expanduser()
    if not path.exists():
        raise VideoOpenError(f"video file not found: {parsed.display}; check the path")
    if path.is_dir():
        raise VideoOpenError(
            f"{parsed.display} is a folder, not a video file; pass a file, or let "
            "expand_sources list the folder's videos"
        )
    if path.stat().st_size == 0:
        raise VideoOpenError(
            f"video file is empty (0 bytes): {parsed.display}; the recording or copy did not "
            "finish, re-export it"
        )
    try:
        return av.open(str(path))
    except (av.error.FFmpegError, OSError) as err:
        raise VideoOpenError(_unreadable_file_message(path, parsed.display, err)) from err


def _unreadable_file_message(path: Path, display: str, err: Exception) -> str:
    reason = getattr(err, "strerror", None) or type(err).__name__
    with path.open("rb") as fh:
        head = fh.read(12)
    if head[4:8] == b"ftyp":
        return (
            f"cannot read {display}: it is an MP4/MOV whose index (moov atom) is missing or "
            f"damaged ({reason}); the recording was probably cut off, re-export it"
        )
    return (
        f"cannot read {display} as a video: {reason}; pass a video file FFmpeg can read "
        f"({_VIDEO_FORMATS})"
    )


def _open_camera(parsed: ParsedSpec, cfg: VideoConfig) -> InputContainer:
    index = parsed.camera_index if parsed.camera_index is not None else parsed.target
    if sys.platform.startswith("linux"):
        if not os.path.exists(parsed.target):
            raise VideoOpenError(
                f"camera {index} not found ({parsed.target} does not exist); "
                "list cameras with `ls /dev/video*`"
            )
        fmt = "v4l2"
    elif sys.platform == "darwin":
        fmt = "avfoundation"
    else:
        raise VideoOpenError(
            f"{parsed.display}: cameras are supported on Linux (v4l2) and macOS "
            f"(avfoundation), not on {sys.platform}; record to a file or serve an RTSP stream"
        )
    try:
        return av.open(parsed.target, format=fmt, timeout=(cfg.open_timeout_s, cfg.read_timeout_s))
    except (av.error.FFmpegError, OSError) as err:
        reason = getattr(err, "strerror", None) or type(err).__name__
        raise VideoOpenError(
            f"cannot open camera {index} ({parsed.target}): {reason}; check that no other "
            "program uses it and that you may read it (e.g. membership of group 'video')"
        ) from err


def _open_stream(parsed: ParsedSpec, cfg: VideoConfig) -> InputContainer:
    scheme = parsed.target.split("://", 1)[0].lower()
    options = {"rtsp_transport": "tcp"} if scheme.startswith("rtsp") else {}
    try:
        return av.open(
            parsed.target, options=options, timeout=(cfg.open_timeout_s, cfg.read_timeout_s)
        )
    except (av.error.FFmpegError, OSError) as err:
        if isinstance(err, av.error.ExitError):
            reason = f"no answer within {cfg.open_timeout_s:g} s (video.open_timeout_s)"
        else:
            reason = getattr(err, "strerror", None) or type(err).__name__
    # Raised outside the except block: the original error's text holds the raw URL.
    raise VideoOpenError(
        f"cannot open stream {parsed.display}: {reason}; check the URL, that the server is "
        "running and reachable, and the credentials"
    )


def _video_stream(container: InputContainer, parsed: ParsedSpec) -> VideoStream:
    if not container.streams.video:
        kinds: list[str] = [s.type for s in container.streams] or ["none"]
        container.close()
        raise VideoOpenError(
            f"{parsed.display} has no video stream (streams: {', '.join(kinds)}); "
            "pass a file or source that contains video"
        )
    stream = container.streams.video[0]
    if stream.codec_context is None:
        container.close()
        raise VideoOpenError(_unsupported_codec_message(parsed))
    return stream


def _unsupported_codec_message(parsed: ParsedSpec) -> str:
    tag = codec_tag(parsed.target) if parsed.kind is SpecKind.FILE else None
    name = Path(parsed.target).name if parsed.kind is SpecKind.FILE else "IN"
    return (
        f"cannot decode {parsed.display}: expected a video codec this FFmpeg build decodes "
        f"(H.264, HEVC, VP9, AV1, MPEG-4, ...), got {tag or 'an unknown codec'}; re-encode "
        f"it to H.264, e.g. `ffmpeg -i {name} -c:v libx264 {Path(name).stem}_h264.mp4`"
    )
