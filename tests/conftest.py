import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from videos import render_motion_video  # noqa: E402


@pytest.fixture(scope="session")
def motion_video(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """12 s, 320x240, 30 fps; a patch moves during [2, 5) and [7, 10) seconds."""
    return render_motion_video(tmp_path_factory.mktemp("videos") / "motion.mp4")
