"""Streaming peak picking: local maxima at least ``min_distance`` apart, highest first.

The batch rule is the usual one (as ``scipy.signal.find_peaks(height=, distance=)``):
candidates are local maxima with a height of at least ``threshold``; taken in order of
decreasing height (ties: the earlier first), a candidate is kept unless a kept one lies
closer than ``min_distance``.

Streaming: a candidate's fate depends only on higher candidates closer than
``min_distance``. So it is decided as soon as every such neighbour is decided and its own
neighbourhood has been seen; kept peaks are released in time order once no earlier
candidate is still open. Feeding the scores in any chunks gives the batch result exactly.
A sustained rise of ever-higher peaks each closer than ``min_distance`` to the next delays
decisions until the rise ends (rare: scores are bounded by 2).
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
from numpy.typing import ArrayLike

Candidate = tuple[int, float]  # (index, height)


def is_peak(scores: np.ndarray, s: int) -> bool:
    """A local maximum: above the previous value, not below the next (plateaus: first)."""
    return 0 < s < len(scores) - 1 and scores[s] > scores[s - 1] and scores[s] >= scores[s + 1]


def _outranks(a: Candidate, b: Candidate) -> bool:
    return a[1] > b[1] or (a[1] == b[1] and a[0] < b[0])


class PeakPicker:
    """Feed scores in order with :meth:`update`; :meth:`flush` at the end."""

    def __init__(self, threshold: float, min_distance: int) -> None:
        self.threshold, self.r = threshold, min_distance
        self._tail: list[float] = []  # the last two scores (candidate tests need s - 1, s + 1)
        self._n = 0  # scores seen
        self._open: list[Candidate] = []  # undecided, by index
        self._kept: list[int] = []  # kept, not yet released (by index)
        self._recent: list[int] = []  # kept within reach of open candidates

    def update(self, values: Iterable[float]) -> list[int]:
        """Append scores; return the peaks now final (in order)."""
        for v in values:
            self._push(float(v))
        return self._resolve(final=False)

    def flush(self) -> list[int]:
        """End of sequence: decide every candidate."""
        return self._resolve(final=True)

    def horizon(self) -> int:
        """Every peak before this index has been released (later ones may still come)."""
        first_open = min((c[0] for c in self._open), default=None)
        newest = max(self._n - 2, 0)  # candidates not yet testable start here
        return newest if first_open is None else min(first_open, newest)

    def _push(self, v: float) -> None:
        self._tail.append(v)
        self._n += 1
        if len(self._tail) == 3:
            s = self._n - 2  # the middle score is now testable
            if is_peak(np.asarray(self._tail), 1) and self._tail[1] >= self.threshold:
                self._open.append((s, self._tail[1]))
            self._tail.pop(0)

    def _decidable(self, c: Candidate, final: bool) -> bool:
        if not final and c[0] + self.r > self._n - 2:  # neighbours after c not all known
            return False
        near = (o for o in self._open if o is not c and abs(o[0] - c[0]) < self.r)
        return not any(_outranks(o, c) for o in near)

    def _resolve(self, final: bool) -> list[int]:
        progress = True
        while progress:
            progress = False
            for c in sorted(self._open, key=lambda c: (-c[1], c[0])):
                if not self._decidable(c, final):
                    continue
                self._open.remove(c)
                if not any(abs(k - c[0]) < self.r for k in self._recent):
                    self._kept.append(c[0])
                    self._recent.append(c[0])
                progress = True
                break
        return self._release(final)

    def _release(self, final: bool) -> list[int]:
        first_open = min((c[0] for c in self._open), default=None)
        self._kept.sort()
        out = [k for k in self._kept if final or first_open is None or k < first_open]
        self._kept = [k for k in self._kept if k not in out]
        newest = self._n - 2  # later candidates start here
        horizon = min(first_open if first_open is not None else newest, newest) - self.r
        self._recent = [k for k in self._recent if k >= horizon or k in self._kept]
        return out


def pick_peaks(scores: ArrayLike, threshold: float, min_distance: int) -> list[int]:
    """Batch: the peaks of a whole score sequence."""
    picker = PeakPicker(threshold, min_distance)
    return picker.update(np.asarray(scores, dtype=np.float64).tolist()) + picker.flush()
