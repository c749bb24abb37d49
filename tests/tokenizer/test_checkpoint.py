"""Checkpoints: weights-only loadable; missing, corrupt or incompatible files are ConfigErrors."""

from pathlib import Path

import pytest
import torch

from laps.errors import ConfigError
from laps.tokenizer.checkpoint import FORMAT, load_checkpoint, save_checkpoint
from laps.tokenizer.model import MotionTokenizer

from .conftest import tiny_config


@pytest.fixture
def good(tmp_path: Path) -> Path:
    model = MotionTokenizer(tiny_config())
    path = tmp_path / "model.pt"
    save_checkpoint(
        path,
        {
            "model": model.state_dict(),
            "tokenizer_config": model.cfg.model_dump(mode="json"),
            "data_meta": {"window_length": 6},
        },
    )
    return path


def test_round_trip_and_weights_only(good: Path) -> None:
    raw = torch.load(good, weights_only=True)
    assert raw["format"] == FORMAT
    model, meta = MotionTokenizer.from_checkpoint(good)
    assert meta["data_meta"] == {"window_length": 6} and "model" not in meta
    for k, v in raw["model"].items():
        assert torch.equal(model.state_dict()[k], v)


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"not found: .*nope\.pt; train one with `laps train"):
        MotionTokenizer.from_checkpoint(tmp_path / "nope.pt")


def test_corrupt_file(tmp_path: Path, good: Path) -> None:
    garbage = tmp_path / "garbage.pt"
    garbage.write_bytes(b"\x00not a checkpoint at all" * 10)
    with pytest.raises(ConfigError, match="garbage.pt.*corrupt"):
        MotionTokenizer.from_checkpoint(garbage)
    truncated = tmp_path / "truncated.pt"
    truncated.write_bytes(good.read_bytes()[:200])
    with pytest.raises(ConfigError, match="truncated.pt.*corrupt"):
        MotionTokenizer.from_checkpoint(truncated)


def test_not_a_laps_checkpoint(tmp_path: Path) -> None:
    other = tmp_path / "other.pt"
    torch.save({"state_dict": {"w": torch.zeros(2)}}, other)
    with pytest.raises(ConfigError, match="not a laps tokenizer checkpoint: .*other.pt"):
        load_checkpoint(other)
    pickled = tmp_path / "pickled.pt"
    torch.save({"format": FORMAT, "obj": Path("x")}, pickled)  # not weights-only loadable
    with pytest.raises(ConfigError, match="pickled.pt"):
        load_checkpoint(pickled)


def test_incompatible_weights(tmp_path: Path, good: Path) -> None:
    ckpt = torch.load(good, weights_only=True)
    state = dict(ckpt["model"])
    state.pop("decoder.head.bias")
    state["encoder.pos_emb"] = torch.zeros(3, 3)
    bad = tmp_path / "bad.pt"
    save_checkpoint(bad, {**ckpt, "model": state})
    with pytest.raises(ConfigError, match=r"missing \['decoder.head.bias'\].*encoder.pos_emb"):
        MotionTokenizer.from_checkpoint(bad)


def test_invalid_config(tmp_path: Path, good: Path) -> None:
    ckpt = torch.load(good, weights_only=True)
    cfg = dict(ckpt["tokenizer_config"], d_model=33)  # not divisible by the heads
    bad = tmp_path / "badcfg.pt"
    save_checkpoint(bad, {**ckpt, "tokenizer_config": cfg})
    with pytest.raises(ConfigError, match="badcfg.pt: its tokenizer config is not valid"):
        MotionTokenizer.from_checkpoint(bad)
