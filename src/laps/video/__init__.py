"""laps.video: video input (files, folders, cameras, streams) and H.264 clip writing.

``expand_sources`` turns folders into files; ``open_source`` gives a :class:`FrameSource` of
resampled (by real timestamp), resized grayscale frames decoded on a background thread;
``select_samples`` / ``Resampler`` are the resampling rule in batch and streaming form.
"""

from laps.video.base import FrameSource
from laps.video.config import Pacing, VideoConfig
from laps.video.resample import Resampler, select_samples
from laps.video.sources import expand_sources, open_source
from laps.video.spec import redact_uri

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
