"""One optimiser step and one evaluation batch, with the failure handling training needs.

* CUDA out of memory: the batch is split into micro-batches of half the size (gradients
  accumulate, so the optimiser still sees the whole batch) and retried, with a warning.
* A non-finite loss or gradient norm: the batch is skipped and counted; after
  ``max_bad_batches`` in a row training stops with an error.
"""

from __future__ import annotations

import functools
import logging
import math
from contextlib import AbstractContextManager
from dataclasses import dataclass
from typing import Any, NamedTuple

import torch
from torch import Tensor

from laps.errors import ConfigError, LapsError
from laps.tokenizer.config import Device, TokenizerConfig, TrainConfig
from laps.tokenizer.loss import LossParts, displacement_classes, step_visibility, tokenizer_loss
from laps.tokenizer.metrics import Hits, displacement_hits
from laps.tokenizer.model import MotionTokenizer

logger = logging.getLogger(__name__)


class BatchResult(NamedTuple):
    """What a batch contributes to the epoch's metrics."""

    parts: LossParts  # detached batch means
    hits: Hits  # displacement-class hits
    codes: Tensor  # (B, L) int64, on CPU


def resolve_device(device: Device) -> torch.device:
    """``auto`` -> cuda when available, else cpu.

    Raises:
        ConfigError: cuda requested without a CUDA device.
    """
    if device is Device.CUDA and not torch.cuda.is_available():
        raise ConfigError("device: expected a CUDA GPU for 'cuda', got none; use --device cpu")
    if device is Device.AUTO:
        return torch.device("cuda" if torch.cuda.is_available() else "cpu")
    return torch.device(device.value)


def amp_dtype(device: torch.device, amp: bool) -> torch.dtype | None:
    """bf16 where the GPU supports it, else fp16; None (no autocast) off CUDA or without amp."""
    if not amp or device.type != "cuda":
        return None
    return torch.bfloat16 if torch.cuda.is_bf16_supported() else torch.float16


def make_optimizer(model: MotionTokenizer, cfg: TrainConfig) -> torch.optim.AdamW:
    """AdamW; weight decay on matrices and embeddings only (not on norms and biases)."""
    decay = [p for p in model.parameters() if p.dim() >= 2]
    rest = [p for p in model.parameters() if p.dim() < 2]
    groups = [
        {"params": decay, "weight_decay": cfg.weight_decay},
        {"params": rest, "weight_decay": 0.0},
    ]
    return torch.optim.AdamW(groups, lr=cfg.lr, betas=(0.9, cfg.beta2))


