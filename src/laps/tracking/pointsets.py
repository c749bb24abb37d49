"""Shared bookkeeping of the frame-pair trackers: keyed point sets with sticky visibility.

A backend only says how to move points from one frame to the next
(:meth:`PointSetTracker._track_pair`); this base class owns the frames, the sets, the seeding
checks and the rule that a lost point stays lost with its position held.
"""

from __future__ import annotations

import logging
from abc import ABC, abstractmethod
from dataclasses import dataclass, field

import cv2
import numpy as np
from numpy.typing import NDArray

from laps.errors import TrackerError
from laps.tracking.base import checked_seed
from laps.tracking.config import TrackingConfig
from laps.tracking.functional import bilinear_sample, in_frame, texture_map

logger = logging.getLogger(__name__)


@dataclass(slots=True)
class _PointSet:
    xy: NDArray[np.float32]  # (N, 2), held at the last visible position once lost
    visible: NDArray[np.bool_]  # (N,), sticky False
    # One copy per frame since the seed, for track(); sets live one window, so this stays small.
    past_xy: list[NDArray[np.float32]] = field(default_factory=list)
    past_visible: list[NDArray[np.bool_]] = field(default_factory=list)

    def record(self) -> None:
        self.past_xy.append(self.xy.copy())
        self.past_visible.append(self.visible.copy())


def checked_frame(
    image: NDArray[np.uint8], previous: NDArray[np.uint8] | None
) -> NDArray[np.uint8]:
    """A C-contiguous copy of a (H, W) uint8 frame the size of ``previous`` (if any).

    Raises:
        TrackerError: on a wrong shape or dtype, or a frame size that changed.
    """
    arr = np.asarray(image)
    if arr.ndim != 2 or arr.dtype != np.uint8:
        raise TrackerError(
            f"expected a (H, W) uint8 grayscale frame, got shape {arr.shape} dtype "
            f"{arr.dtype}; convert with cv2.cvtColor(frame, cv2.COLOR_BGR2GRAY)"
        )
    if previous is not None and arr.shape != previous.shape:
        raise TrackerError(
            f"frame size changed: expected (H, W) = {previous.shape}, got {arr.shape}; "
            "resize every frame to one size, or call reset() before a new source"
        )
    return np.array(arr, dtype=np.uint8, order="C", copy=True)


