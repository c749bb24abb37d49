"""The optional CoTracker3-online backend (bring your own clone and checkpoint; GPU).

Two modes (``tracking.cotracker.mode``):

* ``online`` (default): one grid carried through the stream in the model's own steps, re-seeded
  as points are lost (:mod:`laps.tracking.cotracker_online`). Every set reads the carried
  points from its seed frame on; the points it was seeded with only fix N and the grid the
  model starts from (every set must be seeded with the same points while others are active).
* ``per-window``: each set tracked from scratch on its own frames, queried on its seed frame,
  when it is read: the reference LAPS's behaviour, kept for comparison.

Work happens in :meth:`CoTrackerTracker.track` (or :meth:`~CoTrackerTracker.positions`): read a
set once, when its window is complete. The model's weights are CC-BY-NC and never bundled.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
from numpy.typing import NDArray

from laps.errors import TrackerError
from laps.tracking.base import checked_seed
from laps.tracking.config import CoTrackerMode, TrackingConfig
from laps.tracking.cotracker_model import OnlineRun, load_predictor
from laps.tracking.cotracker_online import CarriedGrid, Frames
from laps.tracking.functional import in_frame
from laps.tracking.pointsets import checked_frame

if TYPE_CHECKING:
    pass

logger = logging.getLogger(__name__)

Track = tuple[NDArray[np.float32], NDArray[np.bool_]]


@dataclass(frozen=True, slots=True)
class _Set:
    first: int  # seed frame
    points: NDArray[np.float32]  # (N, 2) as seeded


def sticky(xy: NDArray[np.float32], visible: NDArray[np.bool_]) -> Track:
    """The protocol's rule on a (t, N) track: lost once means lost, held where last seen."""
    vis = np.logical_and.accumulate(visible, axis=0)
    out = np.array(xy, dtype=np.float32, copy=True)
    for t in range(1, len(out)):
        lost = ~vis[t]
        out[t, lost] = out[t - 1, lost]
    return out, vis


