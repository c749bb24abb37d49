"""The online mode of the CoTracker backend: one query grid carried through the stream.

The model is fed in its own rhythm: a call whenever ``step`` new frames are in, on the last
``window_len = 2 * step`` frames (the first call waits for a whole window). Each call gives the
latest estimate of every frame of its chunk; frames after the last call are had by a peek (a
short chunk whose model state is thrown away), so a window ending between two calls is still
complete when it is read. Points the model loses are re-seeded at their grid cell at the next
step boundary by restarting the model with new queries on that frame: kept points continue
from their tracked position, lost ones start afresh with a new identity, so a window that saw
the old point counts it lost from then on.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
from numpy.typing import NDArray

from laps.tracking.cotracker_model import OnlineRun
from laps.tracking.functional import in_frame

if TYPE_CHECKING:
    import torch

logger = logging.getLogger(__name__)

Frames = dict[int, "torch.Tensor"]


@dataclass(frozen=True, slots=True)
class Estimate:
    """The carried grid on one frame."""

    xy: NDArray[np.float32]  # (N, 2)
    visible: NDArray[np.bool_]  # (N,): the model's visibility, and inside the frame
    born: NDArray[np.int64]  # (N,): frame each point was (re)seeded on; a new value = a new point


class CarriedGrid:
    """The grid the model carries, its estimates per frame, and when it is re-seeded.

    Args:
        run: the model, driven through its online protocol.
        size_wh: frame size, for the inside-the-frame check.
        reseed_lost_fraction: re-seed once at least this fraction of points is lost (and >= 1).
        max_steps: re-seed at least every this many model steps.
    """

    def __init__(
        self, run: OnlineRun, size_wh: tuple[int, int], reseed_lost_fraction: float, max_steps: int
    ) -> None:
        self.run = run
        self.size_wh = size_wh
        self.reseed_lost_fraction = reseed_lost_fraction
        self.max_steps = max_steps
        self.home: NDArray[np.float32] | None = None  # the seeded grid; lost points return here
        self.n_reseeds = 0
        self._born = np.zeros(0, np.int64)
        self._origin = 0  # the frame the model's queries sit on
        self._steps = 0  # model calls since then
        self._done: dict[int, Estimate] = {}
        self._peeked: tuple[int, dict[int, Estimate]] | None = None

    @property
    def chunk_start(self) -> int:
        """First frame of the model's next chunk (frames before it are final)."""
        return self._origin + self._steps * self.run.step

    def begin(self, frame: int, points: NDArray[np.float32], frames: Frames) -> None:
        """Start carrying ``points`` from ``frame`` (forgets any grid carried before)."""
        self.home = points.copy()
        self._born = np.full(len(points), frame, np.int64)
        self._done = {frame: Estimate(points.copy(), self._inside(points), self._born.copy())}
        self._restart(frame, points, frames)

    def advanced(self, frame: int, frames: Frames) -> None:
        """Frame ``frame`` is in ``frames``: one model step if it completes the next chunk."""
        self._peeked = None
        first = self.chunk_start
        if self.home is None or frame - first + 1 < self.run.window_len:
            return
        xy, visible = self.run.run([frames[t] for t in range(first, frame + 1)])
        self._store(self._done, first, xy, visible)
        self._steps += 1
        self._maybe_reseed(frames)

    def estimates(self, first: int, now: int, frames: Frames) -> list[Estimate]:
        """The latest estimates of frames ``first..now``, peeking past the last model step."""
        if now not in self._done or now >= self.chunk_start + self.run.step:
            if self._peeked is None or self._peeked[0] != now:
                start = self.chunk_start
                xy, visible = self.run.peek([frames[t] for t in range(start, now + 1)])
                peeked: dict[int, Estimate] = {}
                self._store(peeked, start, xy, visible)
                self._peeked = (now, peeked)
            latest = self._peeked[1]
            return [latest.get(t) or self._done[t] for t in range(first, now + 1)]
        return [self._done[t] for t in range(first, now + 1)]

    def forget_before(self, frame: int) -> None:
        """Drop the estimates of frames before ``frame`` (no set reads them any more)."""
        for t in [t for t in self._done if t < frame]:
            del self._done[t]

    def _inside(self, xy: NDArray[np.float32]) -> NDArray[np.bool_]:
        return in_frame(xy, *self.size_wh)

    def _store(
        self,
        into: dict[int, Estimate],
        first: int,
        xy: NDArray[np.float32],
        visible: NDArray[np.bool_],
    ) -> None:
        for i in range(len(xy)):
            ok = visible[i] & self._inside(xy[i])
            into[first + i] = Estimate(xy[i].copy(), ok, self._born.copy())

    def _restart(self, frame: int, queries: NDArray[np.float32], frames: Frames) -> None:
        self.run.start(frames[frame], queries)
        self._origin, self._steps, self._peeked = frame, 0, None

    def _maybe_reseed(self, frames: Frames) -> None:
        # The next chunk starts here; the model has estimated this frame once, from the chunk
        # just run, so restarting on it costs no extra call: the next call comes as planned.
        at = self.chunk_start
        assert self.home is not None
        est = self._done[at]
        lost = ~est.visible
        due = bool(lost.any()) and float(lost.mean()) >= self.reseed_lost_fraction
        if not due and self._steps < self.max_steps:
            return
        queries = np.where(lost[:, None], self.home, est.xy).astype(np.float32)
        self._born[lost] = at
        self.n_reseeds += 1
        logger.debug(
            "cotracker: re-seeding %d lost of %d points on frame %d", lost.sum(), len(lost), at
        )
        self._restart(at, queries, frames)
