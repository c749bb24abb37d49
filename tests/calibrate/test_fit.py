"""Calibration from runs: the proxy in windows.jsonl, run folders read back, both fits."""

import json
from pathlib import Path

import numpy as np
import pytest

from laps.calibrate.calibration import Aggregate, LabelSpec, Objective
from laps.calibrate.fit import CalibrateOptions, calibrate
from laps.calibrate.run_data import check_run_config, load_run, sample_grid
from laps.calibrate.sweep import predicted_segments
from laps.config import load_config
from laps.errors import ConfigError
from laps.pipeline.encode import Latents
from laps.pipeline.run import segment_source
from laps.segment.functional import HysteresisParams

SETTINGS = [
    "video.resize_shorter=240",
    "export.clips=false",
    "segment.method=hysteresis",
    "gates.pre_gate.enabled=true",  # a pre-gated window's proxy is 0
    "gates.motion_gate.enabled=true",
]
ACTIVE = [(2.0, 5.0), (7.0, 10.0)]
CKPT = {"path": "tiny.pt", "sha256": "ab" * 32}


class TinyEncoder:
    """A stand-in tokenizer: latents are scaled velocities (enough for a prequant energy)."""

    param_count = 0

    def encode_batch(self, velocities: np.ndarray) -> list[Latents]:
        z = velocities.reshape(velocities.shape[0], velocities.shape[1], -1)[:, :, :8] * 10
        z = z.astype(np.float32)
        return [Latents(prequant=x, quantized=np.round(x), codes=np.arange(len(x))) for x in z]


def _rows(folder: Path) -> list[dict]:
    return [json.loads(x) for x in (folder / "windows.jsonl").read_text().splitlines()]


@pytest.fixture(scope="module")
def runs(motion_video: Path, tmp_path_factory: pytest.TempPathFactory):
    root = tmp_path_factory.mktemp("runs")
    cfg = load_config(None, SETTINGS)
    vel = segment_source(str(motion_video), root / "velocity", cfg)
    pcfg = load_config(None, [*SETTINGS, "energy.source=prequant", "energy.mode=l2_mean"])
    pre = segment_source(
        str(motion_video), root / "prequant", pcfg, encoder=TinyEncoder(), checkpoint=CKPT
    )
    return {"cfg": cfg, "vel": vel, "pcfg": pcfg, "pre": pre}


def test_proxy_is_the_velocity_energy(runs) -> None:
    vel = _rows(runs["vel"].out_dir)
    assert all(r["proxy"] == r["energy_raw"] for r in vel)  # source=velocity: identical
    assert any(r["outcome"] == "pre_gated" and r["proxy"] == 0.0 for r in vel)
    pre = _rows(runs["pre"].out_dir)
    # another energy source, same tracks: every window still carries the velocity energy
    assert [r["proxy"] for r in pre] == pytest.approx([r["energy_raw"] for r in vel])
    assert [r["energy_raw"] for r in pre] != pytest.approx([r["proxy"] for r in pre])
    assert "energy" in pre[0] and "motion_gate" in pre[0]  # existing fields unchanged


def test_run_folder_reproduces_the_pipeline_segments(runs) -> None:
    res, cfg = runs["vel"], runs["cfg"]
    run = load_run(res.out_dir)
    assert run.name == "motion" and run.curve.energy.size == res.n_windows
    params = HysteresisParams.from_config(
        cfg.segment, res.threshold.value, cfg.window, cfg.video.target_fps
    )
    got = predicted_segments(run.curve, params)
    want = json.loads((res.out_dir / "segments.json").read_text())["segments"]
    assert len(got) == len(want) == 2
    flat = [t for seg in got for t in seg]
    assert flat == pytest.approx(
        [t for s in want for t in (s["start_sec"], s["end_sec"])], abs=1e-6
    )


def test_sample_grid_interpolates_between_recorded_samples() -> None:
    rows = [
        {"start_sample": 0, "end_sample": 4, "start_frame": 0, "end_frame": 10, "start_s": 0.0,
         "end_s": 0.9},
        {"start_sample": 2, "end_sample": 6, "start_frame": 6, "end_frame": 16, "start_s": 0.6,
         "end_s": 1.5},
    ]  # fmt: skip
    index, time = sample_grid(rows)
    assert index.tolist() == [0, 3, 6, 9, 12, 15]
    assert time == pytest.approx([0.0, 0.3, 0.6, 0.9, 1.2, 1.5])


