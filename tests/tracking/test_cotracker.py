"""The cotracker backend on the stand-in hub: loading errors, the online mapping onto windows,
re-seeding, and the per-window mode."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
import torch

from laps.errors import ConfigError, TrackerError
from laps.tracking import grid_points, make_tracker
from laps.tracking.cotracker import CoTrackerTracker
from laps.types import Frame
from laps.window.builder import WindowBuilder
from laps.window.config import WindowConfig

from .conftest import STANDIN_HUB, cotracker_config
from .synthetic import HEIGHT, WIDTH, AffineSequence


def _tracker(files: tuple[Path, Path], **fields: object) -> CoTrackerTracker:
    tracker = make_tracker(cotracker_config(files, **fields))
    assert isinstance(tracker, CoTrackerTracker)
    return tracker


def _windows(tracker: CoTrackerTracker, seq: AffineSequence, length: int = 16, stride: int = 4):
    builder = WindowBuilder(tracker, WindowConfig(length=length, stride=stride), grid_size=20)
    out = []
    for k, image in enumerate(seq.frames):
        out += [tw.window for tw in builder.update(Frame(k, k, k / 10.0, image, 0.0))]
    return out


def test_missing_repo_and_checkpoint_name_what_to_get(cotracker_files, tmp_path):
    repo, checkpoint = cotracker_files
    with pytest.raises(ConfigError, match=r"expected a local clone.*got nothing.*git clone"):
        _tracker((None, checkpoint))  # type: ignore[arg-type]
    with pytest.raises(ConfigError, match=r"no hubconf.py there.*--cotracker-repo"):
        _tracker((tmp_path, checkpoint))
    with pytest.raises(ConfigError, match=r"weights file, got nothing.*scaled_online.pth"):
        _tracker((repo, None))  # type: ignore[arg-type]
    with pytest.raises(ConfigError, match=r"no such file.*--cotracker-checkpoint"):
        _tracker((repo, tmp_path / "absent.pth"))


def test_bad_checkpoints_are_config_errors(cotracker_files, tmp_path):
    repo, _ = cotracker_files
    garbage = tmp_path / "garbage.pth"
    garbage.write_bytes(b"not a torch file")
    with pytest.raises(ConfigError, match="cannot be read"):
        _tracker((repo, garbage))
    wrong = tmp_path / "wrong.pth"
    torch.save({"other.weight": torch.zeros(3)}, wrong)
    with pytest.raises(ConfigError, match="do not fit the model"):
        _tracker((repo, wrong))
    listed = tmp_path / "list.pth"
    torch.save([1, 2], listed)
    with pytest.raises(ConfigError, match="expected a state dict"):
        _tracker((repo, listed))
    wrapped = tmp_path / "wrapped.pth"  # a training checkpoint: weights under "model"
    torch.save({"model": {"gain": torch.full((4,), 2.0)}, "step": 3}, wrapped)
    assert float(_tracker((repo, wrapped)).model.predictor.model.gain[0].detach()) == 2.0


def test_a_failing_hub_entry_is_a_tracker_error(cotracker_files, tmp_path):
    (tmp_path / "hubconf.py").write_text("def other(**kw):\n    return None\n")
    with pytest.raises(TrackerError, match=r"torch.hub.load.*cotracker3_online.*git clone"):
        _tracker((tmp_path, cotracker_files[1]))


def test_online_mode_steps_natively_and_fills_every_window(cotracker_files, make_sequence):
    seq = make_sequence("translate", n_steps=39)  # 40 frames: 7 windows of 16, stride 4
    tracker = _tracker(cotracker_files)
    windows = _windows(tracker, seq)
    assert [w.index for w in windows] == list(range(7))
    lengths = tracker.model.predictor.model.chunk_lengths
    # Steps at frames 15, 23, 31, 39 see whole windows; windows ending at frames 19, 27, 35
    # (between two steps) cost one peek each, of 12 frames.
    assert lengths == [16, 12, 16, 12, 16, 12, 16]
    grid = grid_points(WIDTH, HEIGHT, 20)
    for w in windows:
        start = int(w.samples[0])
        truth = np.stack([seq.truth(grid, 0, k) for k in w.samples])  # the carried grid
        ok = w.visible & (truth[..., 0] < WIDTH - 9)
        assert np.median(np.linalg.norm(w.tracks - truth, axis=-1)[ok]) < 0.6, start
        assert w.visible[0].mean() > 0.7
        np.testing.assert_allclose(
            np.median(w.velocities[w.visible[1:]], axis=0),
            np.array([2.5, -1.5]) / (HEIGHT / 2),
            atol=0.003,
        )


def test_reading_every_frame_gives_the_same_track(cotracker_files, make_sequence):
    seq = make_sequence("translate", n_steps=21)
    seeds = grid_points(WIDTH, HEIGHT, 8)
    once, often = _tracker(cotracker_files), _tracker(cotracker_files)
    for k, frame in enumerate(seq.frames):
        for tracker in (once, often):
            tracker.advance(frame)
            if k == 2:
                tracker.seed(0, seeds)
        if k >= 2:
            often.positions(0)  # a peek between steps must not disturb the model's state
    for a, b in zip(once.track(0), often.track(0), strict=True):
        np.testing.assert_array_equal(a, b)


def test_lost_points_are_reseeded_at_their_cell(cotracker_files, make_sequence):
    seq = make_sequence("translate", n_steps=47, shift=(4.0, 0.0))
    tracker = _tracker(cotracker_files, reseed_lost_fraction=0.0)
    windows = _windows(tracker, seq)
    grid = grid_points(WIDTH, HEIGHT, 20)
    assert tracker._grid is not None and tracker._grid.n_reseeds >= 1
    last = windows[-1]
    # Without re-seeding the right-hand columns would be long gone by now.
    assert last.visible[0].mean() > 0.6
    lost_early = ~windows[0].visible[-1]
    assert lost_early.any()
    assert last.visible[0][lost_early].any()
    assert np.isin(last.tracks[0][:, 0], grid[:, 0]).any()  # some start again at their cell


def test_online_mode_carries_one_grid(cotracker_files, make_sequence):
    seq = make_sequence("still", n_steps=2)
    tracker = _tracker(cotracker_files)
    tracker.advance(seq.frames[0])
    tracker.seed(0, grid_points(WIDTH, HEIGHT, 4))
    with pytest.raises(TrackerError, match="carries one grid"):
        tracker.seed(1, grid_points(WIDTH, HEIGHT, 5))
    tracker.release(0)
    tracker.seed(1, grid_points(WIDTH, HEIGHT, 5))  # alone: a new grid is fine
    assert tracker.positions(1)[0].shape == (25, 2)


def test_per_window_mode_tracks_each_window_from_its_grid(cotracker_files, make_sequence):
    seq = make_sequence("translate", n_steps=27)
    tracker = _tracker(cotracker_files, mode="per-window")
    windows = _windows(tracker, seq)
    grid = grid_points(WIDTH, HEIGHT, 20)
    assert len(windows) == 4
    assert tracker.model.predictor.model.chunk_lengths == [16] * 4  # one call per window
    for w in windows:
        np.testing.assert_array_equal(w.tracks[0], grid)
        start = int(w.samples[0])
        truth = np.stack([seq.truth(grid, start, k) for k in w.samples])
        ok = w.visible
        assert np.median(np.linalg.norm(w.tracks - truth, axis=-1)[ok]) < 0.6


def test_per_window_mode_runs_longer_windows_in_steps(cotracker_files, make_sequence):
    seq = make_sequence("translate", n_steps=29)
    tracker = _tracker(cotracker_files, mode="per-window")
    windows = _windows(tracker, seq, length=30, stride=30)
    assert tracker.model.predictor.model.chunk_lengths == [16, 16, 14]
    grid = grid_points(WIDTH, HEIGHT, 20)
    truth = np.stack([seq.truth(grid, 0, k) for k in range(30)])
    err = np.linalg.norm(windows[0].tracks - truth, axis=-1)[windows[0].visible]
    assert np.median(err) < 0.6


def test_the_default_pipeline_does_not_import_torch():
    code = (
        "import sys; from laps.pipeline.run import segment_source; "
        "from laps.tracking import make_tracker, TrackingConfig; "
        "make_tracker(TrackingConfig()); assert 'torch' not in sys.modules, 'torch imported'"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_the_standin_refuses_frames_in_0_1(cotracker_files):
    predictor = torch.hub.load(
        str(STANDIN_HUB.parent), "cotracker3_online", source="local", pretrained=False
    )
    video = torch.rand(1, 4, 3, 32, 32)
    predictor(video[:, :1], is_first_step=True, queries=torch.zeros(1, 2, 3))
    with pytest.raises(AssertionError, match=r"\[0, 255\]"):
        predictor(video)
