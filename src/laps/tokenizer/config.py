"""Configuration of the motion tokenizer (model + loss) and of its training run.

Shape letters: B batch, T frames per window, L = T - 1 velocity tokens, N points, D width.
"""

from __future__ import annotations

import math
from enum import StrEnum

from pydantic import Field, field_validator, model_validator

from laps._model import StageConfig


class LossConfig(StageConfig):
    """The displacement-classification loss and the anti-collapse term (reference 2.3)."""

    cls_px_per_bin: float = Field(
        3.0,
        gt=0,
        le=100,
        description="px of processing frame per class bin of a step (3 px: +-7 bins saturate "
        "beyond ~20 px per sampled frame, the range of fast hand steps at 320p / 10 fps, and "
        "tracker jitter under 1.5 px falls in the centre bin)",
    )
    velocity_scale_px: float = Field(
        160.0,
        gt=0,
        description="px per normalised velocity unit of the training data (half the short "
        "side of the processing frame; training sets it from the dataset)",
    )
    focal_gamma: float = Field(4.0, ge=0, le=10, description="focal-loss focusing exponent")
    focal_alpha: float = Field(0.5, gt=0, le=1, description="focal-loss scale")
    class_weight_strength: float = Field(
        4.0, ge=0, le=100, description="radial class weight 1 + s (r / r_max)^p: s"
    )
    class_weight_power: float = Field(2.0, gt=0, le=10, description="radial class weight: p")
    entropy_weight: float = Field(
        0.1,
        ge=0,
        le=10,
        description="weight of the anti-collapse term (1 - normalised batch entropy of soft "
        "FSQ level assignments); 0 disables it",
    )
    entropy_temperature: float = Field(
        1.0, gt=0, le=100, description="softness of the level assignments, squared level units"
    )


class TokenizerConfig(StageConfig):
    """The motion tokenizer: causal Transformer encoder, FSQ, cross-attention decoder."""

    d_model: int = Field(128, ge=8, le=8192, description="D, Transformer width")
    n_layers: int = Field(2, ge=1, le=64, description="encoder blocks")
    n_heads: int = Field(4, ge=1, le=128, description="attention heads (must divide D)")
    n_decoder_layers: int = Field(1, ge=1, le=64, description="decoder blocks")
    decoder_mlp_hidden: int = Field(256, ge=1, le=16384, description="per-point MLP hidden")
    fsq_levels: tuple[int, ...] = Field(
        (8, 8, 6, 5), description="FSQ levels per dimension; codebook size is their product"
    )
    num_points: int = Field(400, ge=1, le=100_000, description="N, tracked points per frame")
    window_length: int = Field(16, ge=2, le=512, description="T, frames per window (L = T-1)")
    dropout: float = Field(0.1, ge=0, lt=1, description="attention, residual, embedding dropout")
    z_noise_std: float = Field(
        0.01, ge=0, le=10, description="Gaussian noise on latents before FSQ, training only"
    )
    decoder_pos_scale: float = Field(
        0.2, ge=0, le=10, description="scale of the per-point embedding in the decoder head"
    )
    rel_cls_size: int = Field(
        15, ge=3, le=255, description="displacement classes per axis (odd; C x C grid)"
    )
    loss: LossConfig = Field(default_factory=LossConfig)

    @field_validator("fsq_levels")
    @classmethod
    def _levels_ok(cls, v: tuple[int, ...]) -> tuple[int, ...]:
        if not v or any(lv < 2 or lv > 1024 for lv in v):
            raise ValueError(
                f"fsq_levels: expected 1+ levels, each in [2, 1024], got {list(v)}; "
                "use e.g. [8, 8, 6, 5]"
            )
        return v

    @model_validator(mode="after")
    def _consistent(self) -> TokenizerConfig:
        if self.d_model % self.n_heads:
            raise ValueError(
                f"d_model ({self.d_model}) must be divisible by n_heads ({self.n_heads}); "
                "change one of them"
            )
        if self.rel_cls_size % 2 == 0:
            raise ValueError(
                f"rel_cls_size must be odd so that 'no motion' is a centre bin, got "
                f"{self.rel_cls_size}; use 15"
            )
        return self

    @property
    def seq_len(self) -> int:
        """L, velocity tokens per window."""
        return self.window_length - 1

    @property
    def codebook_size(self) -> int:
        """The true number of codes: the product of the FSQ levels."""
        return math.prod(self.fsq_levels)

    @property
    def n_classes(self) -> int:
        """Displacement classes per point and step: rel_cls_size squared."""
        return self.rel_cls_size**2


class Device(StrEnum):
    """Where training runs."""

    AUTO = "auto"
    CPU = "cpu"
    CUDA = "cuda"


class TrainConfig(StageConfig):
    """One training run of the motion tokenizer."""

    preset: str = Field("small", description="model preset: small | paper (see presets.py)")
    epochs: int = Field(20, ge=1, le=100_000, description="passes over the training windows")
    batch_size: int = Field(64, ge=1, le=65_536, description="windows per optimiser step")
    lr: float = Field(1e-3, gt=0, le=1, description="peak learning rate (AdamW)")
    min_lr_ratio: float = Field(0.01, ge=0, le=1, description="final lr as a fraction of lr")
    warmup_fraction: float = Field(0.05, ge=0, lt=1, description="linear warm-up, of all steps")
    weight_decay: float = Field(0.01, ge=0, le=1, description="AdamW decay of weight matrices")
    beta2: float = Field(0.95, gt=0, lt=1, description="AdamW second-moment decay")
    grad_clip: float = Field(1.0, ge=0, description="max global grad norm (0 = off)")
    val_fraction: float = Field(
        0.2, ge=0, lt=1, description="fraction of videos held out for validation"
    )
    seed: int = Field(0, ge=0, description="seeds the split, init, shuffling and dropout")
    device: Device = Field(Device.AUTO, description="auto (cuda if available) | cpu | cuda")
    amp: bool = Field(True, description="bf16 (or fp16) autocast; CUDA only")
    num_workers: int = Field(0, ge=0, le=64, description="DataLoader worker processes")
    max_bad_batches: int = Field(
        5, ge=1, le=10_000, description="consecutive non-finite losses before training stops"
    )
