"""Training: overfitting, files, resume (exact), split fallbacks, NaN and OOM handling."""

import json
import logging
import math
from pathlib import Path

import pytest
import torch

from laps.errors import ConfigError, LapsError
from laps.tokenizer import steps as steps_mod
from laps.tokenizer.dataset import WindowDataset
from laps.tokenizer.loss import LossParts, tokenizer_loss
from laps.tokenizer.model import MotionTokenizer
from laps.tokenizer.schedule import lr_at
from laps.tokenizer.train import train

from .conftest import make_dataset, tiny_config, tiny_train_config


def test_schedule_warmup_then_cosine_to_min() -> None:
    lrs = [lr_at(s, 100, 1e-3, 10, 0.01) for s in range(100)]
    assert lrs[0] == pytest.approx(1e-4) and lrs[9] == pytest.approx(1e-3)
    assert all(a < b for a, b in zip(lrs[:9], lrs[1:10], strict=True))
    assert all(a >= b for a, b in zip(lrs[10:], lrs[11:], strict=False))
    assert lrs[-1] == pytest.approx(1e-5)
    assert lr_at(0, 10, 1e-3, 0, 0.1) == pytest.approx(1e-3)


def test_tiny_model_overfits_a_tiny_dataset() -> None:
    ds = make_dataset(1, 8)
    batch = {k: torch.stack([ds[i][k] for i in range(8)]) for k in ("velocities", "visible")}
    cfg = tiny_config()
    model = MotionTokenizer(cfg)
    opt = torch.optim.AdamW(model.parameters(), lr=3e-3)
    losses = []
    for _ in range(100):
        out = model(batch["velocities"])
        loss = tokenizer_loss(out.logits, out.bounded, batch["velocities"], batch["visible"], cfg)
        opt.zero_grad()
        loss.recon.backward()
        opt.step()
        losses.append(loss.recon.item())
    assert losses[-1] < 0.1 * losses[0]


def _train(tmp: Path, ds: WindowDataset, **over: object) -> Path:
    resume = bool(over.pop("resume", False))
    return train(tiny_train_config(**over), ds, tmp, resume=resume, model_cfg=tiny_config())


def test_end_to_end_writes_checkpoints_metrics_and_plot(
    tmp_path: Path, tiny_dataset: WindowDataset
) -> None:
    best = _train(tmp_path, tiny_dataset, epochs=3)
    assert best == tmp_path / "best.pt"
    for name in ("last.pt", "best.pt", "metrics.jsonl", "training.png"):
        assert (tmp_path / name).stat().st_size > 0
    assert not list(tmp_path.glob(".*tmp"))  # atomic writes left no temporary file
    rows = [json.loads(line) for line in (tmp_path / "metrics.jsonl").read_text().splitlines()]
    assert [r["epoch"] for r in rows] == [1, 2, 3]
    for key in ("train_loss", "val_loss", "val_accuracy", "val_moving_accuracy", "val_perplexity"):
        assert all(math.isfinite(r[key]) for r in rows), key
    assert rows[-1]["train_loss"] < rows[0]["train_loss"]
    assert {"lr", "windows_per_s", "epoch_time_s", "val_entropy_term"} <= rows[0].keys()
    ckpt = torch.load(tmp_path / "last.pt", weights_only=True)
    assert ckpt["codebook_size"] == 200 and ckpt["fsq_levels"] == [8, 5, 5]
    assert ckpt["data_meta"]["grid_size"] == 4 and ckpt["data_meta"]["tracker"] == "dis"
    assert ckpt["dataset_summary"]["n_videos"] == 3
    assert ckpt["tokenizer_config"]["loss"]["velocity_scale_px"] == 160.0
    assert ckpt["epoch"] == 3 and len(ckpt["history"]) == 3 and "laps_version" in ckpt


def test_split_is_by_video_and_validation_really_runs(
    tmp_path: Path, tiny_dataset: WindowDataset
) -> None:
    _train(tmp_path, tiny_dataset, epochs=1)
    row = json.loads((tmp_path / "metrics.jsonl").read_text())
    assert row["train_windows"] == 24 and row["val_windows"] == 12  # one of three videos


