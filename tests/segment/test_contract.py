"""One contract for every registered segmenter (built from the registry, not a hand list).

Each method is driven the way a run drives it (``feed`` window by window, ``break_at`` at a
stream gap, ``finish``) on small synthetic worlds, and must: equal its batch reference,
return ordered disjoint spans inside the stream (tiling ones cover it), survive failed
windows, respect a gap, decide with a bounded delay, and describe itself in plain JSON.
"""

from __future__ import annotations

import json

import pytest

from laps.config import PipelineConfig, load_config
from laps.pipeline.segmenters import SEGMENTERS, make_segmenter
from laps.segment.base import Segmenter, WindowInput
from laps.segment.config import SegmentMethod
from laps.types import SegmentSpan

from .worlds import STRIDE, World, make_world

METHODS = sorted(SEGMENTERS, key=lambda m: m.value)
# The hysteresis method thresholds the energy: fix it so that it streams without a warm-up.
SETTINGS = {SegmentMethod.HYSTERESIS: ["segment.threshold=0.0015"]}
PLAN = [("idle", 60), ("right", 25), ("up", 30), ("idle", 40), ("circle", 40), ("idle", 45)]


def config(method: SegmentMethod) -> PipelineConfig:
    return load_config(None, [f"segment.method={method.value}", *SETTINGS.get(method, [])])


def drive(seg: Segmenter, world: World) -> list[SegmentSpan]:
    spans = [s for w in world.windows for s in seg.feed(w)]
    return spans + seg.finish(world.n_samples)


def check_valid(spans: list[SegmentSpan], n_samples: int, n_windows: int, tiles: bool) -> None:
    assert spans, "no span at all"
    for a, b in zip(spans, spans[1:], strict=False):
        assert a.end_sample <= b.start_sample and a.start_window <= b.start_window
    assert spans[0].start_sample >= 0 and spans[-1].end_sample <= n_samples
    assert all(0 <= s.start_window < s.end_window <= n_windows for s in spans)
    if tiles:
        assert spans[0].start_sample == 0 and spans[-1].end_sample == n_samples
        assert all(a.end_sample == b.start_sample for a, b in zip(spans, spans[1:], strict=False))


def test_every_method_is_registered() -> None:
    assert set(SEGMENTERS) == set(SegmentMethod)


@pytest.mark.parametrize("method", METHODS, ids=lambda m: m.value)
def test_stream_equals_batch(method: SegmentMethod) -> None:
    world = make_world(PLAN, seed=1, shake=2e-3)
    cfg = config(method)
    streamed = drive(make_segmenter(cfg, live=False, has_encoder=False), world)
    assert streamed == SEGMENTERS[method].batch(cfg, world.windows, world.n_samples)


@pytest.mark.parametrize("method", METHODS, ids=lambda m: m.value)
def test_spans_are_ordered_disjoint_and_inside(method: SegmentMethod) -> None:
    world = make_world(PLAN, seed=2)
    seg = make_segmenter(config(method), live=False, has_encoder=False)
    spans = drive(seg, world)
    check_valid(spans, world.n_samples, len(world.windows), seg.tiles)


@pytest.mark.parametrize("method", METHODS, ids=lambda m: m.value)
def test_failed_windows_lose_nothing(method: SegmentMethod) -> None:
    world = make_world(PLAN, seed=3)
    failed = [
        w if w.index % 5 else WindowInput(w.index, None, None, None, None, "boom")
        for w in world.windows
    ]
    seg = make_segmenter(config(method), live=False, has_encoder=False)
    spans = drive(seg, World(failed, world.n_samples, world.boundaries, world.idle))
    check_valid(spans, world.n_samples, len(world.windows), seg.tiles)


@pytest.mark.parametrize("method", METHODS, ids=lambda m: m.value)
def test_a_gap_closes_the_open_span(method: SegmentMethod) -> None:
    world = make_world(PLAN * 2, seed=4)
    seg = make_segmenter(config(method), live=False, has_encoder=False)
    half = len(world.windows) // 2
    gap_sample = half * STRIDE + 10  # the stream stopped here; windows go on 3 later
    spans = [s for w in world.windows[:half] for s in seg.feed(w)]
    before = spans + seg.break_at(half + 3, gap_sample)
    after = [s for w in world.windows[half + 3 :] for s in seg.feed(w)]
    after += seg.finish(world.n_samples)
    assert before and after
    assert all(s.end_sample <= gap_sample for s in before)
    assert all(s.start_sample >= gap_sample for s in after)
    if seg.tiles:
        assert after[0].start_sample == gap_sample


@pytest.mark.parametrize("method", METHODS, ids=lambda m: m.value)
def test_decisions_come_with_a_bounded_delay(method: SegmentMethod) -> None:
    plan = [("right", 20), ("idle", 20), ("up", 20), ("idle", 20)] * 8
    world = make_world(plan, seed=5)
    seg = make_segmenter(config(method), live=False, has_encoder=False)
    decided_to, worst = 0, 0
    for w in world.windows:
        for span in seg.feed(w):
            decided_to = max(decided_to, span.end_sample)
        if w.index >= 40:  # past any warm-up
            worst = max(worst, w.index * STRIDE - decided_to)
    assert worst <= 150, f"{method.value}: a decision waited {worst} samples"


@pytest.mark.parametrize("method", METHODS, ids=lambda m: m.value)
def test_describes_itself_in_plain_json(method: SegmentMethod) -> None:
    world = make_world(PLAN, seed=6)
    seg = make_segmenter(config(method), live=False, has_encoder=False)
    drive(seg, world)
    params = json.loads(json.dumps(seg.parameters()))
    assert params["method"] == method.value == seg.method
    for name, doc in seg.artifacts().items():
        assert name.endswith(".json") and json.loads(json.dumps(doc))
    lines = seg.energy_thresholds()
    assert (lines is not None) == (method is SegmentMethod.HYSTERESIS)
