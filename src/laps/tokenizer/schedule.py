"""The learning-rate schedule: linear warm-up, then cosine decay to ``lr * min_lr_ratio``."""

from __future__ import annotations

import math


def lr_at(step: int, total_steps: int, lr: float, warmup_steps: int, min_lr_ratio: float) -> float:
    """Learning rate of optimiser step ``step`` (0-based) of ``total_steps``.

    Warm-up rises linearly to ``lr`` over ``warmup_steps`` (never 0, so step 0 moves);
    afterwards a half cosine falls to ``lr * min_lr_ratio`` at the last step and stays there.
    """
    if step < warmup_steps:
        return lr * (step + 1) / warmup_steps
    span = max(1, total_steps - 1 - warmup_steps)
    progress = min(1.0, (step - warmup_steps) / span)
    min_lr = lr * min_lr_ratio
    return min_lr + 0.5 * (1.0 + math.cos(math.pi * progress)) * (lr - min_lr)


def warmup_steps_for(total_steps: int, warmup_fraction: float) -> int:
    """Warm-up length in steps: a fraction of all steps, rounded."""
    return round(total_steps * warmup_fraction)
