"""Hostile names and inputs: outputs never land outside OUT, nothing is executed, and
credentials in stream URLs never reach logs, manifests or reports.

The CLI runs as a real subprocess (the ``laps`` console script) with the test folder as its
working directory, so a name that a shell would expand (``$(touch pwned)``) would leave a
``pwned`` file there.
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from laps.export.layout import output_name, unique_names

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from videos import render_motion_video  # noqa: E402

LAPS = Path(sys.executable).with_name("laps")
SECRET = "s3cr3tpw"
HOSTILE = [
    "a b.mp4",
    "\"quoted'.mp4",
    "ünï cødé 视频.mp4",
    "-dash.mp4",
    "..mp4",
    "$(touch pwned).mp4",
    "`touch pwned`.mp4",
    "new\nline.mp4",
    "x\\y.mp4",
    "semi;colon|pipe&amp.mp4",
    "a b .mp4",  # the same name as "a b.mp4" once made safe
]
URLS = [
    "rtsp://h/../../etc/passwd",
    "rtsp://user:pw@h:554/../../../x",
    "http://h/%2e%2e/%2e%2e/etc/passwd",
    "http://h/..",
    "rtsp://../..",
    "camera:0",
    "../../../etc/passwd.mp4",
    "/abs/../../x/.hidden.mp4",
    "C:\\Users\\..\\evil.mp4",
]


def laps(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(LAPS), *args], cwd=cwd, capture_output=True, text=True, timeout=300, check=False
    )


def files_under(root: Path) -> set[Path]:
    return {p for p in root.rglob("*") if p.is_file() or p.is_symlink()}


@pytest.fixture(scope="module")
def short_video(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """3 s of a moving patch: four windows, quick to segment."""
    return render_motion_video(
        tmp_path_factory.mktemp("v") / "v.mp4", seconds=3.0, active=((0.5, 2.0),)
    )


@pytest.fixture(scope="module")
def short_ts(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The same as MPEG-TS, which plays over HTTP without range requests."""
    return render_motion_video(
        tmp_path_factory.mktemp("ts") / "v.ts", seconds=3.0, active=((0.5, 2.0),)
    )


@pytest.mark.parametrize("spec", HOSTILE + URLS)
def test_output_name_cannot_leave_the_output_folder(spec: str, tmp_path: Path):
    name = output_name(spec)
    assert name and "/" not in name and "\\" not in name and "\n" not in name
    assert not name.startswith((".", "-"))
    assert (tmp_path / name).resolve().parent == tmp_path.resolve()


def test_unique_names_for_hostile_specs():
    names = unique_names(HOSTILE + URLS)
    assert len(set(names)) == len(names)


def test_hostile_file_names_stay_inside_out_and_run_nothing(tmp_path: Path, short_video: Path):
    src = tmp_path / "in"
    src.mkdir()
    for name in HOSTILE:
        shutil.copy(short_video, src / name)
    before = files_under(tmp_path)
    res = laps("segment", str(src), "--out", "OUT", "--no-clips", cwd=tmp_path)
    assert res.returncode == 0, res.stderr
    out = (tmp_path / "OUT").resolve()
    new = files_under(tmp_path) - before
    assert new and all(p.resolve().is_relative_to(out) for p in new), sorted(map(str, new))
    assert not list(tmp_path.rglob("pwned*"))
    runs = [p for p in out.iterdir() if (p / "manifest.json").is_file()]
    assert len(runs) == len(HOSTILE) - 1  # one per video ("..mp4" is hidden: not scanned)
    assert all(not p.name.startswith((".", "-")) for p in runs)


def test_explicit_hostile_paths_and_a_sources_list_with_dotdot(tmp_path: Path, short_video: Path):
    (tmp_path / "in" / "deep").mkdir(parents=True)
    for name in ("-dash.mp4", "$(touch pwned).mp4", "..mp4"):
        shutil.copy(short_video, tmp_path / "in" / name)
    dotdot = tmp_path / "in" / "deep" / ".." / ".." / "in" / "-dash.mp4"
    listing = tmp_path / "in" / "deep" / "list.txt"
    listing.write_text(f"{dotdot}\n{tmp_path / 'in' / '..mp4'}\n", encoding="utf-8")
    before = files_under(tmp_path)
    args = ["--out", "OUT", "--no-clips", "--sources-from", str(listing), "--"]
    res = laps("segment", *args, "in/$(touch pwned).mp4", "in/-dash.mp4", cwd=tmp_path)
    assert res.returncode == 0, res.stderr
    out = (tmp_path / "OUT").resolve()
    new = files_under(tmp_path) - before
    assert new and all(p.resolve().is_relative_to(out) for p in new), sorted(map(str, new))
    assert not list(tmp_path.rglob("pwned*"))


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _leaks(root: Path) -> list[str]:
    return [str(p) for p in files_under(root) if SECRET.encode() in p.read_bytes()]


@pytest.mark.network
@pytest.mark.parametrize("debug", [False, True])
def test_credentials_never_reach_logs_or_outputs(tmp_path: Path, short_ts, http_root, debug):
    root, base = http_root
    shutil.copy(short_ts, root / "v.ts")
    good = base.replace("http://", f"http://user:{SECRET}@") + "/v.ts"
    bad = f"rtsp://user:{SECRET}@127.0.0.1:{_closed_port()}/x"
    flags = ["--debug"] if debug else []
    once = ["--set", "video.reconnect_attempts=0"]  # the file's end ends the stream
    res = laps("segment", good, bad, "--out", "OUT", *once, *flags, cwd=tmp_path)
    assert res.returncode != 0  # the rtsp source fails, the http one succeeds
    assert "127.0.0.1" in res.stderr and "***" in res.stderr
    assert SECRET not in res.stderr and SECRET not in res.stdout
    out = tmp_path / "OUT"
    runs = [p for p in out.iterdir() if (p / "manifest.json").is_file()]
    assert len(runs) == 1, res.stderr
    assert (runs[0] / "windows.jsonl").read_text()
    report = laps("report", "OUT", *flags, cwd=tmp_path)
    assert report.returncode == 0, report.stderr
    assert SECRET not in report.stderr + report.stdout
    assert list(out.rglob("*.html"))
    assert _leaks(tmp_path / "OUT") == []


@pytest.mark.network
def test_credentials_not_in_library_logs(tmp_path, short_ts, http_root, caplog, monkeypatch):
    import logging

    from laps.config import load_config
    from laps.errors import VideoOpenError
    from laps.pipeline.run import segment_source

    root, base = http_root
    shutil.copy(short_ts, root / "v.ts")
    good = base.replace("http://", f"http://user:{SECRET}@") + "/v.ts"
    cfg = load_config(None, ["video.reconnect_attempts=0"])
    monkeypatch.setattr(logging.getLogger("laps"), "propagate", True)  # the CLI turns it off
    caplog.set_level(logging.DEBUG)
    result = segment_source(good, tmp_path / "OUT", cfg)
    assert result.n_windows > 0
    bad = f"rtsp://user:{SECRET}@127.0.0.1:{_closed_port()}/x"
    with pytest.raises(VideoOpenError) as err:
        segment_source(bad, tmp_path / "OUT", cfg)
    chain, e = [], err.value
    while e is not None:  # the message and every error it was raised from
        chain.append(f"{e!s} {e!r}")
        e = e.__cause__ or e.__context__
    assert SECRET not in " ".join(chain)
    assert SECRET not in caplog.text
    assert _leaks(tmp_path / "OUT") == []
