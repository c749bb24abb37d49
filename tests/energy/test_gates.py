"""Pre-gate (pixel differences) and motion gate (velocities)."""

from __future__ import annotations

import json

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from laps.energy.gates import (
    GateKind,
    gate_from_pairs,
    gate_image,
    motion_gate,
    pair_stats,
    pre_gate,
)
from laps.gates.config import MotionGateConfig, PreGateConfig

PRE = PreGateConfig(enabled=True)  # resize 128, pixel_diff 0.02, mad 0.005, min_active 0.05
MOTION = MotionGateConfig(enabled=True)  # vel_norm 0.02, min_active 0.025


def _frames(t: int, h: int = 128, w: int = 160, value: int = 100) -> list[np.ndarray]:
    return [np.full((h, w), value, dtype=np.uint8) for _ in range(t)]


@pytest.mark.parametrize(
    ("shape", "expected"),
    [((320, 568), (128, 227)), ((568, 320), (227, 128)), ((64, 80), (128, 160))],
)
def test_gate_image_resizes_the_short_side(
    shape: tuple[int, int], expected: tuple[int, int]
) -> None:
    img = np.random.default_rng(0).integers(0, 256, shape, dtype=np.uint8)
    small = gate_image(img, PRE)
    assert small.shape == expected
    assert small.dtype == np.uint8


def test_gate_image_keeps_frames_already_at_size() -> None:
    img = np.zeros((128, 200), dtype=np.uint8)
    assert gate_image(img, PRE) is img


def test_static_window_is_dropped() -> None:
    res = pre_gate(_frames(16), PRE)
    assert res.dropped
    assert res.kind is GateKind.PRE
    assert res.level == 0.0
    assert res.active_ratio == 0.0


def test_pre_gate_hand_worked_values() -> None:
    frames = _frames(3)
    frames[1] = frames[1].copy()
    frames[1][:, :16] += 51  # 10 % of the pixels change by 0.2, then change back
    res = pre_gate(frames, PRE)
    assert res.level == pytest.approx(0.1 * 0.2)
    assert res.active_ratio == pytest.approx(0.1)
    assert not res.dropped  # mad 0.02 >= 0.005


def test_drop_needs_both_conditions() -> None:
    frames = _frames(2)
    frames[1] = frames[1].copy()
    # 10 % of the pixels change by 6/255: mad ~ 0.0024 < 0.005 but active 0.1 >= 0.05
    frames[1][:, :16] += 6
    res = pre_gate(frames, PRE)
    assert res.level < PRE.mad_thr
    assert res.active_ratio == pytest.approx(0.1)
    assert not res.dropped
    # the same change on 2.5 % of the pixels is static
    frames[1] = _frames(1)[0]
    frames[1][:, :4] += 6
    assert pre_gate(frames, PRE).dropped


def test_active_pixel_test_is_strict_at_the_threshold() -> None:
    cfg = PreGateConfig(enabled=True, pixel_diff_thr=5 / 255)
    a = np.zeros((128, 128), dtype=np.uint8)
    assert pair_stats(a, a + 5, cfg)[1] == 0.0  # 5/255 is not > 5/255
    assert pair_stats(a, a + 6, cfg)[1] == 1.0
    assert pair_stats(a + 6, a, cfg)[1] == 1.0  # absolute difference


def test_disabled_gate_measures_but_never_drops() -> None:
    res = pre_gate(_frames(4), PreGateConfig(enabled=False))
    assert not res.dropped
    assert not res.enabled
    assert res.level == 0.0


def test_to_dict_uses_reference_names_and_is_json() -> None:
    pre = pre_gate(_frames(2), PRE).to_dict()
    assert set(pre) == {
        "gate", "enabled", "dropped", "mad", "active_ratio", "mad_thr", "pixel_diff_thr",
        "min_active_ratio",
    }  # fmt: skip
    assert pre["gate"] == "pre_gate"
    mg = motion_gate(np.zeros((3, 4, 2)), MOTION).to_dict()
    assert set(mg) == {
        "gate", "enabled", "dropped", "l2_mean", "active_ratio", "vel_norm_thr",
        "min_active_ratio",
    }  # fmt: skip
    assert mg["dropped"] is True
    json.dumps(pre)
    json.dumps(mg)


