"""Write failures (disk full, read-only, no rights) become one clear ExportError, no debris."""

import errno
import os
import threading
import time
from pathlib import Path

import numpy as np
import pytest

from laps.errors import ExportError
from laps.export.atomic import io_error, output_root, write_atomic
from laps.export.jsonl import JsonlSink
from laps.export.layout import discard_dir
from laps.export.plot import plot_energy


@pytest.mark.parametrize(
    ("code", "words"),
    [
        (errno.ENOSPC, ["the disk is full", "No space left", "free space", "--out"]),
        (errno.EDQUOT, ["the disk is full", "free space"]),
        (errno.EROFS, ["read-only file system", "writable --out folder"]),
        (errno.EACCES, ["permission denied", "--out folder you can write to"]),
        (errno.ENOTDIR, ["Not a directory", "writable --out folder"]),
    ],
)
def test_io_error_names_cause_folder_and_fix(code: int, words: list[str]):
    path = Path("/data/out/video.partial/clips/000001.mp4")
    err = io_error("cannot write", path, OSError(code, os.strerror(code)))
    msg = str(err)
    assert isinstance(err, ExportError)
    assert msg.startswith(f"cannot write {path}: ")
    for word in words:
        assert word in msg
    if code in (errno.ENOSPC, errno.EDQUOT, errno.EROFS):
        assert msg.count("/data/out") >= 2  # the file, and the --out folder to free or change


@pytest.mark.parametrize(
    ("path", "root"),
    [
        ("/o/v.partial/clips/1.mp4", "/o"),
        ("/o/v.partial/windows.jsonl", "/o"),
        ("/o/v.partial", "/o"),
        ("/o/dataset.json", "/o"),
    ],
)
def test_output_root(path: str, root: str):
    assert output_root(Path(path)) == Path(root)


def test_jsonl_on_a_full_disk_raises_export_error_also_at_close():
    sink = JsonlSink(Path("/dev/full"))  # every write to /dev/full fails with ENOSPC
    with pytest.raises(ExportError, match="disk is full"):
        sink.write({"a": "x" * 100})
    with pytest.raises(ExportError, match="disk is full"):
        sink.close()  # the buffered line is flushed again and fails again: no bare OSError
    sink.close()  # idempotent


def test_atomic_write_failing_midway_leaves_nothing(tmp_path: Path, monkeypatch):
    (tmp_path / "a.json").write_text("old")

    def full(fd: int) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(os, "fsync", full)
    with pytest.raises(ExportError, match="the disk is full"):
        write_atomic(tmp_path / "a.json", lambda fh: fh.write(b"new"))
    assert [p.name for p in tmp_path.iterdir()] == ["a.json"]
    assert (tmp_path / "a.json").read_text() == "old"


def test_energy_plot_is_atomic_and_wraps_os_errors(tmp_path: Path):
    series = (np.arange(5.0), np.ones(5), np.ones(5))
    plot_energy(tmp_path / "e.png", series, [(0.0, 2.0)], (1.0, 0.5), "t")
    assert (tmp_path / "e.png").read_bytes()[:4] == b"\x89PNG"
    assert [p.name for p in tmp_path.iterdir()] == ["e.png"]
    with pytest.raises(ExportError, match="cannot write"):
        plot_energy(tmp_path / "missing" / "e.png", series, [], (1.0, 0.5), "t")


def test_discard_dir_warns_when_it_cannot_remove(tmp_path: Path, monkeypatch, caplog):
    staging = tmp_path / "v.partial"
    staging.mkdir()

    def refuse(path: Path) -> None:
        raise OSError(errno.EBUSY, "busy")

    monkeypatch.setattr("laps.export.layout.shutil.rmtree", refuse)
    discard_dir(staging)
    assert "delete it by hand" in caplog.text and str(staging) in caplog.text


def test_clip_worker_abort_drops_queued_clips(tmp_path: Path, monkeypatch):
    from laps.export import clip_worker as cw
    from laps.types import Segment

    started, written = threading.Event(), []

    def slow_clip(src, dst, start, end, **kw):
        started.set()
        time.sleep(0.2)
        written.append(dst)

    monkeypatch.setattr(cw, "write_clip", slow_clip)
    worker = cw.ClipWorker("v.mp4", tmp_path / "clips", 23, "veryfast")
    segs = [
        Segment(i, i * 10, i * 10 + 10, i, i + 1.0, i, i + 1, i, i + 1, 0.0, 0.0) for i in range(5)
    ]
    for seg in segs:
        worker.submit(seg)
    started.wait(5)
    worker.abort()
    assert len(written) < len(segs)
    assert not worker._thread.is_alive()
