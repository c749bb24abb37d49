"""laps.video: video input (files, folders, cameras, streams) and H.264 clip writing.

``expand_sources`` turns folders into files; ``open_source`` gives a :class:`FrameSource` of
resampled (by real timestamp), resized grayscale frames decoded on a background thread;
``select_samples`` / ``Resampler`` are the resampling rule in batch and streaming form.

PyAV is imported only when a source is opened: importing the config (as training does on a
machine without a decoder) stays light.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

from laps.video.config import Pacing, VideoConfig
from laps.video.resample import Resampler, select_samples

_LAZY = {
    "FrameSource": "laps.video.base",
    "expand_sources": "laps.video.sources",
    "open_source": "laps.video.sources",
    "redact_uri": "laps.video.spec",
}

__all__ = [
    "FrameSource",
    "Pacing",
    "Resampler",
    "VideoConfig",
    "expand_sources",
    "open_source",
    "redact_uri",
    "select_samples",
]


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        return getattr(import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'laps.video' has no attribute {name!r}")
