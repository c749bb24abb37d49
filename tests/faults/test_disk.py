"""Disk full and unwritable output folders: a clear error, nothing already written damaged.

Each test runs the real ``laps`` console script inside a user + mount namespace
(``unshare --user --map-root-user --mount``) on a size-limited or read-only tmpfs, so no
root rights or real disk filling are needed; the tmpfs disappears with the namespace.
Results are copied out of the namespace into ``tmp_path/res`` by the shell script.
"""

from __future__ import annotations

import hashlib
import json
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from videos import render_motion_video  # noqa: E402

LAPS = Path(sys.executable).with_name("laps")
TREE = (  # prints {relative path: sha256} of every file under a folder
    "import hashlib, json, pathlib, sys; r = pathlib.Path(sys.argv[1]); "
    "print(json.dumps({str(p.relative_to(r)): hashlib.sha256(p.read_bytes()).hexdigest() "
    "for p in sorted(r.rglob('*')) if p.is_file()}))"
)


def _can_unshare() -> str | None:
    """None when a tmpfs can be mounted in a user namespace, else why not."""
    if shutil.which("unshare") is None or not LAPS.exists():
        return "needs util-linux unshare and the laps console script"
    cmd = ["unshare", "--user", "--map-root-user", "--mount", "sh", "-c"]
    cmd.append("d=$(mktemp -d) && mount -t tmpfs -o size=64k tmpfs $d && umount $d")
    try:
        res = subprocess.run(cmd, capture_output=True, text=True, timeout=20, check=False)
    except (OSError, subprocess.TimeoutExpired) as err:
        return f"unshare failed: {err}"
    return None if res.returncode == 0 else f"unshare not permitted: {res.stderr.strip()}"


_WHY_NOT = _can_unshare()
pytestmark = pytest.mark.skipif(_WHY_NOT is not None, reason=str(_WHY_NOT))


def in_tmpfs(tmp_path: Path, size_kb: int, body: str) -> Path:
    """Run ``body`` (sh) with a ``size_kb`` tmpfs mounted at ``$MNT``; return ``$RES``."""
    mnt, res = tmp_path / "mnt", tmp_path / "res"
    mnt.mkdir(exist_ok=True)
    res.mkdir(exist_ok=True)
    env = f"MNT={shlex.quote(str(mnt))}; RES={shlex.quote(str(res))}; "
    env += f"LAPS={shlex.quote(str(LAPS))}; PY={shlex.quote(sys.executable)}; "
    script = env + f"mount -t tmpfs -o size={size_kb}k tmpfs $MNT || exit 99\n" + body
    cmd = ["unshare", "--user", "--map-root-user", "--mount", "sh", "-c", script]
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=300, check=False)
    assert done.returncode == 0, done.stderr
    return res