def test_from_checkpoint_round_trips_the_model(tmp_path: Path, tiny_dataset: WindowDataset) -> None:
    best = _train(tmp_path, tiny_dataset, epochs=1)
    model, meta = MotionTokenizer.from_checkpoint(best)
    assert not model.training and "model" not in meta and "optimizer" not in meta
    ckpt = torch.load(best, weights_only=True)
    ref = MotionTokenizer(tiny_config())
    ref.load_state_dict(ckpt["model"])
    ref.eval()
    vel = tiny_dataset[0]["velocities"].unsqueeze(0)
    a, b = model(vel), ref(vel)
    assert torch.equal(a.logits, b.logits) and torch.equal(a.codes, b.codes)


def test_resume_after_interrupt_equals_an_uninterrupted_run(
    tmp_path: Path, tiny_dataset: WindowDataset, monkeypatch: pytest.MonkeyPatch
) -> None:
    _train(tmp_path / "straight", tiny_dataset, epochs=3)
    calls = {"n": 0}
    real = steps_mod.Stepper.train_batch

    def interrupt_at_5(self: steps_mod.Stepper, *args: object) -> object:
        calls["n"] += 1
        if calls["n"] == 5:  # epoch 2, second batch
            raise KeyboardInterrupt
        return real(self, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(steps_mod.Stepper, "train_batch", interrupt_at_5)
    with pytest.raises(KeyboardInterrupt):
        _train(tmp_path / "cut", tiny_dataset, epochs=3)
    saved = torch.load(tmp_path / "cut" / "last.pt", weights_only=True)
    assert (saved["epoch"], saved["batch_in_epoch"]) == (1, 1)
    monkeypatch.setattr(steps_mod.Stepper, "train_batch", real)
    _train(tmp_path / "cut", tiny_dataset, epochs=3, resume=True)
    a = torch.load(tmp_path / "straight" / "last.pt", weights_only=True)
    b = torch.load(tmp_path / "cut" / "last.pt", weights_only=True)
    assert b["epoch"] == 3 and [r["epoch"] for r in b["history"]] == [1, 2, 3]
    for k, v in a["model"].items():
        assert torch.allclose(v, b["model"][k], atol=1e-6), k


def test_resume_extends_epochs(tmp_path: Path, tiny_dataset: WindowDataset) -> None:
    _train(tmp_path, tiny_dataset, epochs=1)
    _train(tmp_path, tiny_dataset, epochs=2, resume=True)
    lines = (tmp_path / "metrics.jsonl").read_text().splitlines()
    assert [json.loads(x)["epoch"] for x in lines] == [1, 2]


def test_existing_run_needs_resume_and_resume_needs_a_run(
    tmp_path: Path, tiny_dataset: WindowDataset
) -> None:
    with pytest.raises(ConfigError, match="no last.pt"):
        _train(tmp_path, tiny_dataset, epochs=1, resume=True)
    _train(tmp_path, tiny_dataset, epochs=1)
    with pytest.raises(ConfigError, match="already holds a training run"):
        _train(tmp_path, tiny_dataset, epochs=1)


def test_resume_on_other_data_is_refused(tmp_path: Path, tiny_dataset: WindowDataset) -> None:
    _train(tmp_path, tiny_dataset, epochs=1)
    other = make_dataset(3, 12)
    other.meta["stride"] = 4
    with pytest.raises(ConfigError, match="stride"):
        _train(tmp_path, other, epochs=2, resume=True)


def test_model_config_must_fit_the_data(tmp_path: Path, tiny_dataset: WindowDataset) -> None:
    with pytest.raises(ConfigError, match="num_points"):
        train(tiny_train_config(), tiny_dataset, tmp_path, model_cfg=tiny_config(num_points=9))


def test_one_video_falls_back_to_held_out_windows_with_a_warning(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    ds = make_dataset(1, 20)
    with caplog.at_level(logging.WARNING, logger="laps"):
        _train(tmp_path, ds, epochs=1)
    assert "one video" in caplog.text
    row = json.loads((tmp_path / "metrics.jsonl").read_text())
    assert (row["train_windows"], row["val_windows"]) == (18, 2)


def test_transient_nan_batches_are_skipped_and_counted(
    tmp_path: Path, tiny_dataset: WindowDataset, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls = {"n": 0}

    def nan_twice(*args: object) -> LossParts:
        parts = tokenizer_loss(*args)  # type: ignore[arg-type]
        calls["n"] += 1
        if calls["n"] <= 2:
            return parts._replace(total=parts.total * math.nan)
        return parts

    monkeypatch.setattr(steps_mod, "tokenizer_loss", nan_twice)
    _train(tmp_path, tiny_dataset, epochs=1)
    row = json.loads((tmp_path / "metrics.jsonl").read_text())
    assert row["train_bad_batches"] == 2 and row["train_windows"] == 8


def test_persistent_nan_stops_with_a_clear_error(
    tmp_path: Path, tiny_dataset: WindowDataset, monkeypatch: pytest.MonkeyPatch
) -> None:
    def always_nan(*args: object) -> LossParts:
        parts = tokenizer_loss(*args)  # type: ignore[arg-type]
        return parts._replace(total=parts.total * math.nan)

    monkeypatch.setattr(steps_mod, "tokenizer_loss", always_nan)
    with pytest.raises(LapsError, match="diverged.*lower --lr"):
        _train(tmp_path, tiny_dataset, epochs=2, max_bad_batches=2)


def test_out_of_memory_halves_the_micro_batch_and_continues(
    tmp_path: Path,
    tiny_dataset: WindowDataset,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    real = MotionTokenizer.forward

    def small_memory(self: MotionTokenizer, vel: torch.Tensor) -> object:
        if self.training and len(vel) > 2:
            raise torch.OutOfMemoryError("CUDA out of memory (injected)")
        return real(self, vel)

    monkeypatch.setattr(MotionTokenizer, "forward", small_memory)
    with caplog.at_level(logging.WARNING, logger="laps"):
        _train(tmp_path, tiny_dataset, epochs=1)
    assert caplog.text.count("out of memory") == 2  # 8 -> 4 -> 2, once
    row = json.loads((tmp_path / "metrics.jsonl").read_text())
    assert row["micro_batch"] == 2 and row["train_windows"] == 24


def test_out_of_memory_at_one_window_is_an_error(
    tmp_path: Path, tiny_dataset: WindowDataset, monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_memory(self: MotionTokenizer, vel: torch.Tensor) -> object:
        raise torch.OutOfMemoryError("CUDA out of memory (injected)")

    monkeypatch.setattr(MotionTokenizer, "forward", no_memory)
    with pytest.raises(LapsError, match="one window per micro-batch"):
        _train(tmp_path, tiny_dataset, epochs=1)


def test_micro_batches_give_the_same_step_as_the_whole_batch(tiny_dataset: WindowDataset) -> None:
    cfg = tiny_config(z_noise_std=0.0)
    cfg = cfg.model_copy(update={"loss": cfg.loss.model_copy(update={"entropy_weight": 0.0})})
    batch = {
        k: torch.stack([tiny_dataset[i][k] for i in range(8)]) for k in ("velocities", "visible")
    }
    params = []
    for micro in (0, 2):
        torch.manual_seed(0)
        model = MotionTokenizer(cfg)
        tcfg = tiny_train_config()
        opt = steps_mod.make_optimizer(model, tcfg)
        scaler = torch.amp.GradScaler("cpu", enabled=False)
        cpu = torch.device("cpu")
        st = steps_mod.Stepper(model, opt, scaler, cpu, None, tcfg, micro_batch=micro)
        st.train_batch(batch, 1e-3)
        params.append(torch.cat([p.detach().flatten() for p in model.parameters()]))
    assert torch.allclose(params[0], params[1], atol=1e-5)
