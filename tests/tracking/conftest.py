"""Fixtures of the tracker tests."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from laps.tracking.config import CoTrackerConfig, TrackingConfig

from .synthetic import AffineSequence, affine_sequence, step_matrix


@pytest.fixture
def make_sequence() -> Callable[..., AffineSequence]:
    """Factory: ``make_sequence(kind, n_steps, shift=(2.5, -1.5), seed=0)``."""

    def make(
        kind: str, n_steps: int = 8, shift: tuple[float, float] = (2.5, -1.5), seed: int = 0
    ) -> AffineSequence:
        return affine_sequence(step_matrix(kind, shift), n_steps, seed)

    return make


STANDIN_HUB = Path(__file__).parent / "standin_hub" / "hubconf.py"


@pytest.fixture(scope="session")
def cotracker_files(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """(repo, checkpoint): the stand-in hub copied into a tmp folder, and weights for it."""
    import torch

    repo = tmp_path_factory.mktemp("co-tracker")
    shutil.copy(STANDIN_HUB, repo / "hubconf.py")
    model = torch.hub.load(str(repo), "cotracker3_online", source="local", pretrained=False)
    checkpoint = repo / "scaled_online.pth"
    torch.save(model.model.state_dict(), checkpoint)
    return repo, checkpoint


def cotracker_config(files: tuple[Path, Path], **fields: Any) -> TrackingConfig:
    """A cpu cotracker config on the stand-in; ``mode`` and other cotracker keys in fields."""
    repo, checkpoint = files
    sub = {"repo": repo, "checkpoint": checkpoint, "device": "cpu"}
    sub.update({k: fields.pop(k) for k in list(fields) if k in CoTrackerConfig.model_fields})
    return TrackingConfig(backend="cotracker", cotracker=CoTrackerConfig(**sub), **fields)
