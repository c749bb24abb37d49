import math

import numpy as np
import pytest

from laps.synth import make_config
from laps.synth.config import ScriptConfig, VarietyConfig
from laps.synth.kinematics import Kinematics
from laps.synth.oracle import hand_speed
from laps.synth.periodic import DURATIONS_V2, PERIODIC, log_uniform, motion_range
from laps.synth.script_v2 import make_plan_v2


def _plan(seed: int, arms: int = 2, duration: float = 300.0, **variety):
    sc = ScriptConfig(arms=arms, pause_min_s=0.05, pause_max_s=0.3)
    return make_plan_v2(np.random.default_rng(seed), sc, VarietyConfig(**variety), duration), sc


def test_log_uniform_stays_in_bounds_and_is_uniform_in_log() -> None:
    rng = np.random.default_rng(0)
    x = np.array([log_uniform(rng, 0.3, 8.0) for _ in range(20000)])
    assert x.min() >= 0.3 and x.max() <= 8.0
    u = (np.log(x) - math.log(0.3)) / (math.log(8.0) - math.log(0.3))
    hist = np.histogram(u, bins=10, range=(0, 1))[0] / len(u)
    assert np.all(np.abs(hist - 0.1) < 0.015)  # flat in log: as many 0.3-0.4 s as 6-8 s
    assert np.mean(x < math.sqrt(0.3 * 8.0)) == pytest.approx(0.5, abs=0.02)
    assert log_uniform(rng, 2.0, 2.0) == 2.0
    with pytest.raises(ValueError, match="expected 0 < lo <= hi"):
        log_uniform(rng, 3.0, 1.0)


def test_motion_ranges_span_03_to_8_s_and_follow_the_knobs() -> None:
    vc = VarietyConfig()
    ranges = [motion_range(label, vc) for label in DURATIONS_V2]
    assert min(lo for lo, _ in ranges) == 0.3 and max(hi for _, hi in ranges) == 8.0
    small = VarietyConfig(motion_min_s=0.5, motion_max_s=2.0)
    assert all(0.5 <= lo <= hi <= 2.0 for lo, hi in (motion_range(k, small) for k in PERIODIC))


@pytest.mark.parametrize(("seed", "arms"), [(1, 1), (2, 2), (3, 2)])
def test_v2_durations_stay_in_the_declared_ranges(seed: int, arms: int) -> None:
    plan, sc = _plan(seed, arms, idle_fraction=0.4)
    steps = plan.steps
    assert steps[0].start_s == 0.0 and steps[-1].end_s >= 300.0
    for a, b in zip(steps, steps[1:], strict=False):
        assert a.end_s == b.start_s and a.label != b.label  # idles never touch: one segment each
    idle = np.array([s.end_s - s.start_s for s in steps if s.label == "idle"])
    moving = np.array([s.end_s - s.start_s for s in steps if s.label != "idle"])
    assert len(idle) >= 3 and idle.min() >= 1.0 - 1e-9 and idle.max() <= 20.0 + 1e-9
    assert moving.min() >= 0.3 - 1e-9 and moving.max() <= 8.0 + sc.pause_max_s + 1e-9
    p10, p90 = np.percentile(moving, [10, 90])
    assert p10 < 0.8 and p90 > 3.5  # spread, not one typical length
    assert {s.arm for s in steps} == {plan.dominant}


@pytest.mark.parametrize("target", [0.1, 0.5, 0.8])
def test_idle_share_follows_the_target(target: float) -> None:
    plan, _ = _plan(4, idle_fraction=target)
    spans = [(s.label, min(s.end_s, 300.0) - s.start_s) for s in plan.steps if s.start_s < 300]
    share = sum(d for k, d in spans if k == "idle") / 300.0
    assert abs(share - target) < 0.12


def test_no_idle_when_the_target_is_zero() -> None:
    plan, _ = _plan(5, idle_fraction=0.0)
    assert all(s.label != "idle" for s in plan.steps)


def test_periodic_primitives_keep_the_hand_moving_as_one_segment() -> None:
    script = {"arms": 1, "pause_min_s": 0.0, "pause_max_s": 0.0}  # a step is all motion
    cfg = make_config(seed=6, duration_s=120.0, width=160, height=90, script=script,
                      variety={"periodic_prob": 1.0, "idle_fraction": 0.1})  # fmt: skip
    kin = Kinematics(cfg)
    found = set()
    for s in kin.plan.steps:
        if s.label not in PERIODIC or s.end_s > 120.0:
            continue
        found.add(s.label)
        t = np.arange(s.start_s + 0.3, s.end_s - 0.3, 1 / 30)
        speed = hand_speed(kin, t) / kin.fr.k  # reference (1280x720) px / s
        assert speed.min() > 2.0, (s.label, speed.min())
        assert set(kin.plan.label_ids(t).tolist()) == {kin.plan.label_ids(t[:1])[0]}
    assert found == set(PERIODIC)


def test_the_other_hand_moves_unlabelled_and_speed_follows_the_dominant_hand() -> None:
    cfg = make_config(seed=7, duration_s=60.0, width=160, height=90, script={"arms": 2},
                      variety={"dominant": "left", "assist_prob": 1.0})  # fmt: skip
    kin = Kinematics(cfg)
    assert kin.plan.dominant == 1 and kin.labelled_arms == (1,)
    t = np.arange(0.0, 60.0, 0.1)
    dom, other = hand_speed(kin, t), hand_speed(kin, t, arms=[0])
    assert other.max() > 50.0  # the right hand steadies the work now and then
    idle = kin.plan.label_ids(t) == 0
    assert np.all(dom[idle] < 1.0) and np.all(other[idle] < 1.0)  # idle: both hands still