@pytest.mark.parametrize("objective", [Objective.F1, Objective.YOUDEN])
def test_unsupervised_calibration(runs, objective: Objective) -> None:
    run = load_run(runs["vel"].out_dir)
    doc = calibrate([run], runs["cfg"], CalibrateOptions(objective=objective))
    video = doc["per_video"]["motion"]
    assert doc["method"] == f"pseudo_label_{objective.value}" and doc["aggregate"] == "median"
    assert doc["threshold"] == video["threshold"] > 0
    assert video["n_pos"] > 0 and video["n_neg"] > 0 and video["proxy_threshold"] > 0
    assert doc["energy"]["source"] == "velocity" and doc["checkpoint_sha256"] is None
    assert doc["label_spec"] == "auto" and doc["schema"] == 1


def test_pooled_and_quantile_labels(runs) -> None:
    runs_ = [load_run(runs["pre"].out_dir)]
    opts = CalibrateOptions(label=LabelSpec("quantile", 0.5), aggregate=Aggregate.POOLED)
    doc = calibrate(runs_, runs["pcfg"], opts)
    assert doc["aggregate"] == "pooled" and doc["label_spec"] == "quantile:0.5"
    assert doc["threshold"] == doc["summary"]["pooled"]["threshold"]
    assert doc["energy"]["source"] == "prequant" and doc["checkpoint_sha256"] == CKPT["sha256"]


def test_a_run_refuses_a_calibration_of_another_checkpoint(
    runs, motion_video: Path, tmp_path: Path
) -> None:
    calib = tmp_path / "calib.json"
    doc = calibrate([load_run(runs["pre"].out_dir)], runs["pcfg"], CalibrateOptions())
    calib.write_text(json.dumps(doc))
    cfg = runs["pcfg"].model_copy(
        update={"segment": runs["pcfg"].segment.model_copy(update={"calibration": calib})}
    )
    other = {"path": "other.pt", "sha256": "cd" * 32}
    with pytest.raises(ConfigError, match="made with checkpoint sha256"):
        segment_source(str(motion_video), tmp_path, cfg, encoder=TinyEncoder(), checkpoint=other)
    assert not (tmp_path / "motion").exists() and not (tmp_path / "motion.partial").exists()


def test_supervised_calibration(runs, tmp_path: Path) -> None:
    segs = [{"start_sec": a, "end_sec": b, "label": "move"} for a, b in ACTIVE]
    gt = {"video": "motion.mp4", "segments": segs, "video_duration_sec": 12.0}
    (tmp_path / "motion.json").write_text(json.dumps(gt))
    run = load_run(runs["vel"].out_dir)
    doc = calibrate([run], runs["cfg"], CalibrateOptions(gt_dir=tmp_path, tolerance_s=1.0))
    assert doc["method"] == "supervised_boundary_f1" and doc["aggregate"] == "pooled"
    assert doc["summary"]["f1_mean"] >= 0.75 and doc["tolerance_s"] == 1.0
    assert doc["per_video"]["motion"]["f1_at_threshold"] == doc["summary"]["f1_mean"]
    with pytest.raises(ConfigError, match="youden needs pseudo-labels"):
        calibrate([run], runs["cfg"], CalibrateOptions(gt_dir=tmp_path, objective=Objective.YOUDEN))
    (tmp_path / "empty").mkdir()
    with pytest.raises(ConfigError, match="expected ground truth"):
        calibrate([run], runs["cfg"], CalibrateOptions(gt_dir=tmp_path / "empty"))
    with pytest.raises(ConfigError, match="expected a folder"):
        calibrate([run], runs["cfg"], CalibrateOptions(gt_dir=tmp_path / "none"))


def test_run_config_mismatch_is_refused(runs) -> None:
    run = load_run(runs["pre"].out_dir)
    check_run_config(run, runs["pcfg"])
    with pytest.raises(ConfigError, match=r"energy.source='prequant' \(expected 'velocity'\)"):
        check_run_config(run, runs["cfg"])
    other = load_config(None, [*SETTINGS, "energy.source=prequant", "energy.mode=l2_mean",
                               "energy.alpha=0.3"])  # fmt: skip
    with pytest.raises(ConfigError, match="config.yaml"):
        check_run_config(run, other)


def test_degenerate_video_is_skipped_then_refused(runs) -> None:
    run = load_run(runs["vel"].out_dir)
    opts = CalibrateOptions(label=LabelSpec("value", 100.0))  # every pseudo-label negative
    with pytest.raises(ConfigError, match="no video gave a threshold"):
        calibrate([run], runs["cfg"], opts)