class PointSetTracker(ABC):
    """Base of trackers that compute the motion of each frame pair once for all point sets.

    Implements the :class:`laps.tracking.base.Tracker` protocol.

    Attributes:
        cfg: the tracking config.
        n_pairs_processed: frame pairs whose motion was computed since the last reset; a pair
            is skipped (not computed, not counted) when no active set has a visible point.
    """

    name: str

    def __init__(self, cfg: TrackingConfig) -> None:
        self.cfg = cfg
        self.n_pairs_processed = 0
        self._sets: dict[int, _PointSet] = {}
        self._frame: NDArray[np.uint8] | None = None
        self._texture: NDArray[np.float32] | None = None

    @abstractmethod
    def _track_pair(
        self, prev: NDArray[np.uint8], cur: NDArray[np.uint8], xy: NDArray[np.float32]
    ) -> tuple[NDArray[np.float32], NDArray[np.bool_]]:
        """Move (M, 2) points from ``prev`` to ``cur``; return new positions and an ok mask.

        The mask is False where the backend lost the point (failed solve or forward-backward
        error above ``cfg.fb_threshold_px``); leaving the frame is checked by the caller.
        """

    def reset(self) -> None:
        """Forget every frame and point set, and zero the pair counter."""
        self._sets.clear()
        self._frame = None
        self._texture = None
        self.n_pairs_processed = 0

    @property
    def active_keys(self) -> list[int]:
        """Keys of the sets being tracked, in seeding order."""
        return list(self._sets)

    def advance(self, image: NDArray[np.uint8]) -> None:
        """Consume the next frame and move every active point set to it.

        The first frame after a reset is only stored. The tracker keeps its own copy, so the
        caller may reuse its buffer.

        Args:
            image: (H, W) uint8 grayscale frame, the same size as the frames before it.

        Raises:
            TrackerError: on a wrong shape, dtype or frame size, or if the backend fails.
        """
        cur = checked_frame(image, self._frame)
        prev, self._frame = self._frame, cur
        self._texture = None
        if prev is not None:
            self._move_sets(prev, cur)
            for point_set in self._sets.values():
                point_set.record()

    def seed(self, key: int, points_xy: NDArray[np.float32]) -> None:
        """Start point set ``key`` on the current frame (the last one passed to advance).

        A seed is visible when it lies inside ``[0, W-1] x [0, H-1]`` and its texture
        (:func:`laps.tracking.functional.texture_map`) is at least ``cfg.min_texture``.

        Args:
            key: an id not among :attr:`active_keys`.
            points_xy: (N, 2) points as (x, y) pixels; they are copied.

        Raises:
            TrackerError: before the first frame, on a duplicate key or a wrong shape.
        """
        xy = checked_seed(key, self._frame is not None, self.active_keys, points_xy)
        assert self._frame is not None  # checked_seed refuses a seed before the first frame
        h, w = self._frame.shape
        visible = in_frame(xy, w, h)
        if self.cfg.min_texture > 0 and visible.any():
            visible &= self._texture_at(self._frame, xy) >= self.cfg.min_texture
        self._sets[key] = _PointSet(xy=xy, visible=visible)
        self._sets[key].record()
        logger.debug("%s: seeded set %d, %d/%d visible", self.name, key, visible.sum(), len(xy))

    def positions(self, key: int) -> tuple[NDArray[np.float32], NDArray[np.bool_]]:
        """Copies of the current (N, 2) positions and (N,) visibility of set ``key``.

        Raises:
            TrackerError: if ``key`` is not active.
        """
        point_set = self._get(key)
        return point_set.xy.copy(), point_set.visible.copy()

    def track(self, key: int) -> tuple[NDArray[np.float32], NDArray[np.bool_]]:
        """(t, N, 2) positions and (t, N) visibility of set ``key``, seed frame to now.

        Raises:
            TrackerError: if ``key`` is not active.
        """
        point_set = self._get(key)
        return np.stack(point_set.past_xy), np.stack(point_set.past_visible)

    def release(self, key: int) -> None:
        """Stop tracking set ``key``.

        Raises:
            TrackerError: if ``key`` is not active.
        """
        self._get(key)
        del self._sets[key]

    def _get(self, key: int) -> _PointSet:
        if key not in self._sets:
            raise TrackerError(
                f"unknown point set {key}; active keys are {self.active_keys}. "
                "Seed it first (and do not use it after release)"
            )
        return self._sets[key]

    def _texture_at(self, frame: NDArray[np.uint8], xy: NDArray[np.float32]) -> NDArray[np.float32]:
        # Computed lazily, once per frame, and only on frames that get seeded.
        if self._texture is None:
            self._texture = texture_map(frame, self.cfg.texture_block_px)
        return bilinear_sample(self._texture[..., None], xy)[:, 0]

    def _move_sets(self, prev: NDArray[np.uint8], cur: NDArray[np.uint8]) -> None:
        live = [s for s in self._sets.values() if s.visible.any()]
        if not live:
            return
        index = [np.flatnonzero(s.visible) for s in live]
        xy = np.concatenate([s.xy[i] for s, i in zip(live, index, strict=True)])
        try:
            new, ok = self._track_pair(prev, cur, xy)
        except cv2.error as err:
            h, w = cur.shape
            raise TrackerError(
                f"{self.name} tracker failed on a {w}x{h} frame pair: {err}. "
                "Check that the frames are at least a few dozen pixels on each side"
            ) from err
        self.n_pairs_processed += 1
        ok &= in_frame(new, cur.shape[1], cur.shape[0])
        start = 0
        for point_set, idx in zip(live, index, strict=True):
            stop = start + len(idx)
            keep = ok[start:stop]
            point_set.xy[idx[keep]] = new[start:stop][keep]
            point_set.visible[idx[~keep]] = False
            start = stop
