"""``laps calibrate`` end to end: videos or reused runs -> calib.json -> ``laps segment``."""

import json
import shutil
import tempfile
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cli_checks import assert_one_error_line
from laps.cli import app

runner = CliRunner()
BASE = ["--set", "video.resize_shorter=240", "--set", "segment.method=hysteresis"]
ACTIVE = [(2.0, 5.0), (7.0, 10.0)]


def _calibrate(*args: str):
    return runner.invoke(app, ["calibrate", *args, *BASE])


@pytest.fixture(scope="module")
def calibrated(motion_video: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("calib")
    work, out = root / "work", root / "calib.json"
    res = _calibrate(str(motion_video), "--out", str(out), "--work", str(work))
    assert res.exit_code == 0, res.output
    assert "[pseudo_label_f1, median] from 1 videos" in res.output
    return {"root": root, "work": work, "calib": out}


def test_calibration_document(calibrated: dict[str, Path]) -> None:
    doc = json.loads(calibrated["calib"].read_text())
    assert doc["schema"] == 1 and doc["method"] == "pseudo_label_f1"
    assert doc["threshold"] == doc["per_video"]["motion"]["threshold"] > 0
    assert doc["energy"]["source"] == "velocity" and doc["checkpoint_sha256"] is None
    assert doc["segment_params"]["hysteresis_ratio"] == 0.95 and doc["created"]
    run = calibrated["work"] / "motion"
    assert (run / "windows.jsonl").is_file() and not (run / "clips").exists()


def test_temporary_work_folder_is_removed(motion_video: Path, tmp_path: Path, monkeypatch):
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))
    res = _calibrate(str(motion_video), "--out", str(tmp_path / "c.json"), "--objective", "youden")
    assert res.exit_code == 0, res.output
    assert json.loads((tmp_path / "c.json").read_text())["method"] == "pseudo_label_youden"
    assert list(scratch.iterdir()) == []


@pytest.mark.parametrize("which", ["root", "run"])
def test_run_folders_are_reused(calibrated: dict[str, Path], tmp_path: Path, which: str) -> None:
    windows = calibrated["work"] / "motion" / "windows.jsonl"
    before = windows.stat().st_mtime_ns
    source = calibrated["work"] if which == "root" else calibrated["work"] / "motion"
    res = _calibrate(str(source), "--out", str(tmp_path / "again.json"))
    assert res.exit_code == 0, res.output
    again = json.loads((tmp_path / "again.json").read_text())
    assert again["threshold"] == json.loads(calibrated["calib"].read_text())["threshold"]
    assert windows.stat().st_mtime_ns == before  # read, not recomputed


def test_supervised_with_ground_truth(calibrated: dict[str, Path], tmp_path: Path) -> None:
    gt = tmp_path / "gt"
    gt.mkdir()
    segs = [{"start_sec": a, "end_sec": b, "label": "move"} for a, b in ACTIVE]
    doc = {"video": "motion.mp4", "segments": segs, "video_duration_sec": 12.0}
    (gt / "motion.json").write_text(json.dumps(doc))
    out = tmp_path / "sup.json"
    res = _calibrate(str(calibrated["work"]), "--gt", str(gt), "--out", str(out))
    assert res.exit_code == 0, res.output
    sup = json.loads(out.read_text())
    assert sup["method"] == "supervised_boundary_f1" and sup["aggregate"] == "pooled"
    assert sup["summary"]["f1_mean"] >= 0.75 and sup["tolerance_s"] == 1.0
    assert "TRAINING split" in runner.invoke(app, ["calibrate", "--help"]).output


