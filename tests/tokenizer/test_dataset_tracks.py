"""``laps tracks`` on small generated videos: the dataset equals what WindowBuilder yields."""

import json
import logging
import shutil
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
import typer
from typer.testing import CliRunner

from laps.cli.tracks import TracksProgress, tracks
from laps.config import load_config
from laps.tokenizer.dataset import open_dataset
from laps.tracking.registry import make_tracker
from laps.video.sources import open_source
from laps.window.builder import WindowBuilder
from videos import render_motion_video

runner = CliRunner()
app = typer.Typer()
app.command()(tracks)
BASE = ["--set", "video.resize_shorter=240"]
CFG = load_config(None, ["video.resize_shorter=240"], window__stride=2)


@pytest.fixture(autouse=True)
def _restore_logging():
    """The command points the 'laps' logger at the runner's stream, closed after invoke."""
    log = logging.getLogger("laps")
    saved = (log.handlers[:], log.level, log.propagate)
    yield
    log.handlers[:], log.level, log.propagate = saved[0], saved[1], saved[2]


def _tracks(*args: str):
    return runner.invoke(app, [*args, *BASE])


def _errors(result) -> list[str]:
    return [line for line in result.output.splitlines() if line.startswith("error:")]


def _manifest(root: Path) -> dict:
    return json.loads((root / "dataset.json").read_text())


