"""Recent colour frames of a live source, JPEG-compressed, for cutting clips later.

A camera or stream cannot be re-read, so the frames a future clip may need are kept: each
sampled frame at source resolution, compressed (~100 kB at 720p instead of 2.7 MB raw), and
released as soon as no open or future segment can reach back to it.
"""

from __future__ import annotations

from collections import deque

import cv2
import numpy as np
from numpy.typing import NDArray

from laps.errors import ExportError
from laps.types import Frame


class FrameStore:
    """JPEG ring of (sample, time_s, bytes), pruned by the caller.

    Args:
        quality: JPEG quality 1..100.
    """

    def __init__(self, quality: int = 90) -> None:
        self.quality = quality
        self._frames: deque[tuple[int, float, bytes]] = deque()

    def __len__(self) -> int:
        return len(self._frames)

    def add(self, frame: Frame) -> None:
        """Store a frame's colour image (the source must be opened with ``keep_color``)."""
        if frame.color is None:
            raise ExportError("live clips need colour frames; open the source with keep_color")
        bgr = cv2.cvtColor(frame.color, cv2.COLOR_RGB2BGR)
        ok, buf = cv2.imencode(".jpg", bgr, [cv2.IMWRITE_JPEG_QUALITY, self.quality])
        if not ok:
            raise ExportError(f"could not compress frame {frame.index} for a live clip")
        self._frames.append((frame.sample, frame.time_s, buf.tobytes()))

    def prune(self, before_sample: int) -> None:
        """Drop frames of samples ``< before_sample``."""
        while self._frames and self._frames[0][0] < before_sample:
            self._frames.popleft()

    def take(self, start_sample: int, end_sample: int) -> list[tuple[bytes, float]]:
        """The stored frames of samples ``[start_sample, end_sample)``, compressed."""
        return [(b, t) for s, t, b in self._frames if start_sample <= s < end_sample]


def decode_jpeg(data: bytes) -> NDArray[np.uint8]:
    """RGB image of a stored frame."""
    bgr = cv2.imdecode(np.frombuffer(data, np.uint8), cv2.IMREAD_COLOR)
    if bgr is None:
        raise ExportError("a stored live frame could not be decompressed")
    return np.asarray(cv2.cvtColor(bgr, cv2.COLOR_BGR2RGB), dtype=np.uint8)
