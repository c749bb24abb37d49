"""Four short videos with different motion, and a config that segments them quickly."""

from __future__ import annotations

from pathlib import Path

import pytest

from laps.config import PipelineConfig, load_config
from videos import render_motion_video

ACTIVE = (((0.5, 2.0),), ((1.0, 2.5), (3.0, 3.5)), ((0.0, 1.5), (2.5, 4.0)), ((2.0, 3.5),))


@pytest.fixture(scope="session")
def four_videos(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder of four 4 s, 160x120 videos (``v0.mp4`` .. ``v3.mp4``)."""
    folder = tmp_path_factory.mktemp("batch") / "videos"
    folder.mkdir()
    for i, active in enumerate(ACTIVE):
        render_motion_video(
            folder / f"v{i}.mp4", seconds=4.0, size_wh=(160, 120), patch_px=48,
            active=active, seed=i,
        )  # fmt: skip
    return folder


@pytest.fixture
def fast_cfg() -> PipelineConfig:
    """Small frames, no clips: a 4 s video segments in well under a second."""
    return load_config(None, ["video.resize_shorter=120", "export.clips=false"])
