"""The motion tokenizer, nanoGPT style (reference section 2.2, with our fixes).

Velocities (B, L, N, 2) -> one token per velocity step -> causal pre-LN Transformer ->
FSQ codes (B, L) -> cross-attention decoder -> logits over a C x C grid of per-step
displacements for every point (B, L, N, C*C). Blocks are bias-free like the reference, so the
``paper`` preset has its 30,232,805 parameters exactly. Two changes keep that count while
fixing what the reference wasted: the decoder's queries are learned (the reference added its
positions to zeros, the same parameters), and its always-constant single-view embedding
(768) became a final LayerNorm of the per-point features, whose MLP sees the step's
quantized token in the view embedding's place.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any, NamedTuple

import torch
import torch.nn.functional as F  # noqa: N812
from torch import Tensor, nn

from laps.tokenizer.config import TokenizerConfig
from laps.tokenizer.fsq import FSQ


class TokenizerOutput(NamedTuple):
    """What :meth:`MotionTokenizer.forward` returns."""

    logits: Tensor  # (B, L, N, C*C) displacement-class logits
    codes: Tensor  # (B, L) int64 codebook indices
    prequant: Tensor  # (B, L, D) encoder output, before noise and quantisation
    quantized: Tensor  # (B, L, D) project_out(FSQ codes)
    bounded: Tensor  # (B, L, d) float32 FSQ values before rounding (anti-collapse term)


class Attention(nn.Module):
    """Multi-head attention of queries from ``x`` to keys/values from ``context``."""

    def __init__(self, cfg: TokenizerConfig, causal: bool) -> None:
        super().__init__()
        d = cfg.d_model
        self.n_heads, self.causal, self.dropout = cfg.n_heads, causal, cfg.dropout
        self.q = nn.Linear(d, d, bias=False)
        self.kv = nn.Linear(d, 2 * d, bias=False)
        self.c_proj = nn.Linear(d, d, bias=False)
        self.resid_drop = nn.Dropout(cfg.dropout)

    def forward(self, x: Tensor, context: Tensor | None = None) -> Tensor:
        """(B, Lq, D) attending to (B, Lk, D) (itself when ``context`` is None)."""
        ctx = x if context is None else context
        b, lq, d = x.shape
        h = self.n_heads
        q = self.q(x).view(b, lq, h, d // h).transpose(1, 2)  # (B, H, Lq, D/H)
        k, v = self.kv(ctx).split(d, dim=2)
        k = k.view(b, ctx.shape[1], h, d // h).transpose(1, 2)  # (B, H, Lk, D/H)
        v = v.view(b, ctx.shape[1], h, d // h).transpose(1, 2)
        drop = self.dropout if self.training else 0.0
        y = F.scaled_dot_product_attention(q, k, v, dropout_p=drop, is_causal=self.causal)
        y = y.transpose(1, 2).reshape(b, lq, d)  # (B, Lq, D)
        return self.resid_drop(self.c_proj(y))


class MLP(nn.Module):
    """D -> 4D -> GELU -> D, bias-free."""

    def __init__(self, cfg: TokenizerConfig) -> None:
        super().__init__()
        self.c_fc = nn.Linear(cfg.d_model, 4 * cfg.d_model, bias=False)
        self.c_proj = nn.Linear(4 * cfg.d_model, cfg.d_model, bias=False)
        self.drop = nn.Dropout(cfg.dropout)

    def forward(self, x: Tensor) -> Tensor:
        """(..., D) -> (..., D)."""
        return self.drop(self.c_proj(F.gelu(self.c_fc(x))))


class Block(nn.Module):
    """Pre-LN self-attention block: ``x += attn(ln(x)); x += mlp(ln(x))``."""

    def __init__(self, cfg: TokenizerConfig, causal: bool) -> None:
        super().__init__()
        self.ln_1 = nn.LayerNorm(cfg.d_model, bias=False)
        self.attn = Attention(cfg, causal)
        self.ln_2 = nn.LayerNorm(cfg.d_model, bias=False)
        self.mlp = MLP(cfg)

    def forward(self, x: Tensor) -> Tensor:
        """(B, L, D) -> (B, L, D)."""
        x = x + self.attn(self.ln_1(x))
        return x + self.mlp(self.ln_2(x))


class DecoderBlock(nn.Module):
    """A full self-attention block, then cross-attention to the codes and a second MLP."""

    def __init__(self, cfg: TokenizerConfig) -> None:
        super().__init__()
        self.self_block = Block(cfg, causal=False)
        self.ln_3 = nn.LayerNorm(cfg.d_model, bias=False)
        self.cross = Attention(cfg, causal=False)
        self.ln_4 = nn.LayerNorm(cfg.d_model, bias=False)
        self.mlp = MLP(cfg)

    def forward(self, x: Tensor, memory: Tensor) -> Tensor:
        """Queries (B, L, D), quantized tokens (B, L, D) -> (B, L, D)."""
        x = self.self_block(x)
        x = x + self.cross(self.ln_3(x), memory)
        return x + self.mlp(self.ln_4(x))


class Encoder(nn.Module):
    """Velocities (B, L, N, 2) -> causal latents (B, L, D)."""

    def __init__(self, cfg: TokenizerConfig) -> None:
        super().__init__()
        self.in_proj = nn.Linear(cfg.num_points * 2, cfg.d_model)
        self.pos_emb = nn.Parameter(torch.zeros(cfg.seq_len, cfg.d_model))
        self.drop = nn.Dropout(cfg.dropout)
        self.blocks = nn.ModuleList(Block(cfg, causal=True) for _ in range(cfg.n_layers))
        self.ln_f = nn.LayerNorm(cfg.d_model, bias=False)

    def forward(self, vel: Tensor) -> Tensor:
        """Token t sees steps 0..t only; shorter windows use the first positions."""
        b, t = vel.shape[:2]
        x = self.in_proj(vel.reshape(b, t, -1))  # (B, L, N*2) -> (B, L, D)
        x = self.drop(x + self.pos_emb[:t])
        for block in self.blocks:
            x = block(x)
        return self.ln_f(x)


class Decoder(nn.Module):
    """Quantized tokens (B, L, D) -> displacement logits (B, L, N, C*C)."""

    def __init__(self, cfg: TokenizerConfig) -> None:
        super().__init__()
        d = cfg.d_model
        self.pos_scale = cfg.decoder_pos_scale
        self.queries = nn.Parameter(torch.zeros(cfg.seq_len, d))
        self.drop = nn.Dropout(cfg.dropout)
        self.blocks = nn.ModuleList(DecoderBlock(cfg) for _ in range(cfg.n_decoder_layers))
        self.ln_f = nn.LayerNorm(d, bias=False)
        self.point_emb = nn.Embedding(cfg.num_points, d)
        # one Linear over [h_t, point_emb[n] * s, q_t] (3D wide), applied in three parts below
        self.point_fc = nn.Linear(3 * d, cfg.decoder_mlp_hidden)
        self.point_out = nn.Linear(cfg.decoder_mlp_hidden, d)
        self.ln_point = nn.LayerNorm(d, bias=False)
        self.head = nn.Linear(d, cfg.n_classes)

    def forward(self, quantized: Tensor) -> Tensor:
        """Per-step features, broadcast to every point, then a per-point residual MLP."""
        b, t, d = quantized.shape
        x = self.drop(self.queries[:t].expand(b, t, d))
        for block in self.blocks:
            x = block(x, quantized)
        h = self.ln_f(x)  # (B, L, D)
        w_h, w_p, w_q = self.point_fc.weight.split(d, dim=1)  # each (hidden, D)
        # the concat Linear, without materialising (B, L, N, 3D): step part + point part
        step = h @ w_h.T + quantized @ w_q.T + self.point_fc.bias  # (B, L, hidden)
        point = (self.point_emb.weight * self.pos_scale) @ w_p.T  # (N, hidden)
        hidden = F.relu(step.unsqueeze(2) + point)  # (B, L, N, hidden)
        feats = h.unsqueeze(2) + self.point_out(hidden)  # (B, L, N, D)
        return self.head(self.ln_point(feats))  # (B, L, N, C*C)


class MotionTokenizer(nn.Module):
    """Encoder + FSQ + decoder. ``encode``/``quantize`` are all the stream needs."""

    def __init__(self, cfg: TokenizerConfig) -> None:
        super().__init__()
        self.cfg = cfg
        self.encoder = Encoder(cfg)
        self.fsq = FSQ(cfg.fsq_levels, cfg.d_model)
        self.decoder = Decoder(cfg)
        self.apply(_init_weights)
        for name, p in self.named_parameters():
            if name.endswith("c_proj.weight"):  # residual projections, GPT-2 scaling
                nn.init.normal_(p, 0.0, 0.02 / math.sqrt(2 * cfg.n_layers))

    def encode(self, vel: Tensor) -> Tensor:
        """Velocities (B, L, N, 2) -> prequant latents (B, L, D), without noise."""
        return self.encoder(vel)

    def quantize(self, z: Tensor) -> tuple[Tensor, Tensor]:
        """Latents (B, L, D) -> (quantized (B, L, D), codes (B, L) int64)."""
        out = self.fsq(z)
        return out.quantized, out.indices

    def forward(self, vel: Tensor) -> TokenizerOutput:
        """Encode, add latent noise (training only), quantise, decode."""
        prequant = self.encode(vel)
        z = prequant
        if self.training and self.cfg.z_noise_std > 0:
            z = z + self.cfg.z_noise_std * torch.randn_like(z)
        quantized, codes, bounded = self.fsq(z)
        logits = self.decoder(quantized.to(prequant.dtype))
        return TokenizerOutput(logits, codes, prequant, quantized, bounded)

    @classmethod
    def from_checkpoint(
        cls, path: Path, map_location: str | torch.device = "cpu"
    ) -> tuple[MotionTokenizer, dict[str, Any]]:
        """Load a model (eval mode) and its checkpoint metadata; the single loader.

        Raises:
            ConfigError: missing file, not a laps checkpoint, or keys/shapes that do not fit.
        """
        from laps.tokenizer.checkpoint import load_model  # noqa: PLC0415 (import cycle)

        return load_model(path, map_location)


def _init_weights(module: nn.Module) -> None:
    if isinstance(module, nn.Linear):
        nn.init.normal_(module.weight, 0.0, 0.02)
        if module.bias is not None:
            nn.init.zeros_(module.bias)
    elif isinstance(module, nn.Embedding):
        nn.init.normal_(module.weight, 0.0, 0.02)
    elif isinstance(module, Encoder | Decoder):
        param = module.pos_emb if isinstance(module, Encoder) else module.queries
        nn.init.normal_(param, 0.0, 0.02)


def count_parameters(model: nn.Module) -> int:
    """Number of parameters (works on the meta device)."""
    return sum(p.numel() for p in model.parameters())