class CoTrackerTracker:
    """CoTracker3-online behind the :class:`laps.tracking.base.Tracker` protocol.

    Args:
        cfg: tracking config; ``cotracker`` (repo, checkpoint, mode, device, re-seeding) is
            used. The model is loaded here.

    Raises:
        ConfigError: missing or unreadable clone or checkpoint.
        TrackerError: the clone's hub entry fails.
    """

    name = "cotracker"

    def __init__(self, cfg: TrackingConfig | None = None) -> None:
        self.cfg = cfg if cfg is not None else TrackingConfig(backend="cotracker")
        predictor, self.device = load_predictor(self.cfg.cotracker)
        self.model = OnlineRun(predictor, self.device)
        self.mode = CoTrackerMode(self.cfg.cotracker.mode)
        self._sets: dict[int, _Set] = {}
        self._frames: Frames = {}
        self._last: NDArray[np.uint8] | None = None
        self._n = 0
        self._grid: CarriedGrid | None = None
        self._cache: dict[int, Track] = {}

    @property
    def n_model_calls(self) -> int:
        """Model calls (steps, peeks and per-window runs) since the tracker was built."""
        return self.model.n_calls

    @property
    def active_keys(self) -> list[int]:
        """Keys of the sets being tracked, in seeding order."""
        return list(self._sets)

    def reset(self) -> None:
        """Forget every frame, point set and the carried grid."""
        self._sets.clear()
        self._frames.clear()
        self._cache.clear()
        self._last, self._n, self._grid = None, 0, None

    def advance(self, image: NDArray[np.uint8]) -> None:
        """Buffer the next (H, W) uint8 frame; in online mode, run a model step when due.

        Raises:
            TrackerError: on a wrong shape, dtype or frame size.
        """
        import torch  # noqa: PLC0415 - lazy: only a cotracker run loads torch

        self._last = checked_frame(image, self._last)
        self._frames[self._n] = torch.from_numpy(self._last).to(self.device)
        self._n += 1
        self._cache.clear()
        if self._grid is not None:
            self._grid.advanced(self._n - 1, self._frames)
        self._forget()

    def seed(self, key: int, points_xy: NDArray[np.float32]) -> None:
        """Start set ``key`` on the current frame.

        Raises:
            TrackerError: before the first frame, on a duplicate key or a wrong shape, or (online)
                on points unlike the carried grid's while other sets are active.
        """
        xy = checked_seed(key, self._last is not None, self.active_keys, points_xy)
        now = self._n - 1
        if self.mode is CoTrackerMode.ONLINE:
            self._carry(key, xy, now)
        self._sets[key] = _Set(now, xy)

    def track(self, key: int) -> Track:
        """(t, N, 2) positions and (t, N) visibility of set ``key``, seed frame to now.

        Raises:
            TrackerError: if ``key`` is not active.
        """
        point_set = self._get(key)
        if key not in self._cache:
            if self._grid is not None:
                self._cache[key] = self._carried(point_set)
            else:
                self._cache[key] = sticky(*self._fresh(point_set))
        xy, vis = self._cache[key]
        return xy.copy(), vis.copy()

    def positions(self, key: int) -> tuple[NDArray[np.float32], NDArray[np.bool_]]:
        """Current (N, 2) positions and (N,) visibility of set ``key`` (see :meth:`track`)."""
        xy, vis = self.track(key)
        return xy[-1], vis[-1]

    def release(self, key: int) -> None:
        """Stop tracking set ``key``.

        Raises:
            TrackerError: if ``key`` is not active.
        """
        self._get(key)
        del self._sets[key]
        self._cache.pop(key, None)
        self._forget()

    def _get(self, key: int) -> _Set:
        if key not in self._sets:
            raise TrackerError(
                f"unknown point set {key}; active keys are {self.active_keys}. "
                "Seed it first (and do not use it after release)"
            )
        return self._sets[key]

    def _size_wh(self) -> tuple[int, int]:
        assert self._last is not None
        h, w = self._last.shape
        return w, h

    def _carry(self, key: int, xy: NDArray[np.float32], now: int) -> None:
        grid = self._grid
        if grid is not None and grid.home is not None and np.array_equal(grid.home, xy):
            return
        if grid is not None and self._sets:
            raise TrackerError(
                f"seed({key}): the online mode carries one grid; expected the points the "
                f"active sets {self.active_keys} were seeded with, got other ones; seed every "
                "window with the same grid, or set tracking.cotracker.mode=per-window"
            )
        c = self.cfg.cotracker
        grid = CarriedGrid(
            self.model, self._size_wh(), c.reseed_lost_fraction, c.max_steps_per_seed
        )
        grid.begin(now, xy, self._frames)
        self._grid = grid

    def _carried(self, point_set: _Set) -> Track:
        assert self._grid is not None
        est = self._grid.estimates(point_set.first, self._n - 1, self._frames)
        xy = np.stack([e.xy for e in est])
        same_point = np.stack([e.born for e in est]) == est[0].born[None]
        return sticky(xy, np.stack([e.visible for e in est]) & same_point)

    def _fresh(self, point_set: _Set) -> Track:
        """Per-window mode: the set's frames from scratch, in the model's own chunks."""
        first, now, pts = point_set.first, self._n - 1, point_set.points
        n_frames = now - first + 1
        xy = np.repeat(pts[None], n_frames, axis=0)
        visible = np.repeat(in_frame(pts, *self._size_wh())[None], n_frames, axis=0)
        if n_frames == 1:
            return xy, visible
        self.model.start(self._frames[first], pts)
        start, window, step = 0, self.model.window_len, self.model.step
        while True:
            stop = min(start + window, n_frames)
            chunk = [self._frames[first + t] for t in range(start, stop)]
            xy[start:stop], visible[start:stop] = self.model.run(chunk)
            if stop == n_frames:
                break
            start += step
        # Row 0 is the query itself; the model's estimate there is not exactly it.
        xy[0] = pts
        visible[0] = in_frame(pts, *self._size_wh())
        return xy, visible & in_frame(xy.reshape(-1, 2), *self._size_wh()).reshape(n_frames, -1)

    def _forget(self) -> None:
        # Keep the frames the next model call needs and the estimates the active sets read.
        firsts = [s.first for s in self._sets.values()]
        oldest = min(firsts, default=self._n - 1)
        if self._grid is not None:
            self._grid.forget_before(min(oldest, self._grid.chunk_start))
            oldest = self._grid.chunk_start
        for t in [t for t in self._frames if t < oldest]:
            del self._frames[t]