def tree(folder: Path) -> dict[str, str]:
    """{relative path: sha256} of every file under ``folder``."""
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def used_kb(folder: Path) -> int:
    """What ``folder`` takes on a tmpfs: whole 4 KiB pages per file."""
    return sum(-(-p.stat().st_size // 4096) * 4 for p in folder.rglob("*") if p.is_file())


def debris(listing: str) -> list[str]:
    """Staging folders and temporary files in a ``find`` listing."""
    names = [line.rstrip("/").rsplit("/", 1)[-1] for line in listing.splitlines()]
    return [n for n in names if n.endswith((".partial", ".tmp", ".old"))]


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Videos A and B, and their finished runs on the normal disk (to size the tmpfs)."""
    root = tmp_path_factory.mktemp("disk")
    out: dict[str, Path] = {}
    for name, seed in (("A", 1), ("B", 2)):
        video = render_motion_video(root / f"{name}.mp4", seconds=8.0, seed=seed)
        cmd = [str(LAPS), "segment", str(video), "--out", str(root / "out"), "--quiet"]
        subprocess.run(cmd, check=True, capture_output=True, timeout=300)
        out[name], out[f"{name}_run"] = video, root / "out" / name
    return out


def test_disk_full_mid_run_keeps_earlier_run_and_leaves_no_debris(tmp_path, runs):
    a_run, b_video = runs["A_run"], runs["B"]
    size = used_kb(a_run) + used_kb(runs["B_run"]) // 2  # B fails partway, clips on
    q = shlex.quote
    body = f"""
mkdir $MNT/out && cp -a {q(str(a_run))} $MNT/out/A
$LAPS segment {q(str(b_video))} --out $MNT/out --quiet >$RES/out1 2>$RES/err1; echo $? >$RES/rc1
$PY -c {q(TREE)} $MNT/out/A >$RES/a_after.json
find $MNT/out >$RES/list1
mount -o remount,size=65536k $MNT
$LAPS segment {q(str(b_video))} --out $MNT/out --quiet >$RES/out2 2>$RES/err2; echo $? >$RES/rc2
$PY -c {q(TREE)} $MNT/out/A >$RES/a_again.json
cp $MNT/out/B/manifest.json $RES/b_manifest.json
find $MNT/out >$RES/list2
"""
    res = in_tmpfs(tmp_path, size, body)
    err = (res / "err1").read_text()
    assert int((res / "rc1").read_text()) != 0, err
    assert "Traceback" not in err
    assert "No space left on device" in err and "space" in err.split("error:")[-1]
    assert f"{tmp_path / 'mnt' / 'out'}" in err  # names the output folder
    assert json.loads((res / "a_after.json").read_text()) == tree(a_run)  # A untouched
    assert debris((res / "list1").read_text()) == []  # no B.partial, no temp files
    assert int((res / "rc2").read_text()) == 0, (res / "err2").read_text()
    assert json.loads((res / "b_manifest.json").read_text())["status"] == "complete"
    assert json.loads((res / "a_again.json").read_text()) == tree(a_run)
    assert debris((res / "list2").read_text()) == []


def test_read_only_output_folder_is_a_clear_error_and_writes_nothing(tmp_path, runs):
    body = f"""
mkdir $MNT/out && mount -o remount,ro $MNT
$LAPS segment {shlex.quote(str(runs["A"]))} --out $MNT/out >$RES/out1 2>$RES/err1
echo $? >$RES/rc1
find $MNT >$RES/list1
"""
    res = in_tmpfs(tmp_path, 1024, body)
    err = (res / "err1").read_text()
    assert int((res / "rc1").read_text()) != 0
    assert "Traceback" not in err
    assert str(tmp_path / "mnt" / "out") in err and "read-only" in err.lower()
    assert "--out" in err  # says how to fix it
    assert (res / "list1").read_text().split() == [str(tmp_path / "mnt"), str(tmp_path / "mnt/out")]


def test_tracks_into_a_full_disk_keeps_dataset_json_valid(tmp_path, runs):
    from laps.tokenizer.dataset_manifest import read_manifest

    ds = tmp_path / "ds"
    cmd = [str(LAPS), "tracks", str(runs["A"]), "--out", str(ds), "--quiet"]
    subprocess.run(cmd, check=True, capture_output=True, timeout=300)
    before = tree(ds)
    q = shlex.quote
    body = f"""
mkdir $MNT/ds && cp -a {q(str(ds))}/. $MNT/ds/
$LAPS tracks {q(str(runs["B"]))} --out $MNT/ds --quiet >$RES/out1 2>$RES/err1; echo $? >$RES/rc1
mkdir $RES/ds && cp -a $MNT/ds/. $RES/ds/
"""
    res = in_tmpfs(tmp_path, used_kb(ds) + 24, body)  # room for dataset.json, not a shard
    err = (res / "err1").read_text()
    assert int((res / "rc1").read_text()) != 0, err
    assert "Traceback" not in err and "No space left on device" in err
    manifest = read_manifest(res / "ds")  # valid JSON of the right schema
    status = {v["id"]: v["status"] for v in manifest["videos"]}
    assert status["A"] == "done" and status.get("B") != "done"
    after = tree(res / "ds")
    assert {k: after.get(k) for k in before if k != "dataset.json"} == {
        k: v for k, v in before.items() if k != "dataset.json"
    }
    assert debris("\n".join(after)) == []
