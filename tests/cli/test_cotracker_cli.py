"""``--tracker cotracker`` on laps segment and laps tracks: the stand-in hub end to end, and the
one-line errors that name what to get."""

import json
import shutil
from pathlib import Path

import torch
from typer.testing import CliRunner

from laps.cli import app
from videos import render_motion_video

runner = CliRunner()
STANDIN = Path(__file__).parents[1] / "tracking" / "standin_hub" / "hubconf.py"


def _standin(tmp_path: Path) -> list[str]:
    repo = tmp_path / "co-tracker"
    repo.mkdir()
    shutil.copy(STANDIN, repo / "hubconf.py")
    model = torch.hub.load(str(repo), "cotracker3_online", source="local", pretrained=False)
    checkpoint = tmp_path / "scaled_online.pth"
    torch.save(model.model.state_dict(), checkpoint)
    device = ["--set", "tracking.cotracker.device=cpu"]
    return ["--tracker", "cotracker", "--cotracker-repo", str(repo),
            "--cotracker-checkpoint", str(checkpoint), *device]  # fmt: skip


def test_segment_and_tracks_run_on_the_standin(tmp_path: Path):
    video = render_motion_video(tmp_path / "v.mp4", seconds=4.0, active=((1.0, 3.0),))
    flags = _standin(tmp_path)
    result = runner.invoke(
        app, ["segment", str(video), "--out", str(tmp_path / "out"), "--no-clips", *flags]
    )
    assert result.exit_code == 0, result.output
    manifest = json.loads((tmp_path / "out" / "v" / "manifest.json").read_text())
    assert "cotracker" in json.dumps(manifest)
    result = runner.invoke(app, ["tracks", str(video), "--out", str(tmp_path / "ds"), *flags])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "ds" / "dataset.json").exists()


def test_missing_clone_is_one_error_line(tmp_path: Path):
    video = render_motion_video(tmp_path / "v.mp4", seconds=2.0, active=())
    result = runner.invoke(
        app, ["segment", str(video), "--out", str(tmp_path / "out"), "--tracker", "cotracker"]
    )
    assert result.exit_code == 2, result.output
    errors = [line for line in result.output.splitlines() if line.startswith("error:")]
    assert len(errors) == 1 and "git clone" in errors[0], result.output
    assert "Traceback" not in result.output
