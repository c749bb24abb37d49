"""The tokenizer's loss: focal displacement classification + a differentiable anti-collapse term.

Reference section 2.3, with two fixes: steps whose point is not visible at both ends are left
out (the reference had no visibility), and the codebook-diversity term has a gradient (the
reference's was computed on detached integer indices and only shifted the reported value).
"""

from __future__ import annotations

import math
from typing import NamedTuple

import torch
import torch.nn.functional as F  # noqa: N812
from torch import Tensor

from laps.tokenizer.config import LossConfig, TokenizerConfig


class LossParts(NamedTuple):
    """The total loss and its parts (scalars)."""

    total: Tensor
    recon: Tensor  # focal classification loss, mean over visible (B, L, N)
    entropy: Tensor  # anti-collapse term in [0, 1] (before its weight)


def displacement_classes(vel: Tensor, rel_cls_size: int, loss: LossConfig) -> Tensor:
    """Class of each point's step: (..., 2) normalised (dx, dy) -> (...,) int64.

    A step of ``vel * velocity_scale_px`` pixels becomes ``round(px / cls_px_per_bin)`` bins
    per axis, clamped to +-C//2; the class is ``(by + C//2) * C + (bx + C//2)`` (row-major,
    the centre class C*C//2 is "no motion").
    """
    half = rel_cls_size // 2
    per_unit = loss.velocity_scale_px / loss.cls_px_per_bin
    bins = (vel.float() * per_unit).round().clamp(-half, half).long()  # (..., 2)
    return (bins[..., 1] + half) * rel_cls_size + (bins[..., 0] + half)


def step_visibility(visible: Tensor) -> Tensor:
    """Visibility (B, T, N) of points -> (B, T-1, N) of steps (both ends visible)."""
    return visible[:, :-1] & visible[:, 1:]


def radial_class_weights(rel_cls_size: int, strength: float, power: float) -> Tensor:
    """(C*C,) weights 1 + s (r / r_max)^p, r the distance of a bin from the centre bin."""
    half = rel_cls_size // 2
    idx = torch.arange(rel_cls_size, dtype=torch.float32) - half
    r = torch.sqrt(idx.view(-1, 1) ** 2 + idx.view(1, -1) ** 2)  # (C, C), row = y
    return (1 + strength * (r / math.sqrt(2 * half**2)) ** power).reshape(-1)


def focal_loss(
    logits: Tensor, target: Tensor, mask: Tensor, weights: Tensor, gamma: float, alpha: float
) -> Tensor:
    """Class-weighted focal loss ``-a (1 - p_y)^g log(p_y) w_y``, mean over masked elements.

    Args:
        logits: (..., K) class logits.
        target: (...,) int64 classes.
        mask: (...,) bool, elements that count.
        weights: (K,) class weights.
        gamma: focusing exponent (0 gives weighted cross-entropy times alpha).
        alpha: scale.
    """
    logp = F.log_softmax(logits.float(), dim=-1)
    logp_y = logp.gather(-1, target.unsqueeze(-1)).squeeze(-1)  # (...,)
    p_y = logp_y.exp()
    per = -alpha * (1 - p_y).clamp(min=0) ** gamma * logp_y * weights.to(logp.device)[target]
    m = mask.to(per.dtype)
    return (per * m).sum() / m.sum().clamp(min=1.0)


def code_entropy_term(
    bounded: Tensor, levels: tuple[int, ...], temperature: float, mask: Tensor | None = None
) -> Tensor:
    """``1 - mean_d H(p_d) / log L_d``: low when every level of every FSQ dim is used.

    p_d is the batch marginal of soft assignments ``softmax(-(b - v_k)^2 / temperature)`` of
    each bounded pre-round value b to dimension d's level values v_k. It is differentiable in
    b, so it pushes the encoder to spread its latents over the levels.

    Args:
        bounded: (..., d) FSQ values before rounding, in level units.
        levels: the FSQ levels (d of them).
        temperature: softness, in squared level units.
        mask: optional (...,) bool of tokens to count.
    """
    lv = torch.tensor(levels, device=bounded.device)
    k = torch.arange(int(lv.max()), device=bounded.device)
    values = (k.unsqueeze(0) - (lv // 2).unsqueeze(1)).float()  # (d, Lmax)
    valid = k.unsqueeze(0) < lv.unsqueeze(1)  # (d, Lmax)
    b = bounded.float().reshape(-1, len(levels), 1)  # (M, d, 1)
    dist = -((b - values) ** 2) / temperature  # (M, d, Lmax)
    soft = dist.masked_fill(~valid, float("-inf")).softmax(dim=-1)
    if mask is not None:
        w = mask.reshape(-1, 1, 1).to(soft.dtype)
        marginal = (soft * w).sum(0) / w.sum().clamp(min=1.0)  # (d, Lmax)
    else:
        marginal = soft.mean(0)
    ent = -(marginal * marginal.clamp(min=1e-12).log()).sum(-1)  # (d,)
    return 1 - (ent / lv.float().log()).mean()


def tokenizer_loss(
    logits: Tensor, bounded: Tensor, vel: Tensor, visible: Tensor, cfg: TokenizerConfig
) -> LossParts:
    """The training loss of one batch.

    Args:
        logits: (B, L, N, C*C) decoder output.
        bounded: (B, L, d) FSQ values before rounding.
        vel: (B, L, N, 2) normalised velocities (the targets).
        visible: (B, T, N) bool point visibility.
        cfg: the tokenizer config (loss settings in ``cfg.loss``).
    """
    lc = cfg.loss
    target = displacement_classes(vel, cfg.rel_cls_size, lc)
    weights = radial_class_weights(
        cfg.rel_cls_size, lc.class_weight_strength, lc.class_weight_power
    )
    mask = step_visibility(visible)
    recon = focal_loss(logits, target, mask, weights, lc.focal_gamma, lc.focal_alpha)
    entropy = code_entropy_term(bounded, cfg.fsq_levels, lc.entropy_temperature)
    return LossParts(recon + lc.entropy_weight * entropy, recon, entropy)
