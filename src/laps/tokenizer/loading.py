"""Loading a tokenizer checkpoint for a run (`laps segment --checkpoint`, calibration, benchmarks).

Imports nothing of torch until a checkpoint is actually loaded.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from laps.config import PipelineConfig
from laps.errors import ConfigError


@dataclass(frozen=True)
class LoadedTokenizer:
    """An encoder with the config layer and the manifest record of its checkpoint."""

    encoder: Any  # laps.tokenizer.inference.TokenizerEncoder
    meta: dict[str, Any]
    layer: dict[str, Any]
    info: dict[str, Any]
    path: Path

    def check(self, cfg: PipelineConfig) -> None:
        """Raise when the run's config disagrees with the checkpoint."""
        from laps.tokenizer.inference import check_compatible  # noqa: PLC0415 - see below

        check_compatible(cfg, self.meta, self.path)


def file_sha256(path: Path) -> str:
    """Hex SHA-256 of a file (identifies the checkpoint in every manifest)."""
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def load_tokenizer(path: Path | None, device: str) -> LoadedTokenizer | None:
    """Load a checkpoint (None when not given); torch is imported only here."""
    if path is None:
        return None
    if not path.is_file():
        raise ConfigError(f"checkpoint not found: {path}; train one with `laps train DATASET`")
    # torch takes seconds to import: only runs with a checkpoint pay for it
    from laps.tokenizer.inference import TokenizerEncoder, pipeline_layer  # noqa: PLC0415

    encoder, meta = TokenizerEncoder.from_checkpoint(path, device)
    info = {
        "path": str(path),
        "sha256": file_sha256(path),
        "param_count": encoder.param_count,
        "device": str(encoder.device),
    }
    return LoadedTokenizer(encoder, meta, pipeline_layer(meta), info, path)
