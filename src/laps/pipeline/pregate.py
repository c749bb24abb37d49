"""Per-frame-pair pixel statistics for the pre-gate, computed once and shared by windows."""

from __future__ import annotations

from collections import deque

import numpy as np
from numpy.typing import NDArray

from laps.energy.gates import GateResult, gate_from_pairs, gate_image, pair_stats
from laps.gates.config import PreGateConfig


class PairGate:
    """Streaming pre-gate: one pixel-difference statistic per frame pair.

    ``update(image)`` records the pair (previous sample -> this sample); ``window(start, T)``
    returns the gate of the window covering samples ``[start, start + T)``.
    """

    def __init__(self, cfg: PreGateConfig, length: int) -> None:
        self.cfg = cfg
        self._prev: NDArray[np.uint8] | None = None
        self._stats: deque[tuple[int, tuple[float, float]]] = deque(maxlen=length + 1)
        self._sample = -1

    def update(self, image: NDArray[np.uint8]) -> None:
        """Add the next sampled frame."""
        small = gate_image(image, self.cfg)
        self._sample += 1
        if self._prev is not None:
            self._stats.append((self._sample, pair_stats(self._prev, small, self.cfg)))
        self._prev = small

    def window(self, start: int, length: int) -> GateResult:
        """Gate of the window covering samples ``[start, start + length)``."""
        pairs = [st for k, st in self._stats if start < k < start + length]
        if len(pairs) != length - 1:
            raise RuntimeError(f"pre-gate: expected {length - 1} frame pairs, got {len(pairs)}")
        return gate_from_pairs(pairs, self.cfg)
