import json

import pytest
from typer.testing import CliRunner

from laps.cli.synth import app

runner = CliRunner()


def test_video_command_writes_the_files(tmp_path) -> None:
    out = tmp_path / "out"
    args = ["video", "--seed", "4", "--duration", "1", "--size", "128x72", "--out", str(out)]
    args += ["--preset", "hard", "--view", "oblique", "--preview", "--set", "nuisance.noise=0"]
    res = runner.invoke(app, args)
    assert res.exit_code == 0, res.output
    stem = "synth_hard_oblique_s4"
    for suffix in (".mp4", ".json", ".labels.npy", ".params.json", ".preview.png"):
        assert (out / f"{stem}{suffix}").is_file()
    params = json.loads((out / f"{stem}.params.json").read_text())
    assert params["nuisance"]["noise"] == 0 and params["nuisance"]["shake"] == 2.0


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["--duration", "-3"], "duration_s"),
        (["--preset", "extreme"], "preset"),
        (["--view", "side"], "view"),
        (["--size", "12x"], "--size"),
        (["--size", "255x144"], "even"),
        (["--set", "nuisance.sparkle=1"], "unknown key 'nuisance.sparkle'"),
        (["--set", "nonsense"], "section.key=value"),
    ],
)
def test_bad_arguments_give_one_error_line_and_exit_2(tmp_path, args, needle) -> None:
    res = runner.invoke(app, ["video", "--out", str(tmp_path), *args])
    assert res.exit_code == 2
    lines = [ln for ln in res.output.splitlines() if ln.strip()]
    assert len(lines) == 1 and lines[0].startswith("error: ") and needle in lines[0], res.output
    assert "Traceback" not in res.output


def test_unwritable_output_gives_exit_2(tmp_path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    res = runner.invoke(app, ["video", "--duration", "1", "--out", str(blocker / "sub")])
    assert res.exit_code == 2 and "cannot create the output folder" in res.output


def test_suite_rejects_an_unknown_version(tmp_path) -> None:
    res = runner.invoke(app, ["suite", "--version", "9", "--out", str(tmp_path)])
    assert res.exit_code == 2 and "unknown suite version" in res.output


def test_suite_command_writes_a_small_suite(tmp_path) -> None:
    args = ["suite", "--out", str(tmp_path), "--duration", "0.2", "--size", "64x64"]
    res = runner.invoke(app, args)
    assert res.exit_code == 0, res.output
    data = json.loads((tmp_path / "suite.json").read_text())
    assert len(data["videos"]) == 24 and data["overrides"]["size"] == [64, 64]
