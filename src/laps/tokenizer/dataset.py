"""The window dataset for tokenizer training: every ``done`` video's windows, in memory.

:func:`open_dataset` reads ``DATASET/dataset.json`` (written by ``laps tracks``) and loads all
shards once into contiguous numpy arrays. Memory: a window's velocities are
``L * N * 2 * 4`` bytes = 15 * 400 * 2 * 4 = 48 kB, plus 6.4 kB of visibility, so 100k windows
take ~5.4 GB. Pass ``max_windows`` to cap it (e.g. for a smoke run); the videos are read in
manifest order. Beyond RAM, build a memory-mapped ``.npy`` cache from the shards
(``np.lib.format.open_memmap``) and wrap it in :class:`WindowDataset`, which accepts any
array-like of the right shape.

Items are dicts ``{"velocities": FloatTensor (L, N, 2), "visible": BoolTensor (T, N),
"video": int}``, where ``video`` indexes :attr:`WindowDataset.videos`. Item tensors are
copies: a trainer may modify them in place.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import torch
from numpy.typing import NDArray
from torch.utils.data import Dataset

from laps.errors import ConfigError
from laps.tokenizer.dataset_manifest import VideoStatus, read_manifest
from laps.tokenizer.shards import INDEX_COLUMNS, read_shard

logger = logging.getLogger(__name__)


class WindowDataset(Dataset[dict[str, Any]]):
    """Windows of tracked velocities, indexable by window, grouped by video.

    Args:
        velocities: (M, L, N, 2) float32 normalised velocities.
        visible: (M, T, N) bool visibility, T = L + 1.
        video_of: (M,) int index into ``videos`` of each window's video.
        videos: video ids (the dataset's ids, in manifest order).
        meta: the dataset's window conventions (``dataset.json`` ``meta``).
        window_info: optional (M,) arrays ``window``, ``start_frame``, ``end_frame``,
            ``start_s``, ``end_s`` (source frames half-open; presentation times).

    Raises:
        ConfigError: when the arrays' shapes disagree.
    """

    def __init__(
        self,
        velocities: NDArray[np.float32],
        visible: NDArray[np.bool_],
        video_of: NDArray[np.int64],
        videos: Sequence[str],
        meta: dict[str, Any],
        window_info: dict[str, NDArray[np.generic]] | None = None,
    ) -> None:
        m = len(velocities)
        _expect("velocities", velocities.shape, (m, None, None, 2))
        _expect("visible", visible.shape, (m, velocities.shape[1] + 1, velocities.shape[2]))
        _expect("video_of", video_of.shape, (m,))
        if m and (video_of.min() < 0 or video_of.max() >= len(videos)):
            raise ConfigError(
                f"video_of: expected indices in [0, {len(videos)}), got "
                f"[{video_of.min()}, {video_of.max()}]; index into the videos list"
            )
        self.velocities = velocities
        self.visible = visible
        self.video_of = video_of
        self.videos = list(videos)
        self.meta = dict(meta)
        self.window_info = window_info or {}
        for name, arr in self.window_info.items():
            _expect(f"window_info[{name!r}]", arr.shape, (m,))

    def __len__(self) -> int:
        return len(self.velocities)

    def __getitem__(self, i: int) -> dict[str, Any]:
        return {
            "velocities": torch.from_numpy(np.array(self.velocities[i], dtype=np.float32)),
            "visible": torch.from_numpy(np.array(self.visible[i], dtype=np.bool_)),
            "video": int(self.video_of[i]),
        }

    def subset(self, indices: Sequence[int] | NDArray[np.integer]) -> WindowDataset:
        """A dataset of the windows at ``indices`` (copied; same ``videos`` list and meta)."""
        idx = np.asarray(indices, dtype=np.int64).reshape(-1)
        if idx.size and (idx.min() < -len(self) or idx.max() >= len(self)):
            raise ConfigError(
                f"subset: expected indices in [0, {len(self)}), got [{idx.min()}, {idx.max()}]"
            )
        info = {k: v[idx] for k, v in self.window_info.items()}
        return WindowDataset(
            self.velocities[idx],
            self.visible[idx],
            self.video_of[idx],
            self.videos,
            self.meta,
            info,
        )

    def split_by_video(self, val_fraction: float, seed: int) -> tuple[WindowDataset, WindowDataset]:
        """Train and validation parts with no video in both.

        The videos that have windows are sorted by id and shuffled with ``seed``; the first
        ``round(val_fraction * n_videos)`` (at least 1 when ``val_fraction > 0``, at most
        ``n_videos - 1``) go to validation. With one video the validation part is empty.

        Raises:
            ConfigError: when ``val_fraction`` is not in [0, 1).
        """
        if not 0.0 <= val_fraction < 1.0:
            raise ConfigError(
                f"val_fraction: expected a value in [0, 1), got {val_fraction}; e.g. 0.1"
            )
        present = sorted({int(v) for v in np.unique(self.video_of)}, key=self.videos.__getitem__)
        order = np.random.default_rng(seed).permutation(len(present))
        n_val = round(val_fraction * len(present))
        if val_fraction > 0:
            n_val = max(n_val, 1)
        n_val = min(n_val, len(present) - 1) if present else 0
        val_videos = np.array([present[i] for i in order[:n_val]], dtype=np.int64)
        in_val = np.isin(self.video_of, val_videos)
        return self.subset(np.flatnonzero(~in_val)), self.subset(np.flatnonzero(in_val))

    def summary(self) -> dict[str, Any]:
        """``n_windows``, ``n_videos`` (with windows), ``videos`` (id -> windows) and ``meta``."""
        counts = np.bincount(self.video_of, minlength=len(self.videos))
        per_video = {v: int(c) for v, c in zip(self.videos, counts, strict=True) if c}
        return {
            "n_windows": len(self),
            "n_videos": len(per_video),
            "videos": per_video,
            "meta": self.meta,
        }


def _expect(name: str, got: tuple[int, ...], want: tuple[int | None, ...]) -> None:
    ok = len(got) == len(want) and all(w is None or w == g for g, w in zip(got, want, strict=True))
    if not ok:
        shape = "(" + ", ".join("*" if w is None else str(w) for w in want) + ")"
        raise ConfigError(f"WindowDataset {name}: expected shape {shape}, got {tuple(got)}")


def open_dataset(path: Path, max_windows: int | None = None) -> WindowDataset:
    """Load a dataset written by ``laps tracks``.

    Args:
        path: the dataset folder (holding ``dataset.json``).
        max_windows: load at most this many windows (in manifest order); None = all.

    Raises:
        ConfigError: missing folder, missing or corrupt manifest or shards, no windows
            ("empty dataset"), or ``max_windows < 1``.
        SchemaVersionError: a dataset of another schema version.
    """
    if max_windows is not None and max_windows < 1:
        raise ConfigError(f"max_windows: expected an integer >= 1 or None, got {max_windows}")
    root = Path(path)
    manifest = read_manifest(root)
    meta = manifest["meta"]
    t, n = meta["window_length"], meta["n_points"]
    done = [e for e in manifest["videos"] if e["status"] == VideoStatus.DONE]
    total = sum(int(e.get("n_windows", 0)) for e in done)
    if max_windows is not None:
        total = min(total, max_windows)
    if total == 0:
        failed = sum(e["status"] == VideoStatus.FAILED for e in manifest["videos"])
        raise ConfigError(
            f"empty dataset: {root} holds 0 windows ({len(done)} videos done, {failed} "
            f"failed); run laps tracks first (`laps tracks VIDEOS --out {root}`)"
        )
    vel, vis, video_of, info = _load(root, done, total, t, n, capped=max_windows is not None)
    logger.info("loaded %d windows of %d videos from %s", total, len(done), root)
    return WindowDataset(vel, vis, video_of, [e["id"] for e in done], meta, info)


def _load(
    root: Path, done: list[dict[str, Any]], total: int, t: int, n: int, *, capped: bool
) -> tuple[NDArray[np.float32], NDArray[np.bool_], NDArray[np.int64], dict[str, NDArray[Any]]]:
    """Read the shards of ``done`` videos into preallocated arrays (one copy, no concat)."""
    vel = np.empty((total, t - 1, n, 2), np.float32)
    vis = np.empty((total, t, n), np.bool_)
    video_of = np.empty(total, np.int64)
    info: dict[str, NDArray[Any]] = {
        name: np.empty(total, np.float64 if name.endswith("_s") else np.int64)
        for name in INDEX_COLUMNS
    }
    pos = 0
    for v, entry in enumerate(done):
        rows = 0
        for rel in entry["shards"]:
            if pos == total:
                break
            part = read_shard(root / rel, t, n)
            rows += len(part.velocities)
            k = min(len(part.velocities), total - pos)
            vel[pos : pos + k] = part.velocities[:k]
            vis[pos : pos + k] = part.visible[:k]
            video_of[pos : pos + k] = v
            for name in INDEX_COLUMNS:
                info[name][pos : pos + k] = part.index[name][:k]
            pos += k
        if not capped and rows != entry["n_windows"]:
            raise ConfigError(
                f"dataset {root}: video {entry['id']}: expected {entry['n_windows']} windows "
                f"(manifest), its shards hold {rows}; run `laps tracks` with the same "
                "videos and --out again to repair it"
            )
    return vel, vis, video_of, info
