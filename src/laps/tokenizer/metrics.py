"""Per-epoch training metrics: loss, displacement accuracy, codebook usage and perplexity."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any, NamedTuple

import torch
from torch import Tensor

from laps.tokenizer.loss import LossParts


def codebook_usage_pct(counts: Tensor) -> float:
    """Share of the true codebook (``len(counts)`` codes) used at least once, in %."""
    return 100.0 * float((counts > 0).sum()) / max(1, counts.numel())


def perplexity(counts: Tensor) -> float:
    """``exp(H)`` of the code distribution: the effective number of codes in use."""
    total = float(counts.sum())
    if total == 0:
        return 0.0
    p = counts[counts > 0].double() / total
    return math.exp(float(-(p * p.log()).sum()))


class Hits(NamedTuple):
    """Displacement-class hits (argmax == target) on visible steps, all and moving only."""

    correct: int
    counted: int
    moving_correct: int  # steps whose target is not the "no motion" centre class
    moving_counted: int

    def plus(self, other: Hits) -> Hits:
        """Element-wise sum."""
        return Hits(*(a + b for a, b in zip(self, other, strict=True)))


def displacement_hits(logits: Tensor, target: Tensor, mask: Tensor, centre: int) -> Hits:
    """Hits of (..., K) logits against (...,) targets where ``mask``; ``centre`` = no motion."""
    hit = (logits.argmax(dim=-1) == target) & mask
    moving = mask & (target != centre)
    return Hits(int(hit.sum()), int(mask.sum()), int((hit & moving).sum()), int(moving.sum()))


@dataclass
class EpochStats:
    """Accumulates one pass (train or val) over batches; window-weighted means."""

    codebook_size: int
    n_windows: int = 0
    loss_sum: float = 0.0
    recon_sum: float = 0.0
    entropy_sum: float = 0.0
    hits: Hits = Hits(0, 0, 0, 0)
    bad_batches: int = 0
    counts: Tensor = field(init=False)

    def __post_init__(self) -> None:
        self.counts = torch.zeros(self.codebook_size, dtype=torch.int64)

    def add(self, parts: LossParts, hits: Hits, codes: Tensor) -> None:
        """Add a batch: its loss parts (batch means), hits and (B, L) codes."""
        b = int(codes.shape[0])
        self.n_windows += b
        self.loss_sum += float(parts.total) * b
        self.recon_sum += float(parts.recon) * b
        self.entropy_sum += float(parts.entropy) * b
        self.hits = self.hits.plus(hits)
        self.counts += torch.bincount(codes.reshape(-1).cpu(), minlength=self.codebook_size)

    def summary(self, prefix: str) -> dict[str, Any]:
        """Per-window means and code statistics, keys prefixed ``train`` or ``val``.

        Keys: ``_loss``, ``_recon``, ``_entropy_term``, ``_accuracy`` (all visible steps),
        ``_moving_accuracy`` (steps that move), ``_usage_pct``, ``_perplexity``, ``_windows``.
        """
        n, h = self.n_windows, self.hits
        return {
            f"{prefix}_loss": _ratio(self.loss_sum, n),
            f"{prefix}_recon": _ratio(self.recon_sum, n),
            f"{prefix}_entropy_term": _ratio(self.entropy_sum, n),
            f"{prefix}_accuracy": _ratio(h.correct, h.counted),
            f"{prefix}_moving_accuracy": _ratio(h.moving_correct, h.moving_counted),
            f"{prefix}_usage_pct": codebook_usage_pct(self.counts),
            f"{prefix}_perplexity": perplexity(self.counts),
            f"{prefix}_windows": n,
        }


def _ratio(a: float, b: float) -> float:
    return a / b if b else float("nan")
