"""The segmenter registry: ``segment.method`` -> the class that implements it.

Every entry implements :class:`laps.segment.base.Segmenter`; the contract suite
(``tests/segment/test_contract.py``) runs each one. Adding a method: its streaming math under
``laps/segment/``, its adapter (a :class:`~laps.pipeline.pieces.PiecewiseTiling` subclass for
a tiling method), one line here, and its config model in ``segment/config.py``.
"""

from __future__ import annotations

from collections.abc import Callable

from laps.config import PipelineConfig
from laps.pipeline.changes import ChangeSegmenting
from laps.pipeline.content import ContentSegmenting
from laps.pipeline.thresholding import ThresholdedSegmenter
from laps.segment.base import Segmenter
from laps.segment.config import SegmentMethod

Factory = Callable[[PipelineConfig, bool, bool], Segmenter]

SEGMENTERS: dict[SegmentMethod, Factory] = {
    SegmentMethod.CHANGE: lambda cfg, live, enc: ChangeSegmenting(cfg, enc),
    SegmentMethod.CONTENT: lambda cfg, live, enc: ContentSegmenting(cfg),
    SegmentMethod.HYSTERESIS: lambda cfg, live, enc: ThresholdedSegmenter(cfg, live),
}


def make_segmenter(cfg: PipelineConfig, live: bool, has_encoder: bool) -> Segmenter:
    """The run's segmenter for ``segment.method``."""
    return SEGMENTERS[cfg.segment.method](cfg, live, has_encoder)
