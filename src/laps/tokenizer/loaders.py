"""The data side of training: open the window dataset, split it by video, build loaders.

Also decides the model config from the dataset's conventions (N, T, velocity normalisation)
and checks that a resumed run still reads the same kind of windows.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

import numpy as np
import torch
from torch.utils.data import DataLoader

from laps.errors import ConfigError
from laps.tokenizer.config import TokenizerConfig, TrainConfig
from laps.tokenizer.dataset import WindowDataset, open_dataset
from laps.tokenizer.presets import preset_config

logger = logging.getLogger(__name__)

FALLBACK_VAL_FRACTION = 0.1  # of windows, when the dataset has a single video
# dataset conventions a checkpoint must share with the data it is trained or resumed on
DATA_KEYS = ("window_length", "n_points", "grid_size", "stride", "target_fps", "resize_shorter")


def open_windows(dataset: Path | WindowDataset) -> tuple[WindowDataset, str]:
    """The dataset (opened when given as a folder) and a name for logs and checkpoints."""
    if isinstance(dataset, WindowDataset):
        return dataset, "<in-memory>"
    return open_dataset(Path(dataset)), str(dataset)


def split_windows(
    ds: WindowDataset, val_fraction: float, seed: int
) -> tuple[WindowDataset, WindowDataset | None]:
    """Train and validation sets, disjoint by video; see the warnings for the fallbacks.

    Raises:
        ConfigError: when no training windows remain.
    """
    if val_fraction == 0:
        logger.warning("val_fraction is 0: no validation; best.pt is chosen by training loss")
        return ds, None
    train, val = ds.split_by_video(val_fraction, seed)
    if len(val) == 0:
        n_val = max(1, round(FALLBACK_VAL_FRACTION * len(ds)))
        if len(ds) < 2:
            raise ConfigError(
                f"dataset has {len(ds)} window: expected at least 2 to train and validate; "
                "add videos with `laps tracks`"
            )
        perm = np.random.default_rng(seed).permutation(len(ds))
        logger.warning(
            "the dataset has one video (%s): validation falls back to a random %d%% of its "
            "windows (%d), which overlap training windows in time, so val loss is optimistic; "
            "add videos for a real held-out split",
            ds.videos[0] if ds.videos else "?",
            round(100 * FALLBACK_VAL_FRACTION),
            n_val,
        )
        return ds.subset(np.sort(perm[n_val:])), ds.subset(np.sort(perm[:n_val]))
    if len(train) == 0:
        raise ConfigError(
            f"val_fraction {val_fraction} left no training windows; lower --val-fraction"
        )
    logger.info("split by video: %d train windows, %d val windows", len(train), len(val))
    return train, val


def make_loader(
    ds: WindowDataset, cfg: TrainConfig, cuda: bool, seed: int | None, skip_batches: int = 0
) -> DataLoader[dict[str, Any]]:
    """A loader of dict batches: shuffled by ``seed`` (None: in order), ``skip_batches`` left out.

    The order depends on the seed alone, so a resumed epoch skips exactly the batches it did.
    """
    if seed is None:
        order = list(range(len(ds)))
    else:
        order = torch.randperm(len(ds), generator=torch.Generator().manual_seed(seed)).tolist()
    return DataLoader(
        ds,
        batch_size=cfg.batch_size,
        sampler=order[skip_batches * cfg.batch_size :],
        num_workers=cfg.num_workers,
        pin_memory=cuda,
        generator=torch.Generator().manual_seed(0),  # worker seeds; keeps the global RNG as is
    )


def velocity_scale_of(meta: dict[str, Any]) -> float | None:
    """Px per normalised velocity unit: half the processing short side (None if unknown)."""
    shorter = meta.get("resize_shorter")
    return float(shorter) / 2.0 if isinstance(shorter, int | float) and shorter > 0 else None


def model_config_for(
    cfg: TrainConfig, meta: dict[str, Any], model_cfg: TokenizerConfig | None
) -> TokenizerConfig:
    """The model config of a new run: the preset (or ``model_cfg``) fitted to the data.

    Raises:
        ConfigError: unknown preset, or a given ``model_cfg`` whose N or T differ from the data.
    """
    n, t = int(meta["n_points"]), int(meta["window_length"])
    base = model_cfg or preset_config(cfg.preset, num_points=n, window_length=t)
    if (base.num_points, base.window_length) != (n, t):
        raise ConfigError(
            f"model config: expected num_points={n}, window_length={t} (the dataset's), got "
            f"{base.num_points}, {base.window_length}; make them match the dataset"
        )
    scale = velocity_scale_of(meta)
    if scale is None:
        logger.warning(
            "dataset meta has no resize_shorter: assuming %g px per velocity unit",
            base.loss.velocity_scale_px,
        )
        return base
    loss = base.loss.model_copy(update={"velocity_scale_px": scale})
    return base.model_copy(update={"loss": loss})


def check_same_data(saved: dict[str, Any], meta: dict[str, Any], path: Path) -> None:
    """Raise when a checkpoint was trained on windows of other conventions than ``meta``."""
    bad = [
        f"{k}: checkpoint {saved.get(k)!r}, dataset {meta.get(k)!r}"
        for k in DATA_KEYS
        if saved.get(k) != meta.get(k)
    ]
    if bad:
        raise ConfigError(
            f"cannot resume {path} on this dataset ({'; '.join(bad)}); resume on the dataset "
            "it was trained on, or start a new run with another --out"
        )
