"""End-to-end runs of the streaming pipeline on generated videos."""

import json
from pathlib import Path

import av
import numpy as np
import pytest

from laps.config import load_config
from laps.pipeline.run import segment_source
from laps.segment.functional import HysteresisParams, segment_energy

SETTINGS = ["video.resize_shorter=240", "segment.method=hysteresis"]  # spans of motion
ACTIVE = ((2.0, 5.0), (7.0, 10.0))


@pytest.fixture(scope="module")
def run(motion_video: Path, tmp_path_factory: pytest.TempPathFactory):
    out = tmp_path_factory.mktemp("out")
    cfg = load_config(None, SETTINGS)
    return segment_source(str(motion_video), out, cfg), cfg


def _lines(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text().splitlines()]


def test_every_window_is_accounted_for(run):
    result, cfg = run
    windows = _lines(result.out_dir / "windows.jsonl")
    # 12 s at 10 fps = 120 samples -> windows start every 4 samples while 16 fit.
    assert len(windows) == result.n_windows == (120 - 16) // 4 + 1
    assert [w["window"] for w in windows] == list(range(len(windows)))
    for w in windows:
        assert w["start_sample"] == 4 * w["window"] and w["end_sample"] == w["start_sample"] + 16
        assert w["start_frame"] == 3 * w["start_sample"]  # 30 fps source, exact timestamps
        assert w["start_s"] == pytest.approx(w["start_sample"] / 10)
        assert w["outcome"] in {"ok", "pre_gated", "motion_gated"}
        assert w["budget_s"] == pytest.approx(0.4)
        assert w["t_total_s"] == pytest.approx(w["t_track_s"] + w["t_forward_s"])


def test_segments_match_the_motion(run):
    result, _ = run
    segs = _lines(result.out_dir / "segments.jsonl")
    assert len(segs) == len(ACTIVE)
    for seg, (a, b) in zip(segs, ACTIVE, strict=True):
        assert abs(seg["start_s"] - a) <= 1.0 and abs(seg["end_s"] - b) <= 1.5
        assert seg["start_frame"] == round(seg["start_s"] * 30)
        assert seg["end_frame"] > seg["start_frame"]
    gt_format = json.loads((result.out_dir / "segments.json").read_text())
    assert gt_format["fps"] == 30.0 and gt_format["video"] == "motion.mp4"
    assert [(s["start_sec"], s["end_sec"]) for s in gt_format["segments"]] == [
        (s["start_s"], s["end_s"]) for s in segs
    ]


def test_clips_are_exact_cuts(run):
    result, _ = run
    for seg in _lines(result.out_dir / "segments.jsonl"):
        with av.open(str(result.out_dir / seg["clip"])) as clip:
            stream = clip.streams.video[0]
            frames = list(clip.decode(stream))
            assert len(frames) == seg["end_frame"] - seg["start_frame"]
            assert float(stream.average_rate) == pytest.approx(30.0, rel=0.01)
            assert (frames[0].width, frames[0].height) == (320, 240)


def test_streaming_segments_equal_offline_segmentation(run):
    result, cfg = run
    manifest = json.loads((result.out_dir / "manifest.json").read_text())
    assert manifest["threshold"]["method"] == "otsu"
    energies = [w["energy"] for w in _lines(result.out_dir / "windows.jsonl")]
    params = HysteresisParams.from_config(
        cfg.segment, manifest["threshold"]["value"], cfg.window, cfg.video.target_fps
    )
    spans = segment_energy(np.asarray(energies, dtype=float), params)
    segs = _lines(result.out_dir / "segments.jsonl")
    assert [(s.start_window, s.end_window) for s in spans] == [
        (s["start_window"], s["end_window"]) for s in segs
    ]


def test_summary_files(run):
    result, cfg = run
    perf = json.loads((result.out_dir / "perf_summary.json").read_text())
    for key in (
        "windows_done",
        "wall_time_s",
        "budget_per_window_s",
        "ok_ratio",
        "realized_windows_per_sec",
        "throughput_fps_estimate",
        "t_track_s",
        "t_forward_s",
        "t_total_s",
        "latency_s",
        "gpu_max_mem_allocated_mb",
        "gpu_max_mem_reserved_mb",
        "cpu_max_rss_mb",
        "param_count",
        "decode_time_s",
        "stage_share",
    ):
        assert key in perf, key
    assert perf["windows_done"] == result.n_windows
    assert sum(perf["stage_share"].values()) == pytest.approx(1.0)
    assert set(perf["t_total_s"]) == {"mean", "p50", "p95", "max"}
    assert load_config(result.out_dir / "config.yaml") == cfg
    assert (result.out_dir / "energy.png").stat().st_size > 1000
    assert not list(result.out_dir.parent.glob("*.partial"))


def test_live_replay_paces_frames(tmp_path: Path):
    import sys
    import time

    sys.path.insert(0, str(Path(__file__).parents[1]))
    from videos import render_motion_video

    video = render_motion_video(tmp_path / "short.mp4", seconds=3.0, active=((1.0, 2.0),))
    cfg = load_config(None, [*SETTINGS, "export.clips=false"])
    t0 = time.monotonic()
    result = segment_source(str(video), tmp_path / "out", cfg, live=True)
    assert time.monotonic() - t0 >= 2.5  # frames arrive at their real rate
    assert result.info.live
    assert result.threshold.method == "warmup"
    perf = result.perf
    assert perf["ok_ratio"] == 1.0
    assert perf["latency_s"]["p95"] < 0.2
