"""A small real run folder for the report tests: two videos, ground truth, a cluster folder.

- ``clips``: hysteresis segmenter, clips on (two segments), its run folder renamed to a
  hostile name (quotes, markup, ``#``, ``%``, non-ASCII) to test escaping and URL quoting;
- ``HOSTILE_VIDEO``: change segmenter, no clips, a source file name full of markup.
"""

from __future__ import annotations

import json
import shutil
from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np
import pytest

from laps.config import load_config
from laps.pipeline.run import segment_source

HOSTILE_DIR = 'cl"ip <i>ü #1 %20'
HOSTILE_VIDEO = 'we\'ird "<b>bold" & ünï.mp4'  # no '/': a file name
HOSTILE_MEMBER = "<script>alert(1)</script>"
TRUTH = ((2.0, 5.0), (7.0, 10.0))
BASE = ["video.resize_shorter=240"]


@dataclass(frozen=True)
class RunFixture:
    out: Path  # laps segment output folder
    gt: Path  # ground-truth folder
    clusters: Path  # a laps cluster-like folder


def _gt(path: Path, video: str) -> None:
    segments = [{"start_sec": a, "end_sec": b, "label": "move"} for a, b in TRUTH]
    doc = {"video": video, "segments": segments, "fps": 30.0, "video_duration_sec": 12.0}
    path.write_text(json.dumps(doc), encoding="utf-8")


def _clusters(folder: Path) -> None:
    folder.mkdir()
    cv2.imwrite(str(folder / "map.png"), np.full((60, 80, 3), 200, np.uint8))
    doc = {
        "k": 2,
        "metrics": {"silhouette": 0.41, "davies_bouldin": [1]},
        "params": {"embedding": "mean"},
        "clusters": [
            {"id": 0, "size": 2, "representatives": [{"video": HOSTILE_DIR, "segment_id": 0}]},
            {
                "id": 1,
                "size": 1,
                "representatives": [
                    {"video": HOSTILE_DIR, "segment": 1, "clip": "clips/000001.mp4"},
                    {"video": HOSTILE_MEMBER, "segment": 3},
                ],
            },
            "not a cluster",
        ],
    }
    (folder / "clusters.json").write_text(json.dumps(doc), encoding="utf-8")


@pytest.fixture(scope="session")
def report_run(motion_video: Path, tmp_path_factory: pytest.TempPathFactory) -> RunFixture:
    root = tmp_path_factory.mktemp("report")
    videos, out, gt = root / "videos", root / "out", root / "gt"
    for d in (videos, gt):
        d.mkdir()
    shutil.copy(motion_video, videos / "clipped.mp4")
    shutil.copy(motion_video, videos / HOSTILE_VIDEO)
    hyst = load_config(None, [*BASE, "segment.method=hysteresis"])
    result = segment_source(str(videos / "clipped.mp4"), out, hyst)
    result.out_dir.rename(out / HOSTILE_DIR)
    change = load_config(None, [*BASE, "segment.method=change", "export.clips=false"])
    segment_source(str(videos / HOSTILE_VIDEO), out, change)
    _gt(gt / "clipped.json", "clipped.mp4")
    _gt(gt / "hostile.json", HOSTILE_VIDEO)
    _clusters(root / "clusters")
    return RunFixture(out, gt, root / "clusters")
