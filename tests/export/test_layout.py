from pathlib import Path

import pytest

from laps.errors import ExportError
from laps.export.atomic import write_json_atomic, write_text_atomic
from laps.export.jsonl import JsonlSink
from laps.export.layout import commit_dir, output_name, run_folders, stage_dir, unique_names


@pytest.mark.parametrize(
    ("spec", "name"),
    [
        ("videos/a b.mp4", "a_b"),
        ("/x/y/clip.final.mov", "clip.final"),
        ("camera:0", "camera_0"),
        ("rtsp://user:secret@cam.local:554/live/main", "cam.local_main"),
        ("../../etc/passwd", "passwd"),
        ("dir/..mp4", "source"),
        ("ünï cödé 'q\".mp4", "ünï_cödé_q"),
    ],
)
def test_output_names_are_safe(spec: str, name: str):
    got = output_name(spec)
    assert got == name
    assert "/" not in got and not got.startswith(".") and "secret" not in got


def test_unique_names():
    assert unique_names(["a/x.mp4", "b/x.mp4", "c/y.mp4", "d/x.mkv"]) == ["x", "x_2", "y", "x_3"]


def test_staging_keeps_earlier_output_until_commit(tmp_path: Path):
    final = tmp_path / "v"
    final.mkdir()
    (final / "old.txt").write_text("old")
    staging = stage_dir(tmp_path, "v")
    (staging / "new.txt").write_text("new")
    assert (final / "old.txt").exists()
    commit_dir(staging, final)
    assert (final / "new.txt").read_text() == "new"
    assert not (final / "old.txt").exists()
    assert not staging.exists()


def test_unwritable_output_folder(tmp_path: Path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(ExportError, match="choose a writable --out folder"):
        stage_dir(blocker / "sub", "v")


def test_atomic_json_replaces_nan_and_never_leaves_temp(tmp_path: Path):
    p = tmp_path / "a.json"
    write_json_atomic(p, {"x": float("nan"), "p": Path("q")})
    assert p.read_text().strip().startswith("{")
    assert '"x": null' in p.read_text()
    assert [f.name for f in tmp_path.iterdir()] == ["a.json"]
    with pytest.raises(ExportError):
        write_text_atomic(tmp_path / "missing" / "b.txt", "x")


def test_jsonl_flushes_each_line(tmp_path: Path):
    p = tmp_path / "w.jsonl"
    with JsonlSink(p) as sink:
        sink.write({"a": 1, "e": float("inf")})
        assert p.read_text() == '{"a": 1, "e": null}\n'  # visible before close
        sink.write({"a": 2})
    assert len(p.read_text().splitlines()) == 2
    with pytest.raises(ExportError):
        sink.write({"a": 3})


def test_run_folders_skip_staging_and_replaced_runs(tmp_path: Path) -> None:
    # a run that died leaves OUT/<name>.partial behind with the same files as a run
    for name in ("a", "b.partial", "c.old", ".hidden", "d"):
        (tmp_path / name).mkdir()
        (tmp_path / name / "manifest.json").write_text("{}")
        if name != "d":
            (tmp_path / name / "windows.jsonl").write_text("")
    need = ("manifest.json", "windows.jsonl")
    assert run_folders(tmp_path, need) == [tmp_path / "a"]
    assert run_folders(tmp_path / "a", need) == [tmp_path / "a"]
    assert run_folders(tmp_path / "b.partial", need) == []
    assert run_folders(tmp_path / "missing", need) == []
    assert run_folders(tmp_path, ("manifest.json",)) == [tmp_path / "a", tmp_path / "d"]


def test_calibration_never_reads_a_dead_run(tmp_path: Path) -> None:
    from laps.calibrate.run_data import find_runs

    for name in ("v", "v.partial"):
        (tmp_path / name).mkdir()
        for f in ("manifest.json", "windows.jsonl"):
            (tmp_path / name / f).write_text("")
    assert find_runs(str(tmp_path)) == [tmp_path / "v"]
