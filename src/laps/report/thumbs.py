"""Clip thumbnails: the first frame of a clip as a small JPEG."""

from __future__ import annotations

import logging
from pathlib import Path

import av
import cv2

logger = logging.getLogger(__name__)

THUMB_WIDTH = 192


def write_thumbnail(clip: Path, path: Path, width: int = THUMB_WIDTH) -> bool:
    """Write the first frame of ``clip`` as a JPEG ``width`` pixels wide.

    Returns:
        True when written; False (with a warning) when the clip cannot be decoded.
    """
    try:
        with av.open(str(clip)) as container:
            frame = next(container.decode(video=0), None)
            if frame is None:
                logger.warning("no frame in clip %s; thumbnail skipped", clip)
                return False
            height = max(2, round(frame.height * width / max(frame.width, 1) / 2) * 2)
            image = frame.reformat(width=width, height=height, format="bgr24").to_ndarray()
    except (av.FFmpegError, OSError) as err:
        logger.warning("cannot read clip %s (%s); thumbnail skipped", clip, err)
        return False
    ok, data = cv2.imencode(".jpg", image, [cv2.IMWRITE_JPEG_QUALITY, 80])
    if not ok:
        logger.warning("cannot encode a thumbnail of %s", clip)
        return False
    path.write_bytes(data.tobytes())
    return True
