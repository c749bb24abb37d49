"""``laps segment FOLDER``: every bad file is reported by name and reason, the rest processed."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from laps.cli import app
from laps.cli._errors import EXIT_BAD_INPUT
from videos import render_motion_video

from . import bad_media

runner = CliRunner()

# name -> (fixture, a fragment of the reason that must follow the name)
FAILING = {
    "zero_byte.mp4": (bad_media.zero_byte, "empty (0 bytes)"),
    "truncated.mp4": (bad_media.truncated, "moov atom) is missing"),
    "non_video.mp4": (bad_media.non_video, "as a video"),
    "unsupported_codec.mp4": (bad_media.unsupported_codec, "got fourcc 'zzzz'"),
    "very_short.mp4": (bad_media.very_short, "one window needs window.length=16"),
}
PROCESSED = {
    "vfr.mp4": bad_media.vfr,
    "rotated.mp4": bad_media.rotated,
    "no_frame_rate.mkv": bad_media.no_frame_rate,
}
GOOD = ["good_a.mp4", "good_b.mp4"]


def _folder(root: Path) -> Path:
    folder = root / "videos"
    folder.mkdir()
    for name, (make, _) in FAILING.items():
        make(folder / name)
    for name, make in PROCESSED.items():
        make(folder / name)
    for seed, name in enumerate(GOOD):
        render_motion_video(
            folder / name,
            seconds=3.0,
            fps=25,
            size_wh=(160, 120),
            patch_px=40,
            active=((1.0, 2.0),),
            speed_px_s=120.0,
            seed=seed,
        )
    return folder


def test_bad_files_are_reported_and_the_others_processed(tmp_path: Path) -> None:
    folder, out = _folder(tmp_path), tmp_path / "out"
    args = ["segment", str(folder), "--out", str(out), "--no-clips"]
    result = runner.invoke(app, [*args, "--set", "video.resize_shorter=120"])
    text = result.output
    assert result.exit_code == EXIT_BAD_INPUT, text
    assert "Traceback" not in text
    for name, (_, reason) in FAILING.items():
        lines = [line for line in text.splitlines() if name in line and reason in line]
        assert lines, f"{name}: no line naming it with '{reason}' in:\n{text}"
        assert not (out / Path(name).stem / "manifest.json").exists()
    manifests = {}
    for name in [*PROCESSED, *GOOD]:
        run = out / Path(name).stem
        manifest = json.loads((run / "manifest.json").read_text())
        assert manifest["status"] == "complete", (name, manifest["status"])
        assert (run / "segments.jsonl").is_file() and (run / "windows.jsonl").is_file()
        assert (run / "windows.jsonl").read_text().strip(), f"{name}: no windows"
        manifests[name] = manifest["source"]
    rotated = manifests["rotated.mp4"]
    assert (rotated["rotation_deg"], rotated["width"], rotated["height"]) == (90, 120, 160)
    assert 15 < manifests["no_frame_rate.mkv"]["fps"] < 25
