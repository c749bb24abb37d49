"""Contact sheets of generated videos.

Frames with their ground-truth labels, for people to check that what is drawn matches
what is labelled.
"""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np
from numpy.typing import NDArray

from laps.errors import ExportError
from laps.synth.config import ALL_LABELS, SynthConfig
from laps.synth.writer import atomic_write_bytes

Image = NDArray[np.uint8]
COLUMNS = 4
THUMB_W = 320
BANNER_H = 22


def preview_indices(labels: NDArray[np.int64], n: int = 16) -> list[int]:
    """Frame indices to show, at most ``n``, in time order.

    First the middle of the first segment of every label, then the middles of other
    segments spread over the video.
    """
    change = np.flatnonzero(np.diff(labels)) + 1
    starts = np.concatenate([[0], change])
    ends = np.concatenate([change, [len(labels)]])
    mids = [(int(s) + int(e)) // 2 for s, e in zip(starts, ends, strict=True)]
    chosen: dict[int, int] = {}
    for m in mids:
        chosen.setdefault(int(labels[m]), m)
    picked = set(list(chosen.values())[:n])
    rest = [m for m in mids if m not in picked]
    room = n - len(picked)
    if room > 0 and rest:
        picked |= {rest[int(i)] for i in np.linspace(0, len(rest) - 1, min(room, len(rest)))}
    return sorted(picked)


def contact_sheet(shots: list[tuple[Image, float, int]], title: str) -> Image:
    """Tile frames (image, time s, label id) in rows of 4, each under a label banner."""
    h0, w0 = shots[0][0].shape[:2]
    tw = min(THUMB_W, w0)
    th = max(1, round(h0 * tw / w0))
    cells = []
    for img, t, label in shots:
        thumb = cv2.resize(img, (tw, th), interpolation=cv2.INTER_AREA)
        banner = np.zeros((BANNER_H, tw, 3), np.uint8)
        text = f"{t:7.2f}s  {ALL_LABELS[label]}"
        cv2.putText(banner, text, (4, 16), cv2.FONT_HERSHEY_SIMPLEX, 0.5, (80, 230, 255), 1)
        cells.append(np.vstack([banner, thumb]))
    while len(cells) % COLUMNS:
        cells.append(np.zeros_like(cells[0]))
    rows = [np.hstack(cells[i : i + COLUMNS]) for i in range(0, len(cells), COLUMNS)]
    header = np.zeros((BANNER_H + 6, rows[0].shape[1], 3), np.uint8)
    cv2.putText(header, title, (4, 20), cv2.FONT_HERSHEY_SIMPLEX, 0.55, (255, 255, 255), 1)
    return np.vstack([header, *rows])


def write_preview(path: Path, cfg: SynthConfig, shots: list[tuple[Image, float, int]]) -> Path:
    """Write the contact sheet of ``shots`` as a PNG.

    Raises:
        ExportError: if there is nothing to show or the file cannot be written.
    """
    if not shots:
        raise ExportError(f"no frames for the preview {path}; render at least one frame")
    title = (
        f"{cfg.file_stem}  preset={cfg.preset.value} view={cfg.view.value} seed={cfg.seed} "
        f"{cfg.width}x{cfg.height}@{cfg.fps:g}{' vfr' if cfg.vfr else ''}"
    )
    ok, png = cv2.imencode(".png", contact_sheet(shots, title))
    if not ok:
        raise ExportError(f"PNG encoding of {path} failed; check the frame size")
    atomic_write_bytes(path, png.tobytes())
    return path