@settings(max_examples=40, deadline=None, derandomize=True)
@given(
    st.integers(2, 6),
    st.sampled_from([(128, 150), (100, 90), (200, 256)]),
    st.integers(0, 2**32 - 1),
    st.floats(0.0, 0.5),
)
def test_pair_path_equals_window_path(t: int, hw: tuple[int, int], seed: int, thr: float) -> None:
    rng = np.random.default_rng(seed)
    base = rng.integers(0, 256, hw, dtype=np.uint8)
    frames = [
        np.clip(
            base.astype(int) + rng.integers(-40, 41, hw) * (rng.random(hw) < 0.3), 0, 255
        ).astype(np.uint8)
        for _ in range(t)
    ]
    cfg = PreGateConfig(enabled=True, pixel_diff_thr=thr)
    small = [gate_image(f, cfg) for f in frames]
    stats = [pair_stats(a, b, cfg) for a, b in zip(small[:-1], small[1:], strict=True)]
    by_pairs, whole = gate_from_pairs(stats, cfg), pre_gate(frames, cfg)
    assert by_pairs.level == pytest.approx(whole.level, rel=1e-12, abs=1e-15)
    assert by_pairs.active_ratio == pytest.approx(whole.active_ratio, rel=1e-12, abs=1e-15)
    assert by_pairs.dropped == whole.dropped
    # the reference's definition, computed directly
    g = np.stack(small).astype(np.float64) / 255.0
    d = np.abs(np.diff(g, axis=0))
    assert whole.level == pytest.approx(d.mean(axis=(1, 2)).mean())
    assert whole.active_ratio == pytest.approx((d > thr).mean(axis=(1, 2)).mean())


def test_pre_gate_input_errors() -> None:
    with pytest.raises(ValueError, match="at least 2 frames, got 1"):
        pre_gate(_frames(1), PRE)
    with pytest.raises(ValueError, match="grayscale"):
        pre_gate([np.zeros((8, 8, 3), dtype=np.uint8)] * 2, PRE)
    with pytest.raises(ValueError, match="grayscale"):
        pre_gate([np.zeros((8, 8), dtype=np.float32)] * 2, PRE)
    with pytest.raises(ValueError, match="one size"):
        pre_gate([np.zeros((128, 130), np.uint8), np.zeros((128, 140), np.uint8)], PRE)
    with pytest.raises(ValueError, match="one size"):
        pair_stats(np.zeros((4, 4), np.uint8), np.zeros((4, 5), np.uint8), PRE)
    with pytest.raises(ValueError, match="at least one frame pair"):
        gate_from_pairs([], PRE)


def test_motion_gate_static_and_moving() -> None:
    still = motion_gate(np.zeros((15, 400, 2)), MOTION)
    assert still.dropped and still.kind is GateKind.MOTION
    moving = motion_gate(np.full((15, 400, 2), 0.03), MOTION)
    assert not moving.dropped
    assert moving.level == pytest.approx(0.03 * np.sqrt(2))
    assert moving.active_ratio == 1.0


def test_motion_gate_few_fast_points_are_not_static() -> None:
    vel = np.zeros((10, 100, 2))
    vel[:, :5, 0] = 0.1  # 5 % of point-steps move: mean 0.005 < 0.02 but active 0.05
    res = motion_gate(vel, MOTION)
    assert res.level == pytest.approx(0.005)
    assert res.active_ratio == pytest.approx(0.05)
    assert not res.dropped
    vel[:, 2:5, 0] = 0.0  # 2 % active: static
    assert motion_gate(vel, MOTION).dropped


def test_motion_gate_ignores_invisible_steps() -> None:
    vel = np.zeros((4, 10, 2))
    vel[:, :5, 1] = 0.5
    visible = np.ones((5, 10), dtype=bool)
    visible[2:, 5:] = False  # static points lost from frame 2 on: only their steps 0 count
    res = motion_gate(vel, MOTION, visible=visible)
    assert res.active_ratio == pytest.approx(20 / 25)
    per_step = np.ones((4, 10), dtype=bool)
    per_step[:, :5] = False  # only the static points are measured
    assert motion_gate(vel, MOTION, visible=per_step).dropped
    none = motion_gate(vel, MOTION, visible=np.zeros((4, 10), dtype=bool))
    assert none.dropped and none.level == 0.0
    with pytest.raises(ValueError, match="visible"):
        motion_gate(vel, MOTION, visible=np.ones((3, 10), dtype=bool))
