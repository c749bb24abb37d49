from pathlib import Path

import av
import numpy as np
import pytest

from laps.synth import SynthResult, make_config, render_video

SMALL = {"width": 256, "height": 144}
QUIET = {
    "conveyor": 0.0,
    "distractor": 0.0,
    "flicker": 0.0,
    "drift": 0.0,
    "shake": 0.0,
    "noise": 0.0,
    "motion_blur": 0.0,
    "occlusion": 0.0,
    "crf": 10,
}


def decode(path: Path, limit: int | None = None) -> tuple[list[np.ndarray], np.ndarray]:
    """Decoded BGR frames and their presentation times (s)."""
    frames, times = [], []
    with av.open(str(path)) as c:
        for f in c.decode(video=0):
            frames.append(f.to_ndarray(format="bgr24"))
            times.append(float(f.pts * f.time_base))
            if limit is not None and len(frames) >= limit:
                break
    return frames, np.array(times)


@pytest.fixture(scope="session")
def small_video(tmp_path_factory: pytest.TempPathFactory) -> SynthResult:
    """8 s, 256x144, medium preset, with a preview."""
    cfg = make_config(seed=7, duration_s=8.0, preset="medium", **SMALL)
    return render_video(cfg, tmp_path_factory.mktemp("synth"), preview=True)
