"""Display rotation: turn frames upright the way players show them.

Phones store portrait video as landscape pictures plus a display matrix that says "rotate
by N degrees before showing". FFmpeg hands the matrix out with every decoded frame
(``VideoFrame.rotation``: counterclockwise degrees, in [-180, 180]); players apply it, so
users expect our frames, coordinates and clips to be upright too.
"""

from __future__ import annotations

import itertools
import logging
from collections.abc import Iterator
from pathlib import Path

import av
import numpy as np
from av.video.frame import VideoFrame
from numpy.typing import NDArray

from laps.video.writer import TimedFrame

logger = logging.getLogger(__name__)


def normalize_rotation(degrees: float) -> int:
    """Counterclockwise degrees snapped to 0, 90, 180 or 270.

    Players only rotate by quarter turns; a matrix with another angle is snapped to the
    nearest one.
    """
    return int(round(degrees / 90.0)) % 4 * 90


def rotation_of(frame: VideoFrame) -> int:
    """The counterclockwise quarter-turn rotation that shows ``frame`` upright."""
    return normalize_rotation(frame.rotation)


def rotate_image(image: NDArray[np.uint8], degrees: int) -> NDArray[np.uint8]:
    """``image`` (H, W) or (H, W, C) turned counterclockwise by ``degrees`` (a quarter turn)."""
    if degrees == 0:
        return image
    return np.ascontiguousarray(np.rot90(image, k=degrees // 90))


def displayed_size(width: int, height: int, degrees: int) -> tuple[int, int]:
    """(width, height) as shown: swapped by a quarter or three-quarter turn."""
    return (height, width) if degrees in (90, 270) else (width, height)


def probe_rotation(path: str | Path) -> int:
    """The display rotation of a file's first decodable video frame (0 when none decodes).

    Opens the file once more: the rotation is only exposed on decoded frames.
    """
    try:
        with av.open(str(path)) as container:
            stream = container.streams.video[0]
            for frame in container.decode(stream):
                return rotation_of(frame)
    except (av.error.FFmpegError, OSError, IndexError) as err:
        # The main decode reports what is wrong with the file; without a frame there is
        # nothing to rotate.
        logger.debug("%s: no frame to read the rotation from: %s", path, err)
    return 0


def upright_frames(
    items: Iterator[TimedFrame], size: tuple[int, int]
) -> tuple[Iterator[TimedFrame], tuple[int, int]]:
    """Frames to encode turned upright, and their (width, height) as displayed.

    The first frame decides the clip size; each frame is turned by its own rotation.
    Rotated frames go through RGB (a clip re-encodes anyway) and lose the display matrix,
    so the clip is upright in every player and decoder.
    """
    first = next(items, None)
    if first is None:
        return iter(()), size
    degrees = rotation_of(first.frame)
    rest = itertools.chain([first], items)
    if degrees == 0:
        return rest, size
    return (_turned(item) for item in rest), displayed_size(*size, degrees)


def _turned(item: TimedFrame) -> TimedFrame:
    degrees = rotation_of(item.frame)
    if degrees == 0:
        return item
    rgb = rotate_image(np.asarray(item.frame.to_ndarray(format="rgb24"), np.uint8), degrees)
    return item._replace(frame=VideoFrame.from_ndarray(rgb, format="rgb24"))
