"""A frozen, seeded Transformer encoder over a segment's quantized vectors (reference 6.2).

Untrained by design, as in the reference: random weights (PyTorch's default initialisation
under a fixed seed) act as a fixed non-linear sequence feature; nothing here is learned. Unlike
the reference it runs in eval mode (no dropout) and is seeded, so the same seed gives the same
embedding. Architecture: ``Linear(D -> d_model)`` + sinusoidal positions, ``n_layers`` post-LN
encoder layers (GELU, feed-forward 512), mean-pooled over time.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import torch
from numpy.typing import NDArray
from torch import nn

from laps.errors import LapsError


@dataclass(frozen=True)
class FrozenSpec:
    """Shape of the frozen encoder (the reference's best grid point: mean/256/4/4)."""

    d_model: int = 256
    n_layers: int = 4
    n_heads: int = 4
    dim_feedforward: int = 512


def sinusoidal_positions(length: int, d_model: int) -> torch.Tensor:
    """Standard sin/cos positional encoding, base 10000: ``(length, d_model)``."""
    pos = torch.arange(length, dtype=torch.float32)[:, None]
    div = torch.exp(torch.arange(0, d_model, 2, dtype=torch.float32) * (-math.log(1e4) / d_model))
    pe = torch.zeros(length, d_model)
    pe[:, 0::2] = torch.sin(pos * div)
    pe[:, 1::2] = torch.cos(pos * div)[:, : d_model // 2]
    return pe


class FrozenEncoder(nn.Module):
    """Random projection + Transformer encoder, frozen, mean-pooled."""

    def __init__(self, in_dim: int, spec: FrozenSpec) -> None:
        super().__init__()
        self.proj = nn.Linear(in_dim, spec.d_model)
        layer = nn.TransformerEncoderLayer(
            spec.d_model,
            spec.n_heads,
            dim_feedforward=spec.dim_feedforward,
            dropout=0.1,
            activation="gelu",
            batch_first=True,
        )
        self.encoder = nn.TransformerEncoder(layer, spec.n_layers, enable_nested_tensor=False)
        self.d_model = spec.d_model

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """``(1, T, D)`` -> ``(1, d_model)``."""
        h = self.proj(x) + sinusoidal_positions(x.shape[1], self.d_model)[None]
        return self.encoder(h).mean(dim=1)


def build_encoder(in_dim: int, seed: int, spec: FrozenSpec | None = None) -> FrozenEncoder:
    """The encoder with weights drawn under ``seed``, frozen and in eval mode."""
    gen_state = torch.random.get_rng_state()
    torch.manual_seed(seed)
    try:
        model = FrozenEncoder(in_dim, spec or FrozenSpec())
    finally:
        torch.random.set_rng_state(gen_state)
    model.requires_grad_(False)
    return model.eval()


def frozen_embeddings(
    sequences: Sequence[NDArray[np.float32]], seed: int, spec: FrozenSpec | None = None
) -> NDArray[np.float32]:
    """One embedding per ``(T_i, D)`` sequence, on the CPU, one sequence at a time.

    Raises:
        LapsError: when there is no sequence, one is empty, or dimensions differ.
    """
    dims = {int(s.shape[-1]) for s in sequences}
    if len(dims) != 1 or any(len(s) == 0 for s in sequences):
        raise LapsError(
            f"expected non-empty quantized vectors of one dimension, got dimensions {sorted(dims)}"
            "; cluster runs made with the same tokenizer checkpoint"
        )
    model = build_encoder(dims.pop(), seed, spec)
    with torch.inference_mode():
        rows = [model(torch.from_numpy(np.ascontiguousarray(s))[None]) for s in sequences]
    return torch.cat(rows).numpy().astype(np.float32)