def test_segment_uses_the_calibration(calibrated, motion_video: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    res = runner.invoke(
        app,
        ["segment", str(motion_video), "--out", str(out), "--no-clips",
         "--calibration", str(calibrated["calib"]), *BASE],
    )  # fmt: skip
    assert res.exit_code == 0, res.output
    manifest = json.loads((out / "motion" / "manifest.json").read_text())
    thr = manifest["threshold"]
    assert thr["method"] == "calibration"
    assert thr["value"] == json.loads(calibrated["calib"].read_text())["threshold"]
    assert thr["calibration"]["method"] == "pseudo_label_f1"
    assert thr["calibration"]["aggregate"] == "median"
    assert thr["calibration"]["path"] == str(calibrated["calib"])


def test_segment_refuses_another_energy(calibrated, motion_video: Path, tmp_path: Path) -> None:
    doc = json.loads(calibrated["calib"].read_text())
    doc["energy"]["source"] = "quantized"
    bad = tmp_path / "quantized.json"
    bad.write_text(json.dumps(doc))
    out = tmp_path / "out"
    res = runner.invoke(
        app,
        ["segment", str(motion_video), "--out", str(out), "--no-clips",
         "--calibration", str(bad), *BASE],
    )  # fmt: skip
    assert_one_error_line(res, "made for energy.source=quantized")
    assert not (out / "motion").exists()


def _broken_run(calibrated: dict[str, Path], tmp_path: Path, edit) -> Path:
    run = tmp_path / "runs" / "motion"
    shutil.copytree(calibrated["work"] / "motion", run)
    rows = [json.loads(x) for x in (run / "windows.jsonl").read_text().splitlines()]
    (run / "windows.jsonl").write_text("".join(json.dumps(r) + "\n" for r in edit(rows)))
    return run


def _nan_energies(rows: list[dict]) -> list[dict]:
    return [r | {"energy": None, "energy_raw": None, "proxy": None} for r in rows]


@pytest.mark.parametrize(
    ("case", "fragment"),
    [
        ("missing", "video path not found"),
        ("no_windows", "expected window records, got none"),
        ("all_nan", "no video gave a threshold"),
        ("bad_gt", "not a segments JSON"),
        ("mismatch", "config.yaml"),
        ("bad_label", "--label-threshold: expected a label spec"),
        ("bad_aggregate", "--aggregate: expected median | mean | pooled"),
    ],
)
def test_bad_inputs_write_nothing(calibrated, tmp_path: Path, case: str, fragment: str) -> None:
    out = tmp_path / "calib.json"
    args = [str(calibrated["work"]), "--out", str(out)]
    if case == "missing":
        args[0] = str(tmp_path / "nope.mp4")
    elif case == "no_windows":
        args[0] = str(_broken_run(calibrated, tmp_path, lambda rows: []))
    elif case == "all_nan":
        args[0] = str(_broken_run(calibrated, tmp_path, _nan_energies))
    elif case == "bad_gt":
        (tmp_path / "motion.json").write_text("{not json")
        args += ["--gt", str(tmp_path)]
    elif case == "mismatch":
        args += ["--set", "energy.smoothing=none"]
    elif case == "bad_label":
        args += ["--label-threshold", "median"]
    else:
        args += ["--aggregate", "max"]
    assert_one_error_line(_calibrate(*args), fragment)
    assert not out.exists()


def test_runs_of_a_checkpoint_calibrate_with_that_checkpoint_alone(
    motion_video: Path, tmp_path: Path
) -> None:
    # run folders made with a tokenizer: --checkpoint suffices, no --config needed
    from laps.tokenizer.assets import SUITE1_SMALL

    out, gt, calib = tmp_path / "out", tmp_path / "gt", tmp_path / "calib.json"
    ckpt = ["--checkpoint", str(SUITE1_SMALL), "--device", "cpu"]
    res = runner.invoke(app, ["segment", str(motion_video), "--out", str(out), "--no-clips", *ckpt])
    assert res.exit_code == 0, res.output
    gt.mkdir()
    edges = [0.0, 2.0, 5.0, 7.0, 10.0, 12.0]
    segs = [
        {"start_sec": a, "end_sec": b, "label": "x"}
        for a, b in zip(edges[:-1], edges[1:], strict=True)
    ]
    (gt / "motion.json").write_text(json.dumps({"video": "motion.mp4", "segments": segs}))
    res = runner.invoke(app, ["calibrate", str(out), "--gt", str(gt), "--out", str(calib), *ckpt])
    assert res.exit_code == 0, res.output
    doc = json.loads(calib.read_text())
    assert doc["method"] == "supervised_change_f1" and doc["checkpoint_sha256"]
    assert doc["energy"]["source"] == "quantized"


def test_content_calibration_fits_on_ground_truth_and_is_used(
    motion_video: Path, tmp_path: Path
) -> None:
    out, gt, calib = tmp_path / "out", tmp_path / "gt", tmp_path / "calib.json"
    sets = ["--set", "video.resize_shorter=240", "--set", "segment.method=content"]
    res = runner.invoke(app, ["segment", str(motion_video), "--out", str(out), "--no-clips", *sets])
    assert res.exit_code == 0, res.output
    gt.mkdir()
    edges = [0.0, 2.0, 5.0, 7.0, 10.0, 12.0]
    labels = ["idle", "circle", "idle", "circle", "idle"]
    segs = [
        {"start_sec": a, "end_sec": b, "label": lab}
        for a, b, lab in zip(edges[:-1], edges[1:], labels, strict=True)
    ]
    (gt / "motion.json").write_text(json.dumps({"video": "motion.mp4", "segments": segs}))
    res = runner.invoke(app, ["calibrate", str(out), "--gt", str(gt), "--out", str(calib), *sets])
    assert res.exit_code == 0, res.output
    doc = json.loads(calib.read_text())
    fitted = doc["summary"]["content"]
    assert doc["method"] == "supervised_content_f1" and doc["threshold"] == fitted["threshold"]
    assert doc["summary"]["f1_mean_0.5_1_2"] > 0.9  # four boundaries, all found
    again = tmp_path / "again"
    args = ["segment", str(motion_video), "--out", str(again), "--no-clips", *sets]
    res = runner.invoke(app, [*args, "--calibration", str(calib)])
    assert res.exit_code == 0, res.output
    doc = json.loads((again / "motion" / "segments.json").read_text())
    params = doc["segmentation_params"]
    assert params["threshold_method"] == "calibration"
    assert (params["on"], params["min_idle"]) == (fitted["on"], fitted["min_idle"])


def test_content_calibration_needs_ground_truth(motion_video: Path, tmp_path: Path) -> None:
    sets = ["--set", "video.resize_shorter=240", "--set", "segment.method=content"]
    args = ["calibrate", str(motion_video), "--out", str(tmp_path / "c.json"), *sets]
    assert_one_error_line(runner.invoke(app, args), "needs ground truth (--gt TRAIN_GT)")
    assert not (tmp_path / "c.json").exists()
