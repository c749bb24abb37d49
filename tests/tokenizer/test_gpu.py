"""CUDA: bf16 autocast training end to end, float32 FSQ under autocast, a real OOM."""

import json
import logging
from pathlib import Path

import numpy as np
import pytest
import torch

from laps.tokenizer.dataset import WindowDataset
from laps.tokenizer.fsq import FSQ
from laps.tokenizer.model import MotionTokenizer
from laps.tokenizer.presets import preset_config
from laps.tokenizer.train import train

from .conftest import make_dataset, tiny_config, tiny_train_config

pytestmark = [
    pytest.mark.gpu,
    pytest.mark.skipif(not torch.cuda.is_available(), reason="needs a CUDA GPU"),
]


def test_amp_training_on_cuda_and_loading_on_cpu(tmp_path: Path) -> None:
    ds = make_dataset(3, 12)
    best = train(
        tiny_train_config(epochs=3, device="cuda", amp=True), ds, tmp_path, model_cfg=tiny_config()
    )
    rows = [json.loads(x) for x in (tmp_path / "metrics.jsonl").read_text().splitlines()]
    assert all(r["train_bad_batches"] == 0 for r in rows)
    assert rows[-1]["train_loss"] < rows[0]["train_loss"]
    cpu_model, _ = MotionTokenizer.from_checkpoint(best, map_location="cpu")
    gpu_model, _ = MotionTokenizer.from_checkpoint(best, map_location="cuda")
    vel = ds[0]["velocities"].unsqueeze(0)
    a = cpu_model(vel).logits
    b = gpu_model(vel.cuda()).logits.cpu()
    assert torch.allclose(a, b, atol=1e-3)


def test_fsq_is_float32_under_cuda_autocast() -> None:
    fsq = FSQ((8, 8, 6, 5), dim=64).cuda()
    z = torch.randn(8, 15, 64, device="cuda")
    with torch.autocast("cuda", dtype=torch.bfloat16):
        out = fsq(z)
    assert out.quantized.dtype == torch.float32 and out.bounded.dtype == torch.float32
    assert torch.equal(out.indices, fsq(z).indices)


def test_real_out_of_memory_is_survived(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    """16384 windows of 400 points need ~0.5 TB of activations: micro-batches halve until
    a pass fits, and the step still covers the whole batch."""
    m, n = 16384, 400
    g = torch.Generator().manual_seed(0)
    vel = (torch.randn(m, 15, n, 2, generator=g) * 0.02).numpy()
    meta = dict(make_dataset(1, 1).meta, n_points=n, grid_size=20, window_length=16)
    ds = WindowDataset(vel, np.ones((m, 16, n), bool), np.zeros(m, np.int64), ["v"], meta)
    tcfg = tiny_train_config(epochs=1, batch_size=m, device="cuda", amp=True, val_fraction=0)
    with caplog.at_level(logging.WARNING, logger="laps"):
        train(tcfg, ds, tmp_path, model_cfg=preset_config("small"))
    assert "out of memory" in caplog.text
    row = json.loads((tmp_path / "metrics.jsonl").read_text())
    assert row["micro_batch"] < m and row["train_bad_batches"] == 0 and row["train_windows"] == m
