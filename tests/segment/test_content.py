"""The content segmenter: idle is one state, cuts follow the evidence, stream = batch."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from laps.errors import ConfigError
from laps.segment.activity_stream import CentredMean, Debounce
from laps.segment.content import ACTIVE, IDLE, ContentParams
from laps.segment.content_stream import ContentSegmenter, segment_content
from laps.segment.motion import evidence, residual_steps, split_tokens
from laps.segment.peaks import PeakPicker, pick_peaks
from laps.types import SegmentSpan

from .worlds import STRIDE, T, World, make_world

P = ContentParams()


def run(world: World, p: ContentParams = P) -> list[SegmentSpan]:
    tokens = [residual_steps(w.velocities, w.visible) for w in world.windows]  # type: ignore[arg-type]
    return segment_content(tokens, p, T, STRIDE, world.n_samples)


def cuts(spans: list[SegmentSpan]) -> list[int]:
    return [s.start_sample for s in spans[1:]]


def test_no_motion_is_one_idle_segment() -> None:
    spans = run(make_world([("idle", 300)], seed=1, shake=3e-3))
    assert [(s.start_sample, s.end_sample, s.label) for s in spans] == [(0, 301, IDLE)]


def test_all_motion_has_no_idle() -> None:
    spans = run(make_world([("right", 60), ("up", 60), ("circle", 80), ("left", 60)], seed=2))
    assert all(s.label == ACTIVE for s in spans)


def test_idle_stretches_are_found_at_the_step_resolution() -> None:
    world = make_world([("idle", 80), ("right", 30), ("idle", 150), ("up", 25), ("idle", 40)])
    spans = run(world)
    assert [s.label for s in spans] == [IDLE, ACTIVE, IDLE, ACTIVE, IDLE]
    for got, want in zip(cuts(spans), world.boundaries, strict=True):
        assert abs(got - want) <= 3


def test_a_belt_and_camera_shake_do_not_make_idle_active() -> None:
    world = make_world([("idle", 120), ("right", 30), ("idle", 120)], shake=4e-3, belt=True)
    spans = run(world)
    assert [s.label for s in spans] == [IDLE, ACTIVE, IDLE]


@pytest.mark.parametrize("kind", ["circle", "wipe"])
def test_periodic_motion_is_one_primitive(kind: str) -> None:
    spans = run(make_world([("idle", 60), (kind, 80), ("idle", 60)], seed=3))
    assert [s.label for s in spans] == [IDLE, ACTIVE, IDLE]


def test_a_change_of_direction_is_cut_where_it_happens() -> None:
    world = make_world([("idle", 60), ("right", 30), ("up", 30), ("idle", 60)], seed=4)
    spans = run(world)
    active = [s for s in spans if s.label == ACTIVE]
    assert len(active) == 2 and abs(active[1].start_sample - 90) <= 2


def test_more_evidence_is_needed_for_a_higher_threshold() -> None:
    world = make_world([("idle", 60), ("right", 30), ("up", 30), ("idle", 60)], seed=4)
    assert len(run(world, ContentParams(threshold=1e6))) == 3  # no cut inside the motion


def test_evidence_is_scale_free_and_low_for_a_steady_pattern() -> None:
    rng = np.random.default_rng(0)
    a = rng.normal([1.0, 0.0], 0.1, size=(5, 2))
    b = rng.normal([0.0, 1.0], 0.1, size=(5, 2))
    assert evidence(a, b, 1e-6) == pytest.approx(evidence(10 * a, 10 * b, 1e-5), rel=1e-6)
    circle = np.array([[np.cos(k), np.sin(k)] for k in range(10)])
    assert evidence(circle[:5], circle[5:], 1e-3) < evidence(a, b, 1e-3) / 5


def test_residual_tokens_remove_the_camera_and_round_trip() -> None:
    rng = np.random.default_rng(1)
    v = rng.normal(0, 1e-3, size=(15, 50, 2)) + np.array([0.05, -0.02])  # a camera pan
    v[:, :3] += 0.1  # three moving points
    vis = np.ones((16, 50), dtype=bool)
    vis[5:, 40] = False  # a point lost at sample 5
    tok = residual_steps(v.astype(np.float32), vis)
    r, valid = split_tokens(tok[7].astype(np.float64))
    assert valid[40] == 0 and valid[0] == 1
    assert np.abs(np.median(r[3:40], axis=0)).max() < 1e-3
    assert r[:3, 0].min() > 0.09


@settings(max_examples=30, deadline=None)
@given(
    values=st.lists(st.floats(0, 1), min_size=1, max_size=60),
    width=st.sampled_from([1, 3, 5]),
    median=st.booleans(),
)
def test_centred_filter_equals_its_batch(values: list[float], width: int, median: bool) -> None:
    half, f = width // 2, np.median if median else np.mean
    want = [f(values[max(0, i - half) : i + half + 1]) for i in range(len(values))]
    m = CentredMean(width, median)
    got = [x for v in values for x in m.update([v])] + m.flush()
    assert np.allclose(got, want)


def test_debounce_ignores_blips_and_switches_at_the_run_start() -> None:
    d = Debounce(on=1.0, off=0.5, min_idle=4, min_active=3)
    values = [0.0] * 5 + [2.0] * 2 + [0.0] * 5 + [2.0] * 6 + [0.7] * 2 + [0.0] * 6
    states = d.update(values) + d.flush()
    assert states == [False] * 12 + [True] * 8 + [False] * 6


@settings(max_examples=30, deadline=None)
@given(scores=st.lists(st.floats(0, 5), min_size=3, max_size=80), chunk=st.integers(1, 7))
def test_peaks_before_the_horizon_are_final(scores: list[float], chunk: int) -> None:
    want = pick_peaks(scores, 1.0, 3)
    picker, got = PeakPicker(1.0, 3), []
    for i in range(0, len(scores), chunk):
        got += picker.update(scores[i : i + chunk])
        h = picker.horizon()
        assert [p for p in got if p < h] == [p for p in want if p < h]
    assert got + picker.flush() == want


def test_stream_equals_batch_whatever_the_chunking() -> None:
    world = make_world([("idle", 70), ("right", 25), ("wipe", 50), ("idle", 90)], seed=5)
    tokens = [residual_steps(w.velocities, w.visible) for w in world.windows]  # type: ignore[arg-type]
    seg, spans = ContentSegmenter(P, T, STRIDE), []
    for i, tok in enumerate(tokens):
        spans += seg.update(None if i == 7 else tok)
    spans += seg.flush(world.n_samples)
    tokens[7] = None  # type: ignore[call-overload]
    assert spans == segment_content(tokens, P, T, STRIDE, world.n_samples)


@pytest.mark.parametrize(
    ("change", "match"),
    [
        ({"off": 0.02, "on": 0.01}, "off: expected <= on"),
        ({"smooth": 4}, "odd"),
        ({"threshold": float("nan")}, "threshold: expected a finite number"),
        ({"floor_quantile": 1.0}, "floor_quantile"),
        ({"min_idle": 0}, "min_idle: expected an integer >= 1"),
    ],
)
def test_bad_parameters_say_what_is_wrong(change: dict[str, float], match: str) -> None:
    with pytest.raises(ConfigError, match=match):
        ContentParams(**change)  # type: ignore[arg-type]
