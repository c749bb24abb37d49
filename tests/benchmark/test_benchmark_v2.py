"""The accuracy benchmark on generated suites: a v2 manifest, the hand-speed row, every row."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import pytest
from synth_suite import write_tiny_suite

from laps.benchmark.accuracy import run_accuracy, write_results
from laps.benchmark.context import Context
from laps.benchmark.document import read_sections
from laps.benchmark.laps_methods import pipeline_method
from laps.benchmark.methods import METHODS, VELOCITY
from laps.benchmark.oracle_method import LEVELS, speed_curves
from laps.benchmark.suite import read_suite
from laps.errors import ConfigError
from laps.synth.suite import SUITES, write_suite
from laps.tokenizer.assets import SUITE1_SMALL

FAST = ("hand_speed", "periodic", "periodic_2s")


@pytest.fixture(scope="module")
def suite(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_tiny_suite(tmp_path_factory.mktemp("suite_v2"), "2", seconds=16.0)


@pytest.fixture(scope="module")
def report(suite: Path, tmp_path_factory: pytest.TempPathFactory):
    work = tmp_path_factory.mktemp("work")
    return run_accuracy(suite, work, checkpoint=None, methods=FAST), work


def test_a_v2_manifest_reads(suite: Path) -> None:
    s = read_suite(suite)
    assert s.suite_version == "2" and len(s.split("train")) == 2
    assert all(v.params is not None and v.params.is_file() for v in s.videos)


def test_hand_speed_row_fits_its_level_on_train(report) -> None:
    rep, _ = report
    calib = {r.key: r.calibration for r in rep.results}
    assert calib["hand_speed"]["level_ref_px_s"] in LEVELS
    assert 0.0 < calib["hand_speed"]["train_f1_mean"] <= 1.0
    rows = {(r.key, r.group): r.metrics for r in rep.rows}
    assert set(rows) == {(k, g) for k in FAST for g in ("easy", "hard", "all")}
    oracle = rows[("hand_speed", "all")]
    assert 0.0 < oracle["f1_mean"] <= 1.0 and np.isnan(oracle["runtime_s_per_video"])
    assert oracle["segment_ratio"] > 0 and oracle["pred_len_median"] > 0
    period = calib["periodic"]["period_s"]  # train median length
    assert rows[("periodic", "all")]["pred_len_median"] == pytest.approx(period, abs=1e-6)


def test_test_truth_never_reaches_the_hand_speed_level(suite: Path, report, tmp_path) -> None:
    rep, work = report
    moved = tmp_path / "suite"
    shutil.copytree(suite, moved)
    for v in read_suite(moved).split("test"):  # one segment over the whole video
        v.ground_truth.write_text(
            json.dumps(
                {
                    "segments": [{"start_sec": 0.0, "end_sec": 16.0, "label": "idle"}],
                    "video_duration_sec": 16.0,
                }
            )
        )
    again = run_accuracy(moved, work, checkpoint=None, methods=["hand_speed"])
    assert again.results[0].calibration == rep.results[0].calibration


def test_speeds_are_cached(suite: Path, report) -> None:
    _, work = report
    files = sorted((work / "hand_speed").glob("*.npz"))
    stamps = [f.stat().st_mtime_ns for f in files]
    assert len(files) == 4
    speed_curves(read_suite(suite).videos, work, jobs=1)
    assert [f.stat().st_mtime_ns for f in files] == stamps


def test_v2_results_keep_the_v1_section(report, tmp_path: Path) -> None:
    rep, _ = report
    md = tmp_path / "RESULTS.md"
    md.write_text("<!-- suite v1: start -->\n## Suite v1\n\nv1 numbers\n<!-- suite v1: end -->\n")
    write_results(rep, md, "laps benchmark accuracy --suite suite_v2")
    sections = read_sections(md.read_text())
    assert sections["1"] == "## Suite v1\n\nv1 numbers\n"
    assert "speed-threshold upper reference" in sections["2"]
    assert "### Preset `hard`" in sections["2"]


def test_a_suite_without_params_cannot_have_the_hand_speed_row(suite, tmp_path) -> None:
    moved = tmp_path / "suite"
    shutil.copytree(suite, moved)
    doc = json.loads((moved / "suite.json").read_text())
    for row in doc["videos"]:
        del row["params"]
    (moved / "suite.json").write_text(json.dumps(doc))
    assert read_suite(moved).videos[0].params is None
    with pytest.raises(ConfigError, match="expected a 'params' path"):
        run_accuracy(moved, tmp_path / "w", checkpoint=None, methods=["hand_speed"])


@pytest.mark.slow
def test_every_row_on_the_tiny_v2_suite(suite: Path, tmp_path: Path) -> None:
    rep = run_accuracy(suite, tmp_path, checkpoint=SUITE1_SMALL, jobs=2)
    assert {r.key for r in rep.rows if r.group == "all"} == set(METHODS)
    ctx = Context(read_suite(suite), tmp_path)
    own = pipeline_method("velocity_runs", "the velocity runs' own segments", VELOCITY).run(ctx)
    assert set(own.predictions) == {v.stem for v in ctx.suite.split("test")}
    write_results(rep, tmp_path / "R.md", "all rows")


@pytest.mark.slow
@pytest.mark.parametrize("version", sorted(SUITES))
def test_each_generator_suite_version(version: str, tmp_path: Path) -> None:
    """`laps synth suite` of every version, short and small: manifest, hand speed, rows."""
    write_suite(tmp_path / "suite", version, duration_s=8.0, size=(192, 108))
    s = read_suite(tmp_path / "suite")
    assert s.suite_version == version
    rep = run_accuracy(tmp_path / "suite", tmp_path / "w", checkpoint=None, methods=FAST, jobs=2)
    assert {r.key for r in rep.rows} == set(FAST)


def test_content_rows_fit_on_train_and_keep_labels(suite: Path, tmp_path: Path) -> None:
    rep = run_accuracy(
        suite, tmp_path, checkpoint=None, methods=["laps_content", "laps_content_default"]
    )
    rows = {r.key: r for r in rep.results}
    fitted = rows["laps_content"].calibration
    assert fitted["method"] == "supervised_f1_mean" and 0 <= fitted["train_f1_mean"] <= 1
    assert rows["laps_content_default"].calibration["method"] == "default (segment.content)"
    for row in rows.values():
        for track in row.predictions.values():
            assert track.labels is not None and set(track.labels) <= {"idle", "active"}
