"""The real CoTracker3-online on a GPU, both modes, through WindowBuilder.

Runs when ``LAPS_COTRACKER_REPO`` points at a clone of facebookresearch/co-tracker (or any
folder whose hubconf.py builds it); ``LAPS_COTRACKER_CHECKPOINT`` is optional: without it the
model's random initialisation is saved and loaded (shapes and plumbing only, not accuracy).
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pytest
import torch

from laps.tracking import make_tracker
from laps.types import Frame
from laps.window.builder import WindowBuilder
from laps.window.config import WindowConfig

from .conftest import cotracker_config

REPO = os.environ.get("LAPS_COTRACKER_REPO")

pytestmark = [
    pytest.mark.gpu,
    pytest.mark.skipif(not torch.cuda.is_available(), reason="needs a CUDA GPU"),
    pytest.mark.skipif(not REPO, reason="set LAPS_COTRACKER_REPO to a co-tracker clone"),
]


@pytest.fixture(scope="module")
def real_files(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    assert REPO is not None
    given = os.environ.get("LAPS_COTRACKER_CHECKPOINT")
    if given:
        return Path(REPO), Path(given)
    model = torch.hub.load(REPO, "cotracker3_online", source="local", pretrained=False)
    path = tmp_path_factory.mktemp("weights") / "random_online.pth"
    torch.save(getattr(model, "model", model).state_dict(), path)
    return Path(REPO), path


@pytest.mark.parametrize("mode", ["online", "per-window"])
def test_real_model_fills_windows(real_files, make_sequence, mode):
    seq = make_sequence("translate", n_steps=27)
    tracker = make_tracker(cotracker_config(real_files, mode=mode, device="cuda"))
    builder = WindowBuilder(tracker, WindowConfig(length=16, stride=4), grid_size=20)
    windows = []
    for k, image in enumerate(seq.frames):
        windows += [tw.window for tw in builder.update(Frame(k, k, k / 10.0, image, 0.0))]
    assert [w.index for w in windows] == [0, 1, 2, 3]
    for w in windows:
        assert w.tracks.shape == (16, 400, 2) and w.visible.shape == (16, 400)
        assert np.isfinite(w.tracks).all()  # random weights: where points go is arbitrary
        assert not (w.visible[1:] & ~w.visible[:-1]).any()
