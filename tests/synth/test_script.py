import numpy as np
import pytest

from laps.synth import LABELS, frame_times, make_config
from laps.synth.oracle import hand_speed, threshold_boundaries
from laps.synth.render import FrameRenderer
from laps.synth.script import make_plan
from laps.synth.truth import segments_from_labels, transition_kinds

from .conftest import SMALL


def _plan(seed: int, preset: str = "medium", duration: float = 180.0):
    cfg = make_config(seed=seed, preset=preset, duration_s=duration)
    return make_plan(np.random.default_rng(seed), cfg.script, cfg.duration_s)


def test_steps_are_contiguous_from_zero_and_cover_the_duration() -> None:
    plan = _plan(1)
    assert plan.steps[0].start_s == 0.0
    for a, b in zip(plan.steps, plan.steps[1:], strict=False):
        assert a.end_s == b.start_s
        assert a.end_s > a.start_s
    assert plan.steps[-1].end_s >= 180.0


def test_every_primitive_occurs_and_nothing_else() -> None:
    labels = {s.label for seed in (1, 2, 3) for s in _plan(seed).steps}
    assert labels == set(LABELS)


def test_plans_differ_by_seed_and_repeat_for_a_seed() -> None:
    a, b, c = _plan(1), _plan(1), _plan(2)
    assert a.steps == b.steps
    assert a.steps != c.steps


@pytest.mark.parametrize("preset", ["easy", "hard"])
def test_continuous_share_follows_the_knob(preset: str) -> None:
    plan = _plan(4, preset)
    cfg = make_config(preset=preset)
    # only same-arm moves between moving primitives can be continuous
    eligible = [
        a
        for a, b in zip(plan.steps, plan.steps[1:], strict=False)
        if a.arm == b.arm and "idle" not in (a.label, b.label)
    ]
    share = np.mean([s.continuous for s in eligible])
    assert abs(share - cfg.script.continuous_prob) < 0.12


def _boundary_speeds(preset: str, seed: int) -> tuple[np.ndarray, np.ndarray, object]:
    cfg = make_config(seed=seed, preset=preset, duration_s=60.0, **SMALL)
    r = FrameRenderer(cfg)
    ft = frame_times(cfg)
    labels = r.plan.label_ids(ft.seconds)
    segs = segments_from_labels(labels, ft.seconds, ft.end_s)
    kinds = np.array(transition_kinds(r.plan, segs))
    speed = hand_speed(r, ft.seconds) / r.fr.k  # reference px / s
    near = [speed[np.abs(ft.seconds - s["end_sec"]) <= 0.1].min() for s in segs[:-1]]
    return np.array(near), kinds, (speed, ft.seconds, segs)


@pytest.mark.parametrize("preset", ["medium", "hard"])
def test_pauses_stop_and_continuous_transitions_keep_moving(preset: str) -> None:
    near, kinds, _ = _boundary_speeds(preset, 3)
    assert (kinds == "continuous").sum() >= 5 and (kinds == "pause").sum() >= 5
    assert np.all(near[kinds == "pause"] < 1.0)  # the hands stand still at a pause
    assert np.mean(near[kinds == "continuous"] > 20.0) >= 0.9  # and not at a continuous one


def test_a_standstill_threshold_misses_continuous_transitions() -> None:
    near, kinds, (speed, seconds, segs) = _boundary_speeds("hard", 5)
    found = threshold_boundaries(speed, seconds, threshold=2.0)
    cont = np.array([s["end_sec"] for s in segs[:-1]])[kinds == "continuous"]
    hit = [np.min(np.abs(found - t)) <= 0.2 for t in cont]
    assert np.mean(hit) < 0.1
