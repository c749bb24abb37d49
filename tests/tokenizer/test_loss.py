"""Loss: displacement classes, radial weights, focal loss, visibility, anti-collapse term."""

import math

import torch

from laps.tokenizer.config import LossConfig
from laps.tokenizer.loss import (
    code_entropy_term,
    displacement_classes,
    focal_loss,
    radial_class_weights,
    step_visibility,
    tokenizer_loss,
)
from laps.tokenizer.model import MotionTokenizer

from .conftest import N, T, tiny_config

LC = LossConfig(velocity_scale_px=160.0, cls_px_per_bin=3.0)


def _vel(px: list[tuple[float, float]]) -> torch.Tensor:
    return torch.tensor(px, dtype=torch.float32) / 160.0


def test_displacement_classes() -> None:
    cls = displacement_classes(
        _vel([(0, 0), (3, 0), (0, 3), (-3, -6), (100, -100), (1.4, -1.4)]), 15, LC
    )
    assert cls.tolist() == [
        112,  # no motion: the centre
        113,  # one bin right (x fastest within a row)
        127,  # one bin down (next row)
        5 * 15 + 6,  # up two rows, left one column
        0 * 15 + 14,  # saturates at the corner (up, right)
        112,  # jitter under half a bin stays in the centre
    ]


def test_radial_weights_centre_one_corners_five() -> None:
    w = radial_class_weights(15, 4.0, 2.0)
    assert w.shape == (225,)
    assert w[112] == 1.0
    assert torch.allclose(w[[0, 14, 210, 224]], torch.full((4,), 5.0))
    assert w[113] == w[127] < w[128]


def test_perfect_prediction_is_near_zero_and_below_random() -> None:
    g = torch.Generator().manual_seed(0)
    target = torch.randint(0, 225, (4, 5, 16), generator=g)
    mask = torch.ones_like(target, dtype=torch.bool)
    w = radial_class_weights(15, 4.0, 2.0)
    perfect = torch.nn.functional.one_hot(target, 225).float() * 30.0
    random = torch.randn(4, 5, 16, 225, generator=g)
    lp = focal_loss(perfect, target, mask, w, gamma=4.0, alpha=0.5)
    lr = focal_loss(random, target, mask, w, gamma=4.0, alpha=0.5)
    assert lp < 1e-6 < lr
    wrong = torch.nn.functional.one_hot((target + 1) % 225, 225).float() * 30.0
    assert focal_loss(wrong, target, mask, w, 4.0, 0.5) > lr


def test_focal_with_gamma_zero_is_weighted_cross_entropy() -> None:
    logits = torch.randn(10, 225)
    target = torch.randint(0, 225, (10,))
    w = radial_class_weights(15, 4.0, 2.0)
    got = focal_loss(logits, target, torch.ones(10, dtype=torch.bool), w, 0.0, 1.0)
    ce = torch.nn.functional.cross_entropy(logits, target, reduction="none") * w[target]
    assert torch.allclose(got, ce.mean(), atol=1e-5)


def test_invisible_steps_do_not_count() -> None:
    visible = torch.ones(1, 4, 3, dtype=torch.bool)
    visible[0, 2, 1] = False  # point 1 lost at frame 2: steps 1 and 2 do not count
    mask = step_visibility(visible)
    assert mask[0, :, 1].tolist() == [True, False, False]
    logits = torch.randn(1, 3, 3, 225)
    target = torch.zeros(1, 3, 3, dtype=torch.long)
    w = torch.ones(225)
    base = focal_loss(logits, target, mask, w, 4.0, 0.5)
    logits[0, 1, 1] = 100.0  # garbage on an invisible step
    assert torch.equal(focal_loss(logits, target, mask, w, 4.0, 0.5), base)
    logits[0, 0, 1] = 100.0  # on a visible step it counts
    assert focal_loss(logits, target, mask, w, 4.0, 0.5) != base


def test_no_visible_step_gives_zero_not_nan() -> None:
    logits = torch.randn(1, 2, 2, 225, requires_grad=True)
    loss = focal_loss(
        logits,
        torch.zeros(1, 2, 2, dtype=torch.long),
        torch.zeros(1, 2, 2, dtype=torch.bool),
        torch.ones(225),
        4.0,
        0.5,
    )
    assert loss.item() == 0 and math.isfinite(loss.item())


def test_entropy_term_low_when_spread_high_when_collapsed() -> None:
    levels = (8, 5)
    spread = torch.stack(
        torch.meshgrid(torch.arange(-4.0, 4.0), torch.arange(-2.0, 3.0), indexing="ij"), -1
    ).reshape(-1, 2)
    collapsed = torch.zeros(40, 2)
    e_spread = code_entropy_term(spread, levels, 0.1)
    e_collapsed = code_entropy_term(collapsed, levels, 0.1)
    assert e_spread < 0.01
    assert 0.5 < e_collapsed <= 1.0


def test_entropy_term_has_a_gradient_through_the_model() -> None:
    cfg = tiny_config()
    model = MotionTokenizer(cfg)
    out = model(torch.randn(4, T - 1, N, 2) * 0.05)
    term = code_entropy_term(out.bounded, cfg.fsq_levels, 1.0)
    term.backward()
    g = model.encoder.in_proj.weight.grad
    assert g is not None and g.abs().sum() > 0
    assert model.fsq.project_in.weight.grad is not None
    assert model.fsq.project_in.weight.grad.abs().sum() > 0


def test_total_is_recon_plus_weighted_entropy() -> None:
    cfg = tiny_config()
    model = MotionTokenizer(cfg)
    vel = torch.randn(2, T - 1, N, 2) * 0.05
    vis = torch.ones(2, T, N, dtype=torch.bool)
    out = model(vel)
    parts = tokenizer_loss(out.logits, out.bounded, vel, vis, cfg)
    assert torch.allclose(parts.total, parts.recon + cfg.loss.entropy_weight * parts.entropy)
    off = tiny_config(loss=cfg.loss.model_copy(update={"entropy_weight": 0.0}))
    assert torch.allclose(tokenizer_loss(out.logits, out.bounded, vel, vis, off).total, parts.recon)
