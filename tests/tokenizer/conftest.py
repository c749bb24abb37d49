"""Tiny window datasets (in memory, real :class:`WindowDataset`) and a tiny model config."""

from collections.abc import Iterator

import numpy as np
import pytest
import torch

from laps.tokenizer.config import LossConfig, TokenizerConfig, TrainConfig
from laps.tokenizer.dataset import WindowDataset

T, GRID = 6, 4
N = GRID * GRID
SCALE_PX = 160.0  # resize_shorter 320 / 2
PX_PER_BIN = 3.0


def tiny_config(**over: object) -> TokenizerConfig:
    """A model small enough to train in a second on a CPU."""
    fields: dict[str, object] = {
        "d_model": 32,
        "n_layers": 1,
        "n_heads": 2,
        "n_decoder_layers": 1,
        "decoder_mlp_hidden": 32,
        "fsq_levels": (8, 5, 5),
        "num_points": N,
        "window_length": T,
        "dropout": 0.0,
        "loss": LossConfig(velocity_scale_px=SCALE_PX, cls_px_per_bin=PX_PER_BIN),
    }
    fields.update(over)
    return TokenizerConfig(**fields)  # type: ignore[arg-type]


def tiny_train_config(**over: object) -> TrainConfig:
    fields: dict[str, object] = {
        "epochs": 2,
        "batch_size": 8,
        "lr": 3e-3,
        "device": "cpu",
        "val_fraction": 0.34,
        "seed": 0,
    }
    fields.update(over)
    return TrainConfig(**fields)  # type: ignore[arg-type]


def meta() -> dict[str, object]:
    return {
        "window_length": T,
        "n_tokens": T - 1,
        "n_points": N,
        "grid_size": GRID,
        "stride": 2,
        "target_fps": 10.0,
        "resize_shorter": 320,
        "velocity_scale_rule": "min(W, H) / 2 of the processing frame",
        "tracker": "dis",
    }


def make_dataset(n_videos: int, per_video: int, seed: int = 0) -> WindowDataset:
    """Windows of a few motion primitives: groups of points moving by whole class bins.

    Each window picks one of four primitives (still, right, down-left, a sweep that turns);
    a random quarter of the points move, the rest stay; 10% of points are lost mid-window.
    """
    rng = np.random.default_rng(seed)
    m = n_videos * per_video
    steps = np.zeros((4, T - 1, 2))
    steps[1] = (3, 0)
    steps[2] = (-2, 4)
    steps[3, :, 0] = np.linspace(5, -5, T - 1)
    steps[3, :, 1] = 2
    kind = rng.integers(0, 4, m)
    moving = rng.random((m, N)) < 0.5
    bins = steps[kind][:, :, None, :] * moving[:, None, :, None]  # (M, L, N, 2)
    vel = (bins * PX_PER_BIN / SCALE_PX).astype(np.float32)
    vis = np.ones((m, T, N), bool)
    lost = rng.random((m, N)) < 0.1
    vis[:, T // 2 :, :] &= ~lost[:, None, :]
    vel[:, T // 2 - 1 :, :, :] *= ~lost[:, None, :, None]
    video_of = np.repeat(np.arange(n_videos), per_video)
    return WindowDataset(vel, vis, video_of, [f"v{i}" for i in range(n_videos)], meta())


@pytest.fixture
def tiny_dataset() -> WindowDataset:
    """3 videos x 12 windows."""
    return make_dataset(3, 12)


@pytest.fixture(autouse=True)
def _seeded_single_thread() -> Iterator[None]:
    """Seeded; one intra-op thread: tiny ops gain nothing from two, and on a shared
    2-core machine waiting OpenMP threads made these tests up to 50x slower."""
    torch.manual_seed(0)
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(threads)
