"""MotionTokenizer: shapes, causality, noise only in training, the paper parameter count."""

import pytest
import torch

from laps.errors import ConfigError
from laps.tokenizer.model import MotionTokenizer, count_parameters
from laps.tokenizer.presets import PAPER_PARAMETER_COUNT, preset_config

from .conftest import N, T, tiny_config


def test_paper_preset_has_exactly_the_reference_parameter_count() -> None:
    cfg = preset_config("paper")
    assert (cfg.d_model, cfg.n_layers, cfg.n_heads, cfg.n_decoder_layers) == (768, 2, 8, 1)
    assert (cfg.num_points, cfg.window_length, cfg.fsq_levels) == (400, 16, (8, 8, 6, 5))
    with torch.device("meta"):
        model = MotionTokenizer(cfg)
    assert count_parameters(model) == PAPER_PARAMETER_COUNT == 30_232_805
    # the reference's split: encoder 14,786,304, decoder 15,439,585, FSQ 6,916
    assert count_parameters(model.encoder) == 14_786_304
    assert count_parameters(model.decoder) == 15_439_585
    assert count_parameters(model.fsq) == 6_916


def test_small_preset_builds_and_is_smaller() -> None:
    with torch.device("meta"):
        model = MotionTokenizer(preset_config("small"))
    assert 100_000 < count_parameters(model) < 5_000_000


def test_unknown_preset_and_bad_override_are_config_errors() -> None:
    with pytest.raises(ConfigError, match="unknown tokenizer preset"):
        preset_config("huge")
    with pytest.raises(ConfigError, match="n_heads"):
        preset_config("small", n_heads=3)


def test_shapes() -> None:
    cfg = tiny_config()
    model = MotionTokenizer(cfg)
    vel = torch.randn(3, T - 1, N, 2) * 0.05
    out = model(vel)
    assert out.logits.shape == (3, T - 1, N, 225)
    assert out.codes.shape == (3, T - 1) and out.codes.dtype == torch.int64
    assert out.prequant.shape == out.quantized.shape == (3, T - 1, 32)
    assert out.bounded.shape == (3, T - 1, 3)
    assert (out.codes >= 0).all() and (out.codes < cfg.codebook_size).all()
    z = model.encode(vel)
    q, codes = model.quantize(z)
    assert z.shape == q.shape == (3, T - 1, 32) and codes.shape == (3, T - 1)


def test_encoder_is_causal() -> None:
    model = MotionTokenizer(tiny_config()).eval()
    vel = torch.randn(2, T - 1, N, 2) * 0.05
    changed = vel.clone()
    changed[:, 3] += 0.3
    a, b = model.encode(vel), model.encode(changed)
    assert torch.allclose(a[:, :3], b[:, :3], atol=1e-6)
    assert not torch.allclose(a[:, 3:], b[:, 3:], atol=1e-3)


def test_shorter_windows_use_the_first_positions() -> None:
    model = MotionTokenizer(tiny_config()).eval()
    vel = torch.randn(1, T - 1, N, 2) * 0.05
    full, short = model.encode(vel), model.encode(vel[:, :3])
    assert torch.allclose(full[:, :3], short, atol=1e-6)


def test_latent_noise_only_in_training_mode() -> None:
    model = MotionTokenizer(tiny_config(z_noise_std=0.5))
    vel = torch.randn(2, T - 1, N, 2) * 0.05
    model.eval()
    e1, e2 = model(vel), model(vel)
    assert torch.equal(e1.logits, e2.logits)
    model.train()
    t1, t2 = model(vel), model(vel)
    assert torch.equal(t1.prequant, t2.prequant)  # prequant is returned without noise
    assert not torch.equal(t1.quantized, t2.quantized)


def test_gradients_reach_the_encoder_through_fsq() -> None:
    model = MotionTokenizer(tiny_config())
    out = model(torch.randn(2, T - 1, N, 2) * 0.05)
    out.logits.logsumexp(-1).mean().backward()
    grad = model.encoder.in_proj.weight.grad
    assert grad is not None and grad.abs().sum() > 0


def test_bias_free_blocks() -> None:
    model = MotionTokenizer(tiny_config())
    for name, module in model.named_modules():
        if name.endswith(("attn.q", "attn.kv", "c_fc", "c_proj", "cross.q", "cross.kv")):
            assert module.bias is None, name
