"""``segment.method=change`` in a whole run: a tiling in seconds, its scores, its threshold."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from laps.cli import app
from laps.config import load_config
from laps.errors import ConfigError
from laps.pipeline.changes import SCORES_FILE
from laps.pipeline.encode import Latents
from laps.pipeline.run import RunResult, segment_source
from laps.segment.change import ChangeParams, pick_boundaries

SETTINGS = ["video.resize_shorter=240", "export.clips=false", "segment.method=change"]
N_SAMPLES = 120  # 12 s at 10 fps
DURATION_S = 12.0


class TinyEncoder:
    """A stand-in tokenizer: latents are scaled velocities of the first 4 points."""

    param_count = 0

    def __init__(self) -> None:
        self.windows = 0

    def encode_batch(self, velocities: np.ndarray) -> list[Latents]:
        self.windows += len(velocities)
        z = velocities.reshape(velocities.shape[0], velocities.shape[1], -1)[:, :, :8] * 10
        z = z.astype(np.float32)
        return [Latents(prequant=x, quantized=np.round(x), codes=np.arange(len(x))) for x in z]


def _lines(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text().splitlines()]


def _manifest(result: RunResult) -> dict:
    return json.loads((result.out_dir / "manifest.json").read_text())


def _check_tiling(result: RunResult) -> list[dict]:
    segs = _lines(result.out_dir / "segments.jsonl")
    assert segs, "a change run always gives at least one segment"
    assert segs[0]["start_s"] == 0.0 and segs[0]["start_sample"] == 0
    for a, b in zip(segs[:-1], segs[1:], strict=True):
        assert b["start_s"] == a["end_s"] and b["start_sample"] == a["end_sample"]
        assert b["start_frame"] == a["end_frame"]
    assert segs[-1]["end_s"] == pytest.approx(DURATION_S, abs=0.05)
    assert segs[-1]["end_sample"] == N_SAMPLES
    for s in segs:
        assert s["end_s"] > s["start_s"]
        assert 0 <= s["start_window"] < s["end_window"] <= result.n_windows
    assert [s.id for s in result.segments] == list(range(len(segs)))
    return segs


def _check_scores(result: RunResult, features: str, threshold: float) -> None:
    doc = json.loads((result.out_dir / SCORES_FILE).read_text())
    assert doc["features"] == features and doc["threshold"] == pytest.approx(threshold)
    scores = np.asarray(doc["scores"])
    assert scores.shape == (N_SAMPLES,)  # one score per sample
    assert np.all((scores >= 0) & (scores <= 2))
    # the offline re-cut of the exported scores gives the run's own boundaries
    p = ChangeParams(threshold, doc["half_width"], doc["min_distance"])
    segs = _lines(result.out_dir / "segments.jsonl")
    assert pick_boundaries(scores, p) == [s["start_sample"] for s in segs[1:]]


@pytest.fixture(scope="module")
def velocity_run(motion_video: Path, tmp_path_factory: pytest.TempPathFactory) -> RunResult:
    cfg = load_config(None, SETTINGS)
    return segment_source(str(motion_video), tmp_path_factory.mktemp("out"), cfg)


def test_velocity_run_tiles_the_video(velocity_run: RunResult) -> None:
    segs = _check_tiling(velocity_run)
    cfg = load_config(None, SETTINGS)
    _check_scores(velocity_run, "velocity", cfg.segment.change_threshold)
    choice = _manifest(velocity_run)["threshold"]
    assert choice["method"] == "default" and choice["detail"] == "segment.change_threshold"
    assert choice["value"] == pytest.approx(cfg.segment.change_threshold)
    # the patch starts moving at 2 s and 7 s and stops at 5 s and 10 s: cuts near those
    edges = [s["start_s"] for s in segs[1:]]
    for t in (2.0, 5.0, 7.0, 10.0):
        assert min(abs(e - t) for e in edges) <= 1.0, edges


def test_fixed_threshold(motion_video: Path, tmp_path: Path) -> None:
    cfg = load_config(None, [*SETTINGS, "segment.threshold=0.3", "segment.change_half_width=3"])
    result = segment_source(str(motion_video), tmp_path, cfg)
    _check_tiling(result)
    _check_scores(result, "velocity", 0.3)
    choice = _manifest(result)["threshold"]
    assert (choice["method"], choice["value"]) == ("fixed", 0.3)


def test_calibration_threshold(motion_video: Path, tmp_path: Path) -> None:
    calib = tmp_path / "calibration.json"
    calib.write_text(json.dumps({"threshold": 0.25}))
    cfg = load_config(None, [*SETTINGS, f"segment.calibration={calib}"])
    result = segment_source(str(motion_video), tmp_path / "out", cfg)
    _check_tiling(result)
    _check_scores(result, "velocity", 0.25)
    choice = _manifest(result)["threshold"]
    assert (choice["method"], choice["value"]) == ("calibration", 0.25)
    assert choice["calibration"]["path"] == str(calib)


def test_learned_features_need_a_tokenizer(motion_video: Path, tmp_path: Path) -> None:
    for features in ("prequant", "quantized"):
        cfg = load_config(None, [*SETTINGS, f"segment.change_features={features}"])
        with pytest.raises(ConfigError, match="--checkpoint"):
            segment_source(str(motion_video), tmp_path, cfg)
    assert not (tmp_path / "motion").exists()


def test_prequant_features_with_a_tokenizer(motion_video: Path, tmp_path: Path) -> None:
    cfg = load_config(None, SETTINGS)  # pre-gated windows are not encoded: no features
    encoder = TinyEncoder()
    result = segment_source(str(motion_video), tmp_path, cfg, encoder=encoder)
    assert encoder.windows > 0
    _check_tiling(result)
    _check_scores(result, "prequant", cfg.segment.change_threshold)  # auto -> prequant


def test_cli_segment_with_the_change_method(motion_video: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    args = ["segment", str(motion_video), "--out", str(out), "--no-clips"]
    sets = ["video.resize_shorter=240", "segment.method=change"]
    result = CliRunner().invoke(app, [*args, *(x for s in sets for x in ("--set", s))])
    assert result.exit_code == 0, result.output
    assert (out / "motion" / SCORES_FILE).is_file()
    assert (out / "motion" / "segments.jsonl").read_text().strip()


# --- calibration of the change threshold ------------------------------------------------


def _truth(folder: Path) -> Path:
    """Ground truth of the motion video: still, moving 2-5 s, still, moving 7-10 s, still."""
    edges = [0.0, 2.0, 5.0, 7.0, 10.0, DURATION_S]
    segs = [
        {"start_sec": a, "end_sec": b, "label": "x"} for a, b in zip(edges, edges[1:], strict=False)
    ]
    folder.mkdir(parents=True, exist_ok=True)
    doc = {"video": "motion.mp4", "segments": segs, "video_duration_sec": DURATION_S}
    (folder / "motion.json").write_text(json.dumps(doc))
    return folder


def _calibrate(*args: str):
    return CliRunner().invoke(app, ["calibrate", *args])


def test_calibrate_fits_the_change_threshold_with_ground_truth(
    velocity_run: RunResult, motion_video: Path, tmp_path: Path
) -> None:
    gt, calib = _truth(tmp_path / "gt"), tmp_path / "calib.json"
    sets = [x for s in SETTINGS for x in ("--set", s)]
    res = _calibrate(str(velocity_run.out_dir), "--gt", str(gt), "--out", str(calib), *sets)
    assert res.exit_code == 0, res.output
    doc = json.loads(calib.read_text())
    assert doc["method"] == "supervised_change_f1" and doc["threshold"] >= 0.0
    assert doc["segment_params"]["method"] == "change"
    cfg = load_config(None, [*SETTINGS, f"segment.calibration={calib}"])
    result = segment_source(str(motion_video), tmp_path / "out", cfg)
    assert _manifest(result)["threshold"]["calibration"]["method"] == "supervised_change_f1"
    hyst = load_config(None, [*SETTINGS[:-1], f"segment.calibration={calib}"])
    hyst = hyst.model_copy(
        update={"segment": hyst.segment.model_copy(update={"method": "hysteresis"})}
    )
    with pytest.raises(ConfigError, match="change-segmenter threshold"):
        segment_source(str(motion_video), tmp_path / "out2", hyst)


def test_calibrate_change_needs_ground_truth(velocity_run: RunResult, tmp_path: Path) -> None:
    calib = tmp_path / "calib.json"
    sets = [x for s in SETTINGS for x in ("--set", s)]
    res = _calibrate(str(velocity_run.out_dir), "--out", str(calib), *sets)
    assert res.exit_code == 2 and "needs ground truth" in res.output
    assert not calib.exists()


def test_a_hysteresis_calibration_is_refused_by_a_change_run(
    motion_video: Path, tmp_path: Path
) -> None:
    calib = tmp_path / "calibration.json"
    calib.write_text(json.dumps({"threshold": 0.01, "method": "pseudo_label_f1"}))
    cfg = load_config(None, [*SETTINGS, f"segment.calibration={calib}"])
    with pytest.raises(ConfigError, match="hysteresis"):
        segment_source(str(motion_video), tmp_path / "out", cfg)
    assert not (tmp_path / "out" / "motion").exists()
