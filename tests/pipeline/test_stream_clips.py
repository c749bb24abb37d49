"""A non-file source (HTTP on loopback) gets clips from the frames kept in memory."""

import av
import pytest

from laps.config import load_config
from laps.export.frame_store import FrameStore
from laps.pipeline.run import segment_source
from laps.types import Frame
from videos import render_motion_video


@pytest.mark.network
def test_stream_source_writes_clips_from_kept_frames(http_root):
    root, base = http_root
    render_motion_video(root / "cam.ts", seconds=6.0, active=((1.5, 4.0),))
    cfg = load_config(None, ["video.resize_shorter=240", "segment.method=hysteresis"])
    result = segment_source(f"{base}/cam.ts", root / "out", cfg, live=False)
    assert result.info.kind == "stream"
    assert len(result.segments) == 1
    seg = result.segments[0]
    with av.open(str(result.out_dir / "clips" / f"{seg.id:06d}.mp4")) as clip:
        stream = clip.streams.video[0]
        frames = list(clip.decode(stream))
        duration = float(stream.duration * stream.time_base)
    assert len(frames) == seg.end_sample - seg.start_sample  # the sampled frames, 10 fps
    assert (frames[0].width, frames[0].height) == (320, 240)  # source resolution
    assert duration == pytest.approx(seg.end_s - seg.start_s, abs=0.05)  # real time


def test_frame_store_prunes_and_takes():
    import numpy as np

    store = FrameStore(quality=80)
    rgb = np.zeros((8, 8, 3), np.uint8)
    gray = np.zeros((8, 8), np.uint8)
    for k in range(10):
        store.add(Frame(sample=k, index=3 * k, time_s=k / 10, image=gray, arrival_s=0, color=rgb))
    store.prune(4)
    assert len(store) == 6
    assert [t for _, t in store.take(5, 7)] == [0.5, 0.6]
    with pytest.raises(Exception, match="keep_color"):
        store.add(Frame(sample=10, index=30, time_s=1.0, image=gray, arrival_s=0))
