"""Finite scalar quantisation (Mentzer et al. 2023), hand-written (reference section 2.2).

Each of the d = len(levels) dimensions is bounded by a shifted tanh, rounded with a
straight-through gradient and divided by its half-width, so codes lie in about [-1, 1]. The
codebook is implicit: its size is the product of the levels (1920 for [8, 8, 6, 5]).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import NamedTuple

import torch
from torch import Tensor, nn

_EPS = 1e-3  # keeps tanh's range just past the outer level, so it can be reached


def round_ste(x: Tensor) -> Tensor:
    """Round in the forward pass, identity in the backward pass."""
    return x + (x.round() - x).detach()


class FSQOutput(NamedTuple):
    """What :class:`FSQ` returns."""

    quantized: Tensor  # (..., dim) project_out(codes)
    indices: Tensor  # (...,) int64 in [0, codebook_size)
    bounded: Tensor  # (..., d) float32 bounded values before rounding, in level units


class FSQ(nn.Module):
    """Project to d dims, quantise each to its own level grid, project back.

    Args:
        levels: quantisation levels per dimension, each >= 2.
        dim: width of the input and output (D).
    """

    _levels: Tensor  # (d,) int64 buffer
    _basis: Tensor  # (d,) int64 mixed-radix place values: cumprod([1, L0, L1, ...])

    def __init__(self, levels: Sequence[int], dim: int) -> None:
        super().__init__()
        lv = torch.tensor(list(levels), dtype=torch.int64)
        self.register_buffer("_levels", lv, persistent=False)
        basis = torch.cumprod(torch.cat([torch.ones(1, dtype=torch.int64), lv[:-1]]), dim=0)
        self.register_buffer("_basis", basis, persistent=False)
        self.codebook_size = math.prod(levels)
        self.n_dims = len(levels)
        self.project_in = nn.Linear(dim, self.n_dims)
        self.project_out = nn.Linear(self.n_dims, dim)

    @property
    def half_width(self) -> Tensor:
        """(d,) L // 2: divides rounded levels into normalised codes."""
        return self._levels // 2

    def bound(self, z: Tensor) -> Tensor:
        """Squash (..., d) to each dimension's level range; even levels get a half offset."""
        half_l = (self._levels.float() - 1) * (1 + _EPS) / 2
        offset = torch.where(self._levels % 2 == 0, 0.5, 0.0)
        shift = torch.atanh(offset / half_l)
        return torch.tanh(z + shift) * half_l - offset

    def codes_to_indices(self, codes: Tensor) -> Tensor:
        """Normalised codes (..., d) -> flat indices (...,) int64 (mixed radix)."""
        hw = self.half_width
        digits = (codes * hw + hw).round().long()  # (..., d) level index per dimension
        return (digits * self._basis).sum(dim=-1)

    def indices_to_codes(self, indices: Tensor) -> Tensor:
        """Flat indices (...,) -> normalised codes (..., d) float32; exact inverse."""
        digits = (indices.long().unsqueeze(-1) // self._basis) % self._levels  # (..., d)
        hw = self.half_width
        return (digits - hw).float() / hw.float()

    def forward(self, z: Tensor) -> FSQOutput:
        """Quantise (..., dim) latents, in float32 whatever autocast says."""
        with torch.autocast(device_type=z.device.type, enabled=False):
            bounded = self.bound(self.project_in(z.float()))  # (..., d)
            codes = round_ste(bounded) / self.half_width.float()
            indices = self.codes_to_indices(codes.detach())
            quantized = self.project_out(codes)  # (..., dim)
        return FSQOutput(quantized, indices, bounded)
