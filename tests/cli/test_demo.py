"""``laps demo`` end to end on tiny generated videos (the real one runs with `make demo`)."""

from pathlib import Path

from typer.testing import CliRunner

from laps.cli import app


def test_demo_trains_segments_and_scores(tmp_path: Path):
    args = ["demo", "--out", str(tmp_path), "--seconds", "8", "--train-seconds", "1"]
    res = CliRunner().invoke(app, [*args, "--train-video-seconds", "8", "--quiet"])
    assert res.exit_code == 0, res.output
    for row in ("laps, learned latent changes", "laps, velocity changes", "periodic cut every 2 s"):
        assert row in res.output
    assert (tmp_path / "tokenizer" / "best.pt").exists()
    assert (tmp_path / "learned" / "synth_medium_top_s1" / "segments.json").exists()
    assert (tmp_path / "velocity" / "synth_medium_top_s1" / "windows.jsonl").exists()


def test_demo_bad_preset_is_one_error_line(tmp_path: Path):
    res = CliRunner().invoke(app, ["demo", "--out", str(tmp_path), "--preset", "extreme"])
    assert res.exit_code == 2 and res.output.count("error:") == 1
