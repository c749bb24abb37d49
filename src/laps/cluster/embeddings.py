"""Segment embeddings: code histogram, mean quantized vector, frozen encoder, random.

``codes`` needs only ``segments.jsonl``; ``mean`` and ``frozen`` read the quantized vectors
from each run's ``latents.npz`` (``laps segment --checkpoint CKPT --set export.latents=true``).
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from pathlib import Path
from typing import Literal, get_args

import numpy as np
from numpy.typing import NDArray

from laps.cluster.runs import SegmentRef, latent_sequences, run_manifest
from laps.errors import ConfigError, LapsError

logger = logging.getLogger(__name__)

EmbeddingKind = Literal["frozen", "codes", "mean"]
EMBEDDINGS: tuple[str, ...] = get_args(EmbeddingKind)


def code_histograms(segments: Sequence[SegmentRef], codebook_size: int) -> NDArray[np.float32]:
    """Each segment's code counts over ``[0, codebook_size)``, normalised to sum 1.

    A segment without codes (every window gated) gets a zero row.
    """
    out = np.zeros((len(segments), codebook_size), dtype=np.float32)
    for row, seg in zip(out, segments, strict=True):
        flat = [c for window in seg.codes for c in window]
        if flat:
            counts = np.bincount(np.asarray(flat, dtype=np.int64), minlength=codebook_size)
            row[:] = counts[:codebook_size] / counts.sum()
    return out


def _checkpoint_codebook(path: Path) -> int | None:
    if not path.is_file():
        return None
    from laps.tokenizer.checkpoint import load_checkpoint  # noqa: PLC0415 - torch, lazily

    try:
        size = load_checkpoint(path).get("codebook_size")
    except LapsError as err:
        logger.warning("%s", err)
        return None
    return int(size) if size is not None else None


def codebook_size(segments: Sequence[SegmentRef]) -> int:
    """The codebook size of the runs' tokenizer checkpoint, else the largest code + 1.

    Raises:
        LapsError: when no segment has any code (runs made without a tokenizer).
    """
    largest = max((c for s in segments for w in s.codes for c in w), default=-1)
    if largest < 0:
        raise LapsError(
            "expected segment codes for --embedding codes, got none; rerun `laps segment` "
            "with --checkpoint CKPT (a trained tokenizer)"
        )
    sizes = [largest + 1]
    for run_dir in dict.fromkeys(s.run_dir for s in segments):
        manifest = run_manifest(run_dir)
        ckpt = None if manifest is None else (manifest.checkpoint or {}).get("path")
        if ckpt:
            sizes.append(_checkpoint_codebook(Path(ckpt)) or 0)
    return max(sizes)


def mean_vectors(sequences: Sequence[NDArray[np.float32]]) -> NDArray[np.float32]:
    """The mean quantized vector of each segment."""
    return np.stack([seq.mean(axis=0) for seq in sequences]).astype(np.float32)


def random_embeddings(n: int, dim: int, seed: int) -> NDArray[np.float32]:
    """Seeded Gaussian embeddings: the baseline that carries no information."""
    return np.random.default_rng(seed).standard_normal((n, dim)).astype(np.float32)


def embed(segments: Sequence[SegmentRef], kind: str, seed: int) -> NDArray[np.float32]:
    """One embedding row per segment.

    Raises:
        ConfigError: for an unknown kind.
        LapsError: when the runs lack what the kind needs (codes or latents.npz).
    """
    if kind == "codes":
        return code_histograms(segments, codebook_size(segments))
    if kind == "mean":
        return mean_vectors(latent_sequences(segments))
    if kind == "frozen":
        from laps.cluster.frozen import frozen_embeddings  # noqa: PLC0415 - torch, lazily

        return frozen_embeddings(latent_sequences(segments), seed=seed)
    raise ConfigError(
        f"--embedding: expected one of {' | '.join(EMBEDDINGS)}, got {kind!r}; pick one of them"
    )