@dataclass
class Stepper:
    """Runs training and evaluation batches of one run."""

    model: MotionTokenizer
    opt: torch.optim.Optimizer
    scaler: torch.amp.GradScaler
    device: torch.device
    dtype: torch.dtype | None
    cfg: TrainConfig
    micro_batch: int = 0  # 0: whole batches; set after an out-of-memory error
    bad_in_row: int = 0
    bad_total: int = 0

    @property
    def mcfg(self) -> TokenizerConfig:
        """The model's config."""
        return self.model.cfg

    def _autocast(self) -> AbstractContextManager[Any]:
        enabled = self.dtype is not None
        return torch.autocast(self.device.type, dtype=self.dtype, enabled=enabled)

    def train_batch(self, batch: dict[str, Tensor], lr: float) -> BatchResult | None:
        """One optimiser step on a batch; None when the batch was skipped (non-finite).

        Raises:
            LapsError: after ``max_bad_batches`` non-finite batches in a row, or when even
                one window per micro-batch does not fit in GPU memory.
        """
        for group in self.opt.param_groups:
            group["lr"] = lr
        vel = batch["velocities"].to(self.device, non_blocking=True)
        vis = batch["visible"].to(self.device, non_blocking=True)
        while True:
            try:
                result = self._accumulate(vel, vis)
                break
            except torch.OutOfMemoryError:
                self._halve(len(vel))
        if result is None:
            self._bad(lr)
        else:
            self.bad_in_row = 0
        return result

    def _halve(self, batch_size: int) -> None:
        self.opt.zero_grad(set_to_none=True)
        size = self.micro_batch or batch_size
        if size <= 1:
            raise LapsError(
                "CUDA out of memory with one window per micro-batch; use a smaller model "
                "(--preset small) or a GPU with more memory"
            )
        self.micro_batch = size // 2
        if self.device.type == "cuda":
            torch.cuda.empty_cache()
        logger.warning(
            "CUDA out of memory at %d windows per pass: continuing with micro-batches of %d "
            "(gradients accumulate; the effective batch stays %d)",
            size,
            self.micro_batch,
            batch_size,
        )

    def _bad(self, lr: float) -> None:
        self.bad_in_row += 1
        self.bad_total += 1
        logger.warning("non-finite loss or gradient: batch skipped (%d in a row)", self.bad_in_row)
        if self.bad_in_row >= self.cfg.max_bad_batches:
            raise LapsError(
                f"training diverged: non-finite loss in {self.bad_in_row} batches in a row "
                f"(lr {lr:.3g}); lower --lr (got {self.cfg.lr:g}) or disable --amp, and resume "
                "from last.pt, which holds the last finite state"
            )

    def _accumulate(self, vel: Tensor, vis: Tensor) -> BatchResult | None:
        self.opt.zero_grad(set_to_none=True)
        size = self.micro_batch or len(vel)
        outs = []
        for v, m in zip(vel.split(size), vis.split(size), strict=True):
            res, parts = self._forward(v, m)
            if not torch.isfinite(parts.total):
                self.opt.zero_grad(set_to_none=True)
                return None
            self.scaler.scale(self._share(parts, m, vis)).backward()
            outs.append(res)
        self.scaler.unscale_(self.opt)
        clip = self.cfg.grad_clip if self.cfg.grad_clip > 0 else math.inf
        norm = torch.nn.utils.clip_grad_norm_(self.model.parameters(), clip)
        if not torch.isfinite(norm) and not self.scaler.is_enabled():
            self.opt.zero_grad(set_to_none=True)
            return None
        self.scaler.step(self.opt)  # a scaler skips inf steps itself and lowers its scale
        self.scaler.update()
        return merge(outs)

    def _share(self, parts: LossParts, vis_part: Tensor, vis: Tensor) -> Tensor:
        """A micro-batch's share of the batch loss: the recon mean is over visible steps."""
        if len(vis_part) == len(vis):
            return parts.total
        steps = step_visibility(vis_part).sum() / step_visibility(vis).sum().clamp(min=1)
        windows = len(vis_part) / len(vis)
        return parts.recon * steps + self.mcfg.loss.entropy_weight * parts.entropy * windows

    def _forward(self, vel: Tensor, vis: Tensor) -> tuple[BatchResult, LossParts]:
        with self._autocast():
            out = self.model(vel)
            parts = tokenizer_loss(out.logits, out.bounded, vel, vis, self.mcfg)
        target = displacement_classes(vel, self.mcfg.rel_cls_size, self.mcfg.loss)
        centre = self.mcfg.n_classes // 2
        hits = displacement_hits(out.logits.detach(), target, step_visibility(vis), centre)
        detached = LossParts(*(p.detach().float() for p in parts))
        return BatchResult(detached, hits, out.codes.detach().cpu()), parts

    @torch.no_grad()
    def eval_batch(self, batch: dict[str, Tensor]) -> BatchResult:
        """Loss and metrics of a batch in eval mode (no noise, no dropout)."""
        vel = batch["velocities"].to(self.device, non_blocking=True)
        vis = batch["visible"].to(self.device, non_blocking=True)
        size = self.micro_batch or len(vel)
        return merge(
            [self._forward(v, m)[0] for v, m in zip(vel.split(size), vis.split(size), strict=True)]
        )


def merge(results: list[BatchResult]) -> BatchResult:
    """Window-weighted mean of micro-batch results."""
    sizes = torch.tensor([len(r.codes) for r in results], dtype=torch.float64)
    stacked = torch.stack([torch.stack(list(r.parts)).double().cpu() for r in results])  # (K, 3)
    parts = LossParts(*((sizes / sizes.sum()) @ stacked).float())
    hits = functools.reduce(Hits.plus, (r.hits for r in results))
    return BatchResult(parts, hits, torch.cat([r.codes for r in results]))
