"""Tokenizer checkpoints: written atomically, read with ``torch.load(weights_only=True)``.

A checkpoint is a dict of tensors and plain containers only::

    format, laps_version, model, optimizer, scaler, step, epoch, best_val_loss,
    tokenizer_config, train_config, fsq_levels, codebook_size,
    data_meta (window_length, n_points, grid_size, stride, target_fps, resize_shorter,
    velocity_scale_rule, tracker, ...), dataset_summary, dataset_path, history

:func:`load_model` (behind :meth:`MotionTokenizer.from_checkpoint`) is the single loader.
"""

from __future__ import annotations

import json
import pickle
import zipfile
from pathlib import Path
from typing import Any

import torch
from pydantic import ValidationError

from laps._model import describe_errors
from laps.errors import ConfigError
from laps.export.atomic import write_atomic
from laps.tokenizer.config import TokenizerConfig
from laps.tokenizer.model import MotionTokenizer

FORMAT = "laps.tokenizer.checkpoint/1"
STATE_KEYS = ("model", "optimizer", "scaler")  # large state, not part of the returned meta
_READ_ERRORS = (
    pickle.UnpicklingError,
    RuntimeError,
    EOFError,
    ValueError,
    OSError,
    zipfile.BadZipFile,
    AttributeError,
)


def plain(value: Any) -> Any:
    """A JSON round trip: only dicts, lists, str, numbers, bools and None remain."""
    return json.loads(json.dumps(value, default=str))


def save_checkpoint(path: Path, payload: dict[str, Any]) -> None:
    """``torch.save`` to a temporary file beside ``path``, then ``os.replace``.

    Raises:
        ExportError: when the folder is not writable or the disk is full.
    """
    write_atomic(Path(path), lambda fh: torch.save({"format": FORMAT, **payload}, fh))


def load_checkpoint(path: Path, map_location: str | torch.device = "cpu") -> dict[str, Any]:
    """Read a laps tokenizer checkpoint (every key, including optimizer state).

    Raises:
        ConfigError: missing file, unreadable or corrupt file, or not a laps checkpoint.
    """
    path = Path(path)
    if not path.is_file():
        raise ConfigError(
            f"tokenizer checkpoint not found: {path}; train one with "
            "`laps train DATASET --out DIR` and pass DIR/best.pt"
        )
    try:
        ckpt = torch.load(path, map_location=map_location, weights_only=True)
    except _READ_ERRORS as err:
        raise ConfigError(
            f"cannot read tokenizer checkpoint {path} ({type(err).__name__}: "
            f"{str(err).splitlines()[0] if str(err) else 'no detail'}); the file is corrupt or "
            "not a torch checkpoint: copy it again or retrain with `laps train`"
        ) from err
    got = ckpt.get("format") if isinstance(ckpt, dict) else type(ckpt).__name__
    if got != FORMAT:
        raise ConfigError(
            f"not a laps tokenizer checkpoint: {path} (format: expected {FORMAT!r}, got "
            f"{got!r}); pass a best.pt or last.pt written by `laps train`"
        )
    return ckpt


def tokenizer_config_of(ckpt: dict[str, Any], path: Path) -> TokenizerConfig:
    """The checkpoint's :class:`TokenizerConfig`.

    Raises:
        ConfigError: when it is missing or not valid for this laps version.
    """
    try:
        return TokenizerConfig.model_validate(ckpt.get("tokenizer_config"))
    except ValidationError as err:
        raise ConfigError(
            f"{path}: its tokenizer config is not valid for this laps ({describe_errors(err)}); "
            f"retrain with `laps train` (checkpoint from laps {ckpt.get('laps_version')!r})"
        ) from err


def load_model(
    path: Path, map_location: str | torch.device = "cpu"
) -> tuple[MotionTokenizer, dict[str, Any]]:
    """Build the model of a checkpoint and load its weights strictly; eval mode.

    Returns:
        The model on ``map_location`` and the checkpoint without its state dicts.

    Raises:
        ConfigError: missing/corrupt file, not a laps checkpoint, or weights whose keys or
            shapes do not fit the stored config.
    """
    path = Path(path)
    ckpt = load_checkpoint(path, map_location)
    cfg = tokenizer_config_of(ckpt, path)
    model = MotionTokenizer(cfg)
    state = ckpt.get("model")
    if not isinstance(state, dict):
        raise ConfigError(f"{path}: no model weights in the checkpoint; retrain with `laps train`")
    own = model.state_dict()
    missing = sorted(set(own) - set(state))
    unexpected = sorted(set(state) - set(own))
    wrong = sorted(k for k in set(own) & set(state) if own[k].shape != state[k].shape)
    if missing or unexpected or wrong:
        raise ConfigError(
            f"{path}: weights do not fit the model of its config (missing {missing[:5]}, "
            f"unexpected {unexpected[:5]}, wrong shape {wrong[:5]}); the file was changed or "
            "written by another laps version: retrain with `laps train`"
        )
    model.load_state_dict(state)
    model.to(map_location).eval()
    return model, {k: v for k, v in ckpt.items() if k not in STATE_KEYS}