@pytest.fixture(scope="module")
def clips(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("clips")
    return {
        "a": render_motion_video(folder / "a.mp4", seconds=5.0, active=((1.0, 3.5),)),
        "b": render_motion_video(folder / "b.mp4", seconds=4.0, active=((0.5, 2.5),), seed=3),
    }


@pytest.fixture(scope="module")
def built(clips: dict[str, Path], tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("ds") / "windows"
    result = _tracks(str(clips["a"]), str(clips["b"]), "--out", str(root))
    assert result.exit_code == 0, result.output
    return root


def _builder_windows(video: Path) -> list:
    builder = WindowBuilder(make_tracker(CFG.tracking), CFG.window, CFG.tracking.grid_size)
    out = []
    with open_source(str(video), CFG.video, live=False) as source:
        for frame in source.frames():
            out.extend(tw.window for tw in builder.update(frame))
    return out


def test_manifest_and_shards(built: Path, clips: dict[str, Path]):
    m = _manifest(built)
    assert m["schema_version"] == 1
    assert m["config"]["window"]["stride"] == 2 and m["meta"]["stride"] == 2
    assert m["config"]["video"]["resize_shorter"] == 240
    meta = m["meta"]
    assert (meta["window_length"], meta["n_points"], meta["grid_size"]) == (16, 400, 20)
    assert meta["velocity_scale_rule"] == "min(W, H) / 2 of the processing frame"
    assert meta["point_order"] == "row-major (x fastest)" and meta["tracker"] == "dis"
    assert [v["id"] for v in m["videos"]] == ["a", "b"]
    for v in m["videos"]:
        assert v["status"] == "done" and v["reason"] is None
        assert v["source"] == str(clips[v["id"]].resolve())
        assert v["frame_size_wh"] == [320, 240] and v["velocity_scale_px"] == 120.0
        assert v["shards"] == [f"shards/{v['id']}/part-00000.parquet"]
        schema = pq.read_schema(built / v["shards"][0])
        assert schema.field("velocities").type == pa.list_(pa.float32(), 15 * 400 * 2)
        assert schema.field("visible").type == pa.list_(pa.bool_(), 16 * 400)
        assert pq.ParquetFile(built / v["shards"][0]).metadata.num_rows == v["n_windows"]
    assert not list((built / "shards").glob("*.partial"))


def test_windows_are_exactly_window_builder_windows(built: Path, clips: dict[str, Path]):
    ds = open_dataset(built)
    for v, name in enumerate(ds.videos):
        want = _builder_windows(clips[name])
        rows = np.flatnonzero(ds.video_of == v)
        assert len(rows) == len(want) == _manifest(built)["videos"][v]["n_windows"]
        assert len(want) == (int(5.0 * 10) - 16) // 2 + 1 if name == "a" else True
        for row, w in zip(rows, want, strict=True):
            np.testing.assert_array_equal(ds.velocities[row], w.velocities)
            np.testing.assert_array_equal(ds.visible[row], w.visible)
            assert ds.window_info["window"][row] == w.index
            assert ds.window_info["start_frame"][row] == w.frame_indices[0]
            assert ds.window_info["end_frame"][row] == w.frame_indices[-1] + 1
            assert ds.window_info["start_s"][row] == w.times_s[0]
            assert ds.window_info["end_s"][row] == w.times_s[-1]
    assert np.abs(ds.velocities).max() > 0.01  # the patch moves
    assert ds.visible.mean() > 0.5


def test_open_dataset_on_built(built: Path):
    ds = open_dataset(built)
    s = ds.summary()
    m = _manifest(built)
    assert s["n_videos"] == 2 and s["meta"] == m["meta"]
    assert s["videos"] == {v["id"]: v["n_windows"] for v in m["videos"]}
    train, val = ds.split_by_video(0.5, seed=0)
    assert {len(set(train.video_of)), len(set(val.video_of))} == {1}
    assert set(train.video_of) != set(val.video_of)


def test_resume_skips_done_and_redoes_partial(built: Path, clips, tmp_path: Path):
    root = tmp_path / "ds"
    shutil.copytree(built, root)
    m = _manifest(root)
    shard_a, shard_b = (root / v["shards"][0] for v in m["videos"])
    stamp_a, bytes_b = shard_a.stat().st_mtime_ns, shard_b.read_bytes()
    m["videos"][1]["status"] = "pending"  # as if interrupted while b was being tracked
    (root / "dataset.json").write_text(json.dumps(m))
    shard_b.unlink()
    (root / "shards" / "b.partial").mkdir()
    (root / "shards" / "b.partial" / "part-00000.parquet").write_bytes(b"half")
    result = _tracks(str(clips["a"]), str(clips["b"]), "--out", str(root))
    assert result.exit_code == 0, result.output
    assert "a: already done (" in result.output and "b: " in result.output
    assert shard_a.stat().st_mtime_ns == stamp_a
    assert shard_b.read_bytes() == bytes_b
    assert not (root / "shards" / "b.partial").exists()
    assert [v["status"] for v in _manifest(root)["videos"]] == ["done", "done"]
    shard_a.write_bytes(shard_a.read_bytes()[:200])  # damaged: redone, not skipped
    result = _tracks(str(clips["a"]), "--out", str(root))
    assert result.exit_code == 0, result.output
    assert "already done" not in result.output
    assert len(open_dataset(root)) == sum(v["n_windows"] for v in m["videos"])


def test_other_settings_are_a_mixed_configuration(built: Path, clips, tmp_path: Path):
    root = tmp_path / "ds"
    shutil.copytree(built, root)
    before = (root / "dataset.json").read_text()
    cases = (
        (["--set", "tracking.grid_size=10"], "tracking.grid_size: dataset 20, this run 10"),
        (["--stride", "4"], "window.stride: dataset 2, this run 4"),
    )
    for extra, diff in cases:
        result = runner.invoke(app, [str(clips["a"]), "--out", str(root), *BASE, *extra])
        assert result.exit_code == 2, result.output
        (line,) = _errors(result)
        assert "mixed-configuration dataset" in line and diff in line
        assert "use a new --out or the same config" in line
    assert (root / "dataset.json").read_text() == before
    # keys that do not change the windows may differ
    result = _tracks(str(clips["a"]), "--out", str(root), "--set", "energy.alpha=0.5")
    assert result.exit_code == 0, result.output


def test_bad_videos_are_reported_and_the_rest_done(clips, tmp_path: Path):
    junk = tmp_path / "junk.mp4"
    junk.write_text("not a video\n" * 50)
    short = render_motion_video(tmp_path / "short.mp4", seconds=1.0, active=())
    missing = tmp_path / "missing.mp4"
    root = tmp_path / "ds"
    result = _tracks(str(junk), str(missing), str(clips["b"]), str(short), "--out", str(root))
    assert result.exit_code == 2, result.output
    errors = _errors(result)
    assert len(errors) == 3, result.output
    assert any("junk.mp4" in e for e in errors) and any("missing.mp4" in e for e in errors)
    assert any("one window needs window.length=16" in e for e in errors)
    assert "3 of 4 videos failed" in result.output
    status = {v["id"]: (v["status"], v.get("reason")) for v in _manifest(root)["videos"]}
    assert status["b"] == ("done", None)
    assert status["junk"][0] == status["short"][0] == "failed"
    assert "junk.mp4" in status["junk"][1]
    assert open_dataset(root).videos == ["b"]


def test_only_bad_videos_give_an_empty_dataset(tmp_path: Path):
    junk = tmp_path / "junk.mp4"
    junk.write_text("not a video\n" * 50)
    result = _tracks(str(junk), "--out", str(tmp_path / "ds"))
    assert result.exit_code == 2 and len(_errors(result)) == 1
    with pytest.raises(Exception, match="empty dataset: .*run laps tracks first"):
        open_dataset(tmp_path / "ds")


def test_two_workers_write_the_same_shards(built: Path, clips, tmp_path: Path):
    root = tmp_path / "ds"
    result = _tracks(str(clips["a"]), str(clips["b"]), "--out", str(root), "--workers", "2")
    assert result.exit_code == 0, result.output
    one, two = _manifest(built), _manifest(root)
    assert [v["id"] for v in two["videos"]] == [v["id"] for v in one["videos"]]
    for v1, v2 in zip(one["videos"], two["videos"], strict=True):
        assert v1["n_windows"] == v2["n_windows"] and v1["shards"] == v2["shards"]
        for rel in v1["shards"]:
            assert pq.read_table(built / rel).equals(pq.read_table(root / rel))


def test_bad_workers_and_stride_values(clips, tmp_path: Path):
    for extra, fragment in ((["--workers", "0"], "--workers"), (["--stride", "17"], "stride")):
        result = runner.invoke(app, [str(clips["b"]), "--out", str(tmp_path / "ds"), *extra])
        assert result.exit_code == 2, result.output
        (line,) = _errors(result)
        assert fragment in line


def test_progress_renders_without_errors(capsys):
    progress = TracksProgress(enabled=True)
    progress.planned(2)
    progress.started("a", 10)
    progress.windows("a", 5)
    progress.windows("gone", 1)  # late event of a finished video
    progress.finished({"id": "a", "status": "done", "n_windows": 10, "shards": ["x"]})
    progress.finished({"id": "b", "status": "failed", "reason": "broken"})
    progress.stop()
    captured = capsys.readouterr()
    assert "a: 10 windows in 1 shard(s)" in captured.out
    assert "error: broken" in captured.err


def test_ids_are_stable_and_unique(tmp_path: Path):
    from laps.tokenizer.build import plan_jobs
    from laps.tokenizer.extract import source_key

    (tmp_path / "x").mkdir()
    specs = [str(tmp_path / "a.mp4"), str(tmp_path / "x" / "a.mp4"), str(tmp_path / "a.mp4")]
    jobs = plan_jobs(specs, [])
    assert [j.video_id for j in jobs] == ["a", "a_2"]  # the repeated path is one job
    old = [{"id": "a", "source": str((tmp_path / "x" / "a.mp4").resolve()), "status": "done"}]
    jobs = plan_jobs([str(tmp_path / "a.mp4"), str(tmp_path / "x" / "a.mp4")], old)
    assert [j.video_id for j in jobs] == ["a_2", "a"]  # a known source keeps its id
    assert [j.video_id for j in plan_jobs(["/v/clip.partial.mp4"], [])] == ["clip_partial"]
    assert source_key("rtsp://user:pw@cam.local/live?token=abc") == (
        "rtsp://***@cam.local/live?token=***"
    )
