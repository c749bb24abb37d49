"""Batch inputs, output names that survive reruns, and the completion ledger."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from laps.config import PipelineConfig
from laps.errors import ConfigError
from laps.scale import BatchOptions, read_source_list, run_batch
from laps.scale.inputs import batch_sources
from laps.scale.ledger import Ledger
from laps.scale.plan import fingerprint, plan_items, source_key


def test_source_list_skips_comments_and_resolves_relative_paths(tmp_path: Path) -> None:
    listing = tmp_path / "lists" / "batch.txt"
    listing.parent.mkdir()
    listing.write_text("# videos\n\n  ../v/a.mp4  \n/abs/b.mp4\nrtsp://u:p@cam/x\n")
    assert read_source_list(listing) == [
        str(tmp_path / "lists" / "../v/a.mp4"),
        "/abs/b.mp4",
        "rtsp://u:p@cam/x",
    ]


@pytest.mark.parametrize("text", ["", "# only a comment\n\n"])
def test_empty_source_list_is_an_error(tmp_path: Path, text: str) -> None:
    listing = tmp_path / "l.txt"
    listing.write_text(text)
    with pytest.raises(ConfigError, match="holds no source"):
        read_source_list(listing)


def test_unreadable_source_list(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="cannot read source list"):
        read_source_list(tmp_path / "missing.txt")
    (tmp_path / "bin.txt").write_bytes(b"\xff\xfe\x00bad")
    with pytest.raises(ConfigError, match="UTF-8"):
        read_source_list(tmp_path / "bin.txt")


def test_listed_missing_file_is_kept_to_fail_alone(tmp_path: Path, four_videos: Path, fast_cfg):
    listing = tmp_path / "l.txt"
    listing.write_text(f"{four_videos}\n{tmp_path / 'gone.mp4'}\n")
    specs = batch_sources([], [listing], fast_cfg.video)
    assert len(specs) == 5 and specs[-1].endswith("gone.mp4")
    with pytest.raises(ConfigError, match="no sources"):
        batch_sources([], [], fast_cfg.video)


def test_names_are_unique_and_stable_when_inputs_are_added(tmp_path: Path) -> None:
    a, b = tmp_path / "x" / "cam.mp4", tmp_path / "y" / "cam.mp4"
    first = plan_items([str(a)], {})
    known = {i.key: i.name for i in first}
    second = plan_items([str(b), str(a), str(a)], known)
    assert [i.name for i in second] == ["cam_2", "cam"]  # a keeps its name, b gets another
    assert source_key(str(a)) == source_key(str(tmp_path / "x" / ".." / "x" / "cam.mp4"))


def test_items_never_show_credentials_and_live_streams_are_not_resumable() -> None:
    items = plan_items(["rtsp://admin:hunter2@10.0.0.1/live", "http://u:pw@h/v.mp4"], {})
    assert all("hunter2" not in i.display and ":pw@" not in i.display for i in items)
    assert "hunter2" not in json.dumps([i.key for i in items])
    assert [i.resumable for i in items] == [False, True]


def test_fingerprint_depends_on_every_setting() -> None:
    base = {"config": {"a": 1}, "checkpoint": None, "live": None}
    assert fingerprint(base) == fingerprint(dict(reversed(base.items())))
    assert fingerprint(base) != fingerprint(base | {"checkpoint": "abc"})


def _done(out: Path) -> dict[str, str]:
    summary = json.loads((out / "job_summary.json").read_text())
    return {v["name"]: v["status"] for v in summary["videos"]}


def test_rerun_skips_finished_and_redoes_changed(
    tmp_path: Path, four_videos: Path, fast_cfg: PipelineConfig
) -> None:
    videos = tmp_path / "v"
    shutil.copytree(four_videos, videos)
    out = tmp_path / "out"
    specs = batch_sources([str(videos)], [], fast_cfg.video)
    first = run_batch(specs, out, fast_cfg, BatchOptions())
    assert first.totals()["done"] == 4
    records = {p.name: p.read_bytes() for p in (out / ".laps-job" / "done").iterdir()}
    shutil.rmtree(out / "v1")  # outputs deleted by hand
    (videos / "v2.mp4").write_bytes((videos / "v2.mp4").read_bytes())  # re-exported
    again = run_batch(specs, out, fast_cfg, BatchOptions())
    assert _done(out) == {"v0": "skipped", "v3": "skipped", "v1": "done", "v2": "done"}
    assert again.totals()["skipped"] == 2
    for name in ("v0.json", "v3.json"):  # skipped: their records are untouched
        assert (out / ".laps-job" / "done" / name).read_bytes() == records[name]
    other = fast_cfg.model_copy(update={"window": fast_cfg.window.model_copy(update={"stride": 8})})
    run_batch(specs, out, other, BatchOptions())
    assert set(_done(out).values()) == {"done"}  # new settings: every video redone
    run_batch(specs, out, other, BatchOptions(force=True))
    assert set(_done(out).values()) == {"done"}


def test_damaged_record_or_manifest_means_redo(tmp_path: Path, four_videos: Path, fast_cfg):
    out = tmp_path / "out"
    specs = [str(four_videos / "v0.mp4"), str(four_videos / "v1.mp4")]
    run_batch(specs, out, fast_cfg, BatchOptions())
    (out / ".laps-job" / "done" / "v0.json").write_text("{not json")
    manifest = out / "v1" / "manifest.json"
    manifest.write_text(manifest.read_text().replace('"complete"', '"running"'))
    run_batch(specs, out, fast_cfg, BatchOptions())
    assert _done(out) == {"v0": "done", "v1": "done"}


def test_a_second_batch_into_the_same_folder_is_refused(tmp_path: Path) -> None:
    first = Ledger(tmp_path / "out")
    first.open()
    try:
        with pytest.raises(ConfigError, match="another laps batch"):
            Ledger(tmp_path / "out").open()
    finally:
        first.close()
    second = Ledger(tmp_path / "out")
    second.open()  # free again once the first batch ends
    second.close()


def test_a_changed_calibration_file_means_redo(tmp_path: Path, four_videos: Path, fast_cfg):
    calib = tmp_path / "calib.json"
    calib.write_text(json.dumps({"threshold": 0.01}))
    seg = fast_cfg.segment.model_copy(update={"calibration": calib})
    cfg = fast_cfg.model_copy(update={"segment": seg})
    specs = [str(four_videos / "v0.mp4")]
    out = tmp_path / "out"
    run_batch(specs, out, cfg, BatchOptions())
    run_batch(specs, out, cfg, BatchOptions())
    assert _done(out) == {"v0": "skipped"}
    calib.write_text(json.dumps({"threshold": 0.02}))
    run_batch(specs, out, cfg, BatchOptions())
    assert _done(out) == {"v0": "done"}
