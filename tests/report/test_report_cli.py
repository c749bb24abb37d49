"""``laps report``: the command over build_report, and its one-line errors."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from cli_checks import assert_one_error_line
from laps.cli import app

from .conftest import RunFixture


def test_report_command_writes_the_page(report_run: RunFixture, tmp_path: Path) -> None:
    out = tmp_path / "page"
    args = ["report", str(report_run.out), "--out", str(out), "--gt", str(report_run.gt)]
    result = CliRunner().invoke(app, [*args, "--clusters", str(report_run.clusters)])
    assert result.exit_code == 0, result.output
    assert f"report: {out / 'index.html'}" in result.output
    assert (out / "index.html").is_file() and any((out / "assets").iterdir())


def test_missing_out_folder(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["report", str(tmp_path / "nope")])
    assert_one_error_line(result, "expected a laps output folder")


def test_empty_out_folder(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["report", str(tmp_path)])
    assert_one_error_line(result, "no run in")
    assert not (tmp_path / "report").exists()


def test_missing_clusters_folder(report_run: RunFixture, tmp_path: Path) -> None:
    args = ["report", str(report_run.out), "--out", str(tmp_path / "r")]
    result = CliRunner().invoke(app, [*args, "--clusters", str(tmp_path / "nope")])
    assert_one_error_line(result, "--clusters")
