"""The accuracy benchmark end to end on a tiny hand-made suite (4 short videos)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from laps.benchmark.accuracy import run_accuracy, train_statistics, write_results
from laps.benchmark.suite import read_suite
from laps.cli import app
from laps.errors import ConfigError
from laps.tokenizer.assets import SUITE1_SMALL
from videos import render_motion_video

ACTIVE = {
    "a": ((2.0, 5.0), (7.0, 10.0)),
    "b": ((1.0, 4.0), (6.0, 9.0)),
    "c": ((3.0, 6.0), (8.0, 11.0)),
    "d": ((1.5, 4.5), (6.5, 9.5)),
}
SPLIT = {"a": "train", "b": "train", "c": "test", "d": "test"}
FAST = ("laps_velocity", "velocity", "periodic", "periodic_2s")


def _truth(active: tuple[tuple[float, float], ...], seconds: float = 12.0) -> dict:
    edges = [0.0, *(t for span in active for t in span), seconds]
    segs = [
        {"start_sec": a, "end_sec": b, "label": "x"} for a, b in zip(edges, edges[1:], strict=False)
    ]
    return {"video": "", "segments": segs, "video_duration_sec": seconds}


@pytest.fixture(scope="module")
def suite(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("suite")
    rows = []
    for k, (name, active) in enumerate(ACTIVE.items()):
        split, stem = SPLIT[name], f"s_{name}"
        (root / split).mkdir(exist_ok=True)
        render_motion_video(root / split / f"{stem}.mp4", active=active, seed=k)
        truth = _truth(active) | {"video": f"{stem}.mp4"}
        (root / split / f"{stem}.json").write_text(json.dumps(truth))
        rows.append(
            {"stem": stem, "split": split, "preset": "easy" if k % 2 else "hard", "view": "top",
             "video": f"{split}/{stem}.mp4", "ground_truth": f"{split}/{stem}.json",
             "video_duration_sec": 12.0}
        )  # fmt: skip
    doc = {"suite_version": "t", "generator_version": "t", "overrides": {}, "videos": rows}
    (root / "suite.json").write_text(json.dumps(doc))
    return root


@pytest.fixture(scope="module")
def report(suite: Path, tmp_path_factory: pytest.TempPathFactory):
    work = tmp_path_factory.mktemp("work")
    return run_accuracy(suite, work, checkpoint=None, methods=FAST), work


def test_every_method_is_scored_per_preset_and_overall(report) -> None:
    rep, _ = report
    groups = {(r.key, r.group) for r in rep.rows}
    assert groups == {(m, g) for m in FAST for g in ("easy", "hard", "all")}
    for r in rep.rows:
        assert 0.0 <= r.metrics["f1_mean"] <= 1.0
        assert r.metrics["segments_per_min"] > 0
    assert rep.best in FAST


def test_results_document(report, tmp_path: Path) -> None:
    rep, _ = report
    md = write_results(rep, tmp_path / "RESULTS.md", "laps benchmark accuracy --suite S")
    text = md.read_text()
    assert "laps benchmark accuracy --suite S" in text and "Best row overall" in text
    assert "### Preset `easy`" in text and "| periodic 2 s |" in text
    assert "false cuts/min in idle" in text and "median length pred / true" in text
    doc = json.loads((tmp_path / "RESULTS.json").read_text())["suites"]["t"]
    assert doc["best"] == rep.best and len(doc["rows"]) == len(rep.rows)
    assert {"idle_false_per_min", "segment_ratio", "pred_len_median"} <= set(doc["rows"][0])


def test_test_ground_truth_never_reaches_a_calibration(suite: Path, report, tmp_path: Path) -> None:
    rep, work = report
    moved = tmp_path / "suite"
    shutil.copytree(suite, moved)
    for stem in ("s_c", "s_d"):  # scramble the test split's truth
        (moved / "test" / f"{stem}.json").write_text(json.dumps(_truth(((0.5, 11.0),))))
    again = run_accuracy(moved, work / "other", checkpoint=None, methods=FAST)
    assert [r.calibration for r in again.results] == [r.calibration for r in rep.results]
    assert train_statistics(read_suite(moved)) == train_statistics(read_suite(suite))


def test_runs_are_cached(suite: Path, report) -> None:
    _, work = report
    folder = work / "runs" / "velocity" / "s_a"
    stamp = (folder / "manifest.json").stat().st_mtime_ns
    run_accuracy(suite, work, checkpoint=None, methods=["laps_velocity"])
    assert (folder / "manifest.json").stat().st_mtime_ns == stamp


def test_learned_rows_with_the_shipped_tokenizer(suite: Path, tmp_path: Path) -> None:
    rep = run_accuracy(suite, tmp_path, checkpoint=SUITE1_SMALL, methods=["laps"])
    (row,) = [r for r in rep.rows if r.group == "all"]
    assert row.key == "laps" and row.metrics["segments_per_min"] > 0


def test_bad_inputs(suite: Path, tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="unknown methods"):
        run_accuracy(suite, tmp_path, checkpoint=None, methods=["nope"])
    with pytest.raises(ConfigError, match="need a tokenizer checkpoint"):
        run_accuracy(suite, tmp_path, checkpoint=None, methods=["laps"])
    with pytest.raises(ConfigError, match="laps synth suite"):
        run_accuracy(tmp_path, tmp_path, checkpoint=None, methods=FAST)
    res = CliRunner().invoke(app, ["benchmark", "accuracy", "--suite", str(tmp_path / "none")])
    assert res.exit_code == 2 and "laps synth suite" in res.output


def test_render_flag_renders_a_missing_suite(suite: Path, tmp_path: Path, monkeypatch) -> None:
    target, calls = tmp_path / "new_suite", []

    def fake_write_suite(path: Path) -> Path:  # rendering 24 x 180 s is not a unit test
        calls.append(path)
        shutil.copytree(suite, path)
        return path / "suite.json"

    monkeypatch.setattr("laps.cli.benchmark.write_suite", fake_write_suite)
    args = ["benchmark", "accuracy", "--suite", str(target), "--methods", "periodic"]
    out = ["--out", str(tmp_path / "R.md"), "--work", str(tmp_path / "w")]
    res = CliRunner().invoke(app, [*args, *out, "--render"])
    assert res.exit_code == 0, res.output
    assert calls == [target] and (tmp_path / "R.md").is_file()
    res = CliRunner().invoke(app, [*args, *out, "--render"])  # present now: not rendered again
    assert res.exit_code == 0 and calls == [target]
