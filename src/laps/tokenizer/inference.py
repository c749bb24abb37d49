"""The trained tokenizer inside the stream: a :class:`~laps.pipeline.encode.WindowEncoder`.

Loads a checkpoint once, runs ``encode`` + ``quantize`` under ``torch.inference_mode`` (AMP on
CUDA), and returns numpy latents per window. The checkpoint decides the window length, the
grid and the velocity normalisation: :func:`pipeline_layer` turns them into config values
that sit under the user's file and ``--set`` overrides, and :func:`check_compatible` makes
any disagreement an error instead of a silent change.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

import numpy as np
import torch
from numpy.typing import NDArray

from laps.config import PipelineConfig
from laps.errors import ConfigError
from laps.tokenizer.config import Device
from laps.tokenizer.model import MotionTokenizer, count_parameters
from laps.tokenizer.steps import amp_dtype, resolve_device
from laps.types import Latents

logger = logging.getLogger(__name__)

# checkpoint meta key -> pipeline config key; these must agree between training and the stream
_SHARED_KEYS = {
    "window_length": "window.length",
    "grid_size": "tracking.grid_size",
    "target_fps": "video.target_fps",
    "resize_shorter": "video.resize_shorter",
    "tracker": "tracking.backend",
}


def parse_device(device: str) -> torch.device:
    """``auto`` | ``cpu`` | ``cuda`` -> a device (the rule training uses too)."""
    try:
        return resolve_device(Device(device))
    except ValueError:
        valid = ", ".join(d.value for d in Device)
        raise ConfigError(f"--device: expected one of {valid}, got {device!r}") from None


def data_meta(meta: dict[str, Any]) -> dict[str, Any]:
    """The dataset conventions stored in a checkpoint."""
    found = meta.get("data_meta") or meta.get("dataset_meta") or {}
    if not isinstance(found, dict) or not found:
        raise ConfigError(
            "checkpoint has no dataset metadata (window length, grid, normalisation); "
            "it was not written by `laps train`: retrain with this laps version"
        )
    return found


def pipeline_layer(meta: dict[str, Any]) -> dict[str, Any]:
    """Config values the checkpoint imposes, as a nested dict (a base layer for load_config)."""
    dm = data_meta(meta)
    layer: dict[str, Any] = {"energy": {"source": "quantized", "mode": "token_diff_l2_mean"}}
    for key, dotted in _SHARED_KEYS.items():
        if key in dm and dm[key] is not None:
            section, name = dotted.split(".")
            layer.setdefault(section, {})[name] = dm[key]
    return layer


def check_compatible(cfg: PipelineConfig, meta: dict[str, Any], path: Path) -> None:
    """Raise when the run's config disagrees with what the checkpoint was trained on."""
    dm = data_meta(meta)
    resolved = cfg.to_dict()
    bad = []
    for key, dotted in _SHARED_KEYS.items():
        section, name = dotted.split(".")
        want, got = dm.get(key), resolved[section][name]
        if want is not None and want != got and not _same_number(want, got):
            bad.append(f"{dotted}={got!r} but the checkpoint was trained with {want!r}")
    if bad:
        raise ConfigError(
            f"{path}: " + "; ".join(bad) + ". Drop those overrides (the checkpoint decides them)"
            " or train a tokenizer with these settings"
        )


def _same_number(a: Any, b: Any) -> bool:
    return isinstance(a, int | float) and isinstance(b, int | float) and float(a) == float(b)


class TokenizerEncoder:
    """A loaded motion tokenizer that encodes windows for the stream.

    Args:
        model: the tokenizer (put in eval mode here).
        device: where it runs.
        amp: autocast on CUDA (bf16 when supported, else fp16); ignored on CPU.
    """

    def __init__(self, model: MotionTokenizer, device: torch.device, amp: bool = True) -> None:
        self.model = model.to(device).eval()
        self.device = device
        self.autocast_dtype = amp_dtype(device, amp)  # None: no autocast (CPU or amp off)
        self.param_count = count_parameters(model)

    @classmethod
    def from_checkpoint(
        cls, path: Path, device: str = "auto", amp: bool = True
    ) -> tuple[TokenizerEncoder, dict[str, Any]]:
        """Load a checkpoint for inference; returns the encoder and the checkpoint metadata."""
        dev = parse_device(device)
        if dev.type == "cpu":
            # One intra-op thread: the decoder and the tracker already keep both cores busy,
            # and torch's second thread then only contends with them (measured: 0.67x -> see
            # docs/BENCHMARKS.md). Process-wide, as torch's thread pool is.
            torch.set_num_threads(1)
        model, meta = MotionTokenizer.from_checkpoint(Path(path), map_location=dev)
        enc = cls(model, dev, amp)
        logger.info("tokenizer %s: %d parameters on %s", path, enc.param_count, dev)
        return enc, meta

    def encode_batch(self, velocities: NDArray[np.float32]) -> list[Latents]:
        """Encode windows (B, L, N, 2) -> per window (prequant, quantized, codes)."""
        vel = torch.from_numpy(np.ascontiguousarray(velocities, dtype=np.float32))
        dtype = self.autocast_dtype
        with (
            torch.inference_mode(),
            torch.autocast(self.device.type, dtype=dtype, enabled=dtype is not None),
        ):
            z = self.model.encode(vel.to(self.device))  # (B, L, D)
            quantized, codes = self.model.quantize(z)
        pre = z.float().cpu().numpy()
        q = quantized.float().cpu().numpy()
        c = codes.cpu().numpy().astype(np.int64)
        return [Latents(pre[i], q[i], c[i]) for i in range(len(pre))]
