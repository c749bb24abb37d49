"""From video to tokenizer to segments: laps tracks -> train -> laps segment --checkpoint."""

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from laps.cli import app
from laps.tokenizer.config import LossConfig, TokenizerConfig, TrainConfig
from laps.tokenizer.train import train

runner = CliRunner()
SETTINGS = [
    "--set", "video.resize_shorter=240",
    "--set", "tracking.grid_size=4",
    "--set", "window.length=6",
]  # fmt: skip


@pytest.fixture(scope="module")
def checkpoint(motion_video: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("ckpt")
    res = runner.invoke(app, ["tracks", str(motion_video), "--out", str(root / "data"), *SETTINGS])
    assert res.exit_code == 0, res.output
    model = TokenizerConfig(
        d_model=16, n_layers=1, n_heads=2, n_decoder_layers=1, decoder_mlp_hidden=16,
        fsq_levels=(5, 5), num_points=16, window_length=6, dropout=0.0,
        loss=LossConfig(velocity_scale_px=120.0),
    )  # fmt: skip
    cfg = TrainConfig(epochs=1, batch_size=16, device="cpu", val_fraction=0.0)
    return train(cfg, root / "data", root / "run", model_cfg=model, progress=False)


def test_segment_with_checkpoint(motion_video: Path, checkpoint: Path, tmp_path: Path):
    out = tmp_path / "out"
    res = runner.invoke(
        app,
        ["segment", str(motion_video), "--out", str(out), "--checkpoint", str(checkpoint),
         "--device", "cpu", "--no-clips", "--set", "gates.motion_gate.enabled=false",
         "--set", "gates.pre_gate.enabled=false"],
    )  # fmt: skip
    assert res.exit_code == 0, res.output
    run = out / "motion"
    manifest = json.loads((run / "manifest.json").read_text())
    assert manifest["checkpoint"]["param_count"] > 0 and len(manifest["checkpoint"]["sha256"]) == 64
    assert manifest["config"]["window"]["length"] == 6  # decided by the checkpoint
    assert manifest["config"]["energy"]["source"] == "quantized"
    windows = [json.loads(x) for x in (run / "windows.jsonl").read_text().splitlines()]
    assert all(len(w["codes"]) == 5 for w in windows)  # T - 1 tokens, every window encoded
    assert all(0 <= c < 25 for w in windows for c in w["codes"])  # FSQ [5, 5]: 25 codes
    perf = json.loads((run / "perf_summary.json").read_text())
    assert perf["param_count"] == manifest["checkpoint"]["param_count"]
    assert perf["t_forward_s"]["mean"] > 0


def test_checkpoint_mismatch_and_missing(motion_video: Path, checkpoint: Path, tmp_path: Path):
    res = runner.invoke(
        app,
        ["segment", str(motion_video), "--out", str(tmp_path), "--checkpoint", str(checkpoint),
         "--set", "window.length=8"],
    )  # fmt: skip
    assert res.exit_code == 2
    assert "window.length=8 but the checkpoint was trained with 6" in res.output
    res = runner.invoke(
        app, ["segment", str(motion_video), "--checkpoint", str(tmp_path / "nope.pt")]
    )
    assert res.exit_code == 2 and "checkpoint not found" in res.output
    bad = tmp_path / "bad.pt"
    bad.write_bytes(b"not a checkpoint")
    res = runner.invoke(app, ["segment", str(motion_video), "--checkpoint", str(bad)])
    assert res.exit_code == 2 and "bad.pt" in res.output
