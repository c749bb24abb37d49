"""``laps eval`` end to end: tables, JSON and CSV files, exit 2 on bad input."""

import csv
import json

import pytest
from typer.testing import CliRunner

from laps.cli import app
from laps.cli.eval_cmd import parse_values


def seg_json(path, video, spans, duration=10.0):
    path.parent.mkdir(parents=True, exist_ok=True)
    segs = [{"start_sec": s, "end_sec": e, "label": lab} for s, e, lab in spans]
    path.write_text(json.dumps({"video": video, "segments": segs, "video_duration_sec": duration}))


@pytest.fixture
def folders(tmp_path):
    gt, out = tmp_path / "gt", tmp_path / "out"
    seg_json(gt / "a.json", "a.mp4", [(0, 4, "reach"), (4, 10, "grasp")])
    seg_json(gt / "b.json", "b.mp4", [(0, 5, "reach"), (5, 10, "idle")])
    seg_json(out / "a" / "segments.json", "a.mp4", [(0.2, 4.1, "c0"), (4.1, 9.8, "c1")])
    (out / "a" / "segments.jsonl").write_text(
        '{"start_s": 0.2, "end_s": 4.1, "energy_mean": 2.0}\n'
        '{"start_s": 4.1, "end_s": 9.8, "energy_mean": 1.0}\n'
    )
    return tmp_path, out, gt


def invoke(*args):
    return CliRunner().invoke(app, ["eval", *map(str, args)])


def test_eval_writes_json_and_csv(folders):
    tmp, out, gt = folders
    res = invoke(out, gt, "--tolerance", "0.5,1", "--iou", "0.5", "--labels",
                 "--json", tmp / "r.json", "--csv", tmp / "r.csv")  # fmt: skip
    assert res.exit_code == 0, res.output
    assert "Boundaries (one-to-one matching)" in res.output and "missing" in res.output
    doc = json.loads((tmp / "r.json").read_text())
    assert doc["inputs"] == {"pred": str(out), "gt": str(gt)}
    assert doc["per_video"]["a"]["confidence"] == "energy_mean"
    # a: true 4; predicted 0.2, 4.1, 9.8 -> P 1/3, R 1, F1 0.5; b scores 0.
    assert doc["summary"]["f1@0.5s"] == pytest.approx(0.25)
    assert doc["summary"]["videos_without_prediction"] == 1 and "mof" in doc["summary"]
    rows = list(csv.DictReader((tmp / "r.csv").open()))
    assert [r["video"] for r in rows] == ["a", "b", "ALL"]
    assert float(rows[-1]["map@0.5"]) == pytest.approx(doc["summary"]["map@0.5"])


def test_greedy_option(folders):
    _, out, gt = folders
    res = invoke(out, gt, "--matching", "greedy", "--tolerance", "2", "--tolerance", "5")
    assert res.exit_code == 0, res.output
    assert "greedy matching" in res.output and "5s" in res.output


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--matching", "best"], "expected one of one-to-one, greedy"),
        (["--tolerance", "abc"], "expected numbers"),
        (["--iou", "2"], "expected values in"),
        (["--label-matching", "x"], "per-video, global"),
        (["--json", "nowhere/r.json"], "existing folder"),
    ],
)
def test_bad_options_exit_2(folders, extra, message):
    tmp, out, gt = folders
    res = invoke(out, gt, "--csv", tmp / "r.csv", *extra)
    assert res.exit_code == 2
    assert message in res.output
    assert not (tmp / "r.csv").exists()


def test_bad_inputs_exit_2_and_write_nothing(folders):
    tmp, out, gt = folders
    res = invoke(tmp / "missing", gt, "--json", tmp / "r.json")
    assert res.exit_code == 2 and "expected an existing" in res.output
    (gt / "c.json").write_text('{"segments": [{"start_sec": 5, "end_sec": 1}]}')
    res = invoke(out, gt, "--json", tmp / "r.json")
    assert res.exit_code == 2 and "end_sec >= start_sec" in res.output
    assert not (tmp / "r.json").exists()


def test_parse_values():
    assert parse_values("--x", ["0.5,1", "2 5"], (9.0,)) == (0.5, 1.0, 2.0, 5.0)
    assert parse_values("--x", None, (9.0,)) == (9.0,)


def test_idle_and_length_metrics_through_the_cli(tmp_path):
    gt, out = tmp_path / "gt", tmp_path / "out"
    seg_json(gt / "v.json", "v.mp4", [(0, 2, "reach"), (2, 8, "idle"), (8, 10, "grasp")])
    pred = [(0, 2.3, "active"), (2.3, 5, "idle"), (5, 8, "idle"), (8, 10, "active")]
    seg_json(out / "v.json", "v.mp4", pred)
    res = invoke(out, gt, "--json", tmp_path / "r.json", "--csv", tmp_path / "r.csv")
    assert res.exit_code == 0, res.output
    assert "idle_false_per_min" in res.output and "segment_ratio" in res.output
    row = json.loads((tmp_path / "r.json").read_text())["per_video"]["v"]
    # 2.3 is 0.3 s from the idle's start: not false; 5 is: 1 per 0.1 min of idle.
    assert row["idle_false_boundaries"] == 1 and row["idle_false_per_min"] == pytest.approx(10)
    assert row["segment_ratio"] == pytest.approx(4 / 3)
    res = invoke(out, gt, "--idle-tolerance", "3", "--json", tmp_path / "r.json")
    assert res.exit_code == 0, res.output
    summary = json.loads((tmp_path / "r.json").read_text())["summary"]
    assert summary["idle_false_per_min"] == 0.0
    assert invoke(out, gt, "--idle-tolerance", "-1").exit_code == 2
