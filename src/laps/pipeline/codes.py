"""Codes and quantized vectors of the windows that overlap a segment (reference 3.10).

A window joins a segment when at least ``min_overlap_ratio * T`` of its samples lie inside
the segment's samples. Unlike the reference, windows are looked up by their own index, so a
failed or gated window can never shift another window's codes into a segment.
"""

from __future__ import annotations

from collections import OrderedDict

import numpy as np
from numpy.typing import NDArray


def overlapping_windows(
    starts: NDArray[np.int64],
    length: int,
    span: tuple[int, int],
    min_overlap_ratio: float,
) -> NDArray[np.int64]:
    """Positions of windows ``[start, start + length)`` overlapping ``span`` enough.

    Args:
        starts: (W,) first sample of each candidate window.
        length: T, samples per window.
        span: ``[start_sample, end_sample)`` of the segment.
        min_overlap_ratio: share of a window that must be inside the span.

    Returns:
        Indices into ``starts``, in order.
    """
    lo = np.maximum(starts, span[0])
    hi = np.minimum(starts + length, span[1])
    overlap = np.clip(hi - lo, 0, None)
    return np.flatnonzero(overlap >= np.ceil(min_overlap_ratio * length - 1e-9))


class CodeStore:
    """Per-window codes (and optional quantized vectors) kept until no segment needs them."""

    def __init__(self, length: int, stride: int, keep_vectors: bool) -> None:
        self.length, self.stride, self.keep_vectors = length, stride, keep_vectors
        self._codes: OrderedDict[int, list[int]] = OrderedDict()
        self._vectors: dict[int, NDArray[np.float32]] = {}

    def add(
        self, window: int, codes: list[int] | None, vectors: NDArray[np.float32] | None
    ) -> None:
        """Record a window's codes (None for gated or failed windows: nothing is kept)."""
        if codes is None:
            return
        self._codes[window] = codes
        if self.keep_vectors and vectors is not None:
            self._vectors[window] = vectors

    def prune(self, before_window: int) -> None:
        """Forget windows ``< before_window``."""
        while self._codes and next(iter(self._codes)) < before_window:
            w, _ = self._codes.popitem(last=False)
            self._vectors.pop(w, None)

    def select(
        self, span: tuple[int, int], min_overlap_ratio: float
    ) -> tuple[list[int], list[list[int]], NDArray[np.float32] | None]:
        """Windows overlapping a sample span: (window ids, their codes, stacked vectors)."""
        ids = np.fromiter(self._codes, dtype=np.int64, count=len(self._codes))
        keep = ids[overlapping_windows(ids * self.stride, self.length, span, min_overlap_ratio)]
        windows = [int(w) for w in keep]
        codes = [self._codes[w] for w in windows]
        vectors = None
        if self.keep_vectors and windows and all(w in self._vectors for w in windows):
            vectors = np.stack([self._vectors[w] for w in windows])  # (W, L, D)
        return windows, codes, vectors
