"""The segmenter registry: ``segment.method`` -> the class that implements it.

Every entry implements :class:`laps.segment.base.Segmenter` and names a *batch* function:
the method's pure math over a whole list of windows, which the contract suite
(``tests/segment/test_contract.py``) compares with streaming the adapter window by window.
Adding a method: its streaming math under ``laps/segment/``, its adapter (a
:class:`~laps.pipeline.pieces.PiecewiseTiling` subclass for a tiling method), its config
model in ``segment/config.py`` and one entry here (docs/ARCHITECTURE.md has an example).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from laps.config import PipelineConfig
from laps.pipeline.changes import ChangeSegmenting
from laps.pipeline.content import ContentSegmenting
from laps.pipeline.periodic import PeriodicSegmenting, PeriodicStream
from laps.pipeline.thresholding import ThresholdedSegmenter
from laps.segment.base import Segmenter, WindowInput
from laps.segment.change_stream import segment_changes
from laps.segment.config import SegmentMethod
from laps.segment.content_stream import segment_content
from laps.segment.functional import HysteresisParams, segment_energy
from laps.types import SegmentSpan

Batch = Callable[[PipelineConfig, Sequence[WindowInput], int], list[SegmentSpan]]


@dataclass(frozen=True, slots=True)
class Entry:
    """A registered segmenter: how a run builds it, and its batch reference."""

    make: Callable[[PipelineConfig, bool, bool], Segmenter]
    batch: Batch


def _change_batch(cfg: PipelineConfig, windows: Sequence[WindowInput], n: int) -> list[SegmentSpan]:
    seg = ChangeSegmenting(cfg, has_encoder=False)
    tokens = [seg.tokens(w) for w in windows]
    return segment_changes(tokens, seg.params, cfg.window.length, cfg.window.stride, n)[0]


def _content_batch(
    cfg: PipelineConfig, windows: Sequence[WindowInput], n: int
) -> list[SegmentSpan]:
    seg = ContentSegmenting(cfg)
    tokens = [seg.tokens(w) for w in windows]
    return segment_content(tokens, seg.params, cfg.window.length, cfg.window.stride, n)


def _hysteresis_batch(
    cfg: PipelineConfig, windows: Sequence[WindowInput], n: int
) -> list[SegmentSpan]:
    thr = cfg.segment.threshold
    if thr is None:
        raise ValueError("the hysteresis batch reference needs segment.threshold")
    params = HysteresisParams.from_config(cfg.segment, thr, cfg.window, cfg.video.target_fps)
    nan = float("nan")
    return segment_energy([nan if w.energy is None else w.energy for w in windows], params)


def _periodic_batch(
    cfg: PipelineConfig, windows: Sequence[WindowInput], n: int
) -> list[SegmentSpan]:
    p = PeriodicSegmenting(cfg).period
    bounds = [*range(0, n, p), n]
    stream = PeriodicStream(p, cfg.window.length, cfg.window.stride)
    stream.steps.n_windows = len(windows)
    return [stream.span(a, b) for a, b in zip(bounds, bounds[1:], strict=False)]


SEGMENTERS: dict[SegmentMethod, Entry] = {
    SegmentMethod.CHANGE: Entry(lambda cfg, live, enc: ChangeSegmenting(cfg, enc), _change_batch),
    SegmentMethod.CONTENT: Entry(lambda cfg, live, enc: ContentSegmenting(cfg), _content_batch),
    SegmentMethod.PERIODIC: Entry(lambda cfg, live, enc: PeriodicSegmenting(cfg), _periodic_batch),
    SegmentMethod.HYSTERESIS: Entry(
        lambda cfg, live, enc: ThresholdedSegmenter(cfg, live), _hysteresis_batch
    ),
}


def make_segmenter(cfg: PipelineConfig, live: bool, has_encoder: bool) -> Segmenter:
    """The run's segmenter for ``segment.method``."""
    return SEGMENTERS[cfg.segment.method].make(cfg, live, has_encoder)
