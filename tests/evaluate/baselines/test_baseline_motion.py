"""Flow energy and HOF windows on generated videos: motion shows, windows match, cache works."""

import json
import sys
from pathlib import Path

import numpy as np
import pytest

from laps.config import load_config
from laps.evaluate.baselines import MotionConfig, motion_features
from laps.evaluate.baselines import extract as extract_mod
from laps.pipeline.run import segment_source

sys.path.insert(0, str(Path(__file__).parents[2]))
from videos import render_motion_video  # noqa: E402

SMALL = {"video": {"resize_shorter": 120}}  # 160x120 frames: a few ms of flow per pair


@pytest.fixture(scope="module")
def feats(motion_video: Path):
    return motion_features(motion_video, MotionConfig.model_validate(SMALL))


def test_flow_energy_is_high_only_while_the_patch_moves(feats):
    t = feats.sample_times[:-1]
    moving = ((t >= 2.1) & (t < 4.9)) | ((t >= 7.1) & (t < 9.9))
    still = (t < 1.9) | ((t > 5.1) & (t < 6.9)) | (t > 10.1)
    assert feats.pair_energy[moving].min() > 20 * feats.pair_energy[still].max()
    assert feats.features.shape == (feats.n_windows, 2 * 2 * 16 + 1)
    assert np.allclose(feats.features[:, :-1].sum(axis=1)[feats.flow_energy > 1e-3], 1.0)


def test_static_video_has_zero_ish_energy(tmp_path: Path):
    video = render_motion_video(tmp_path / "still.mp4", seconds=3.0, active=())
    f = motion_features(video, MotionConfig.model_validate(SMALL))
    assert f.pair_energy.max() < 1e-3 and f.n_windows == (30 - 16) // 4 + 1


def test_windows_match_the_pipeline(feats, motion_video: Path, tmp_path: Path):
    cfg = load_config(None, ["video.resize_shorter=120", "export.clips=false"])
    result = segment_source(str(motion_video), tmp_path, cfg)
    lines = (result.out_dir / "windows.jsonl").read_text().splitlines()
    rows = [json.loads(line) for line in lines]
    assert len(rows) == feats.n_windows
    assert [r["start_s"] for r in rows] == pytest.approx(feats.window_start_s.tolist())
    assert [r["end_s"] for r in rows] == pytest.approx(feats.window_end_s.tolist())
    assert [r["start_sample"] for r in rows] == feats.window_start_sample.tolist()
    ends = [s.end_s for s in result.segments]
    assert max(ends) <= feats.duration_s + 1e-9


def test_cache_is_reused_and_invalidated(motion_video: Path, tmp_path: Path, monkeypatch):
    calls = []
    real = extract_mod.extract_pair_flow

    def counting(video, cfg):
        calls.append(cfg)
        return real(video, cfg)

    monkeypatch.setattr("laps.evaluate.baselines.motion.extract_pair_flow", counting)
    base = {**SMALL, "cache_dir": str(tmp_path)}
    first = motion_features(motion_video, MotionConfig.model_validate(base))
    again = motion_features(motion_video, MotionConfig.model_validate(base))
    assert len(calls) == 1 and not first.from_cache and again.from_cache
    assert np.array_equal(first.features, again.features)
    # window and normalisation are applied after the cache: no recomputation
    other_window = {**base, "window": {"length": 8, "stride": 2}, "flow": {"hof_norm": "l2"}}
    w = motion_features(motion_video, MotionConfig.model_validate(other_window))
    assert len(calls) == 1 and w.n_windows == (120 - 8) // 2 + 1
    # a flow setting changes the key
    binned = motion_features(
        motion_video, MotionConfig.model_validate({**base, "flow": {"hof_bins": 8}})
    )
    assert len(calls) == 2 and not binned.from_cache and binned.features.shape[1] == 4 * 8 + 1
