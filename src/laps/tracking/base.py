"""The tracker interface the pipeline programs against."""

from __future__ import annotations

from typing import Protocol, runtime_checkable

import numpy as np
from numpy.typing import NDArray


@runtime_checkable
class Tracker(Protocol):
    """An online point tracker holding several keyed point sets at once.

    Frames come one at a time through :meth:`advance`; the motion of each frame pair is
    computed once and moves every active set. A set is seeded on the current frame, read with
    :meth:`track` (every frame since its seed) or :meth:`positions` (the current frame), and
    released when its window is complete. Visibility is sticky: a lost point stays lost for its
    set, its position held where it was last seen. Points are ``(x, y)`` pixels of the frames
    passed in.

    A backend may compute positions late (a learned model that works in chunks of frames):
    what :meth:`track` returns is final for the frames up to now, but a backend is free to do
    its work only when it is called, so callers read a set once, when they need it.
    """

    name: str

    def reset(self) -> None:
        """Forget every frame and point set."""
        ...

    def advance(self, image: NDArray[np.uint8]) -> None:
        """Consume the next (H, W) uint8 frame and move every active point set to it."""
        ...

    def seed(self, key: int, points_xy: NDArray[np.float32]) -> None:
        """Start point set ``key`` with (N, 2) points on the current frame."""
        ...

    def positions(self, key: int) -> tuple[NDArray[np.float32], NDArray[np.bool_]]:
        """Current (N, 2) positions and (N,) visibility of set ``key``."""
        ...

    def track(self, key: int) -> tuple[NDArray[np.float32], NDArray[np.bool_]]:
        """(t, N, 2) positions and (t, N) visibility of set ``key``, seed frame to now.

        Row 0 is the seed frame, row t-1 the current frame.
        """
        ...

    def release(self, key: int) -> None:
        """Stop tracking set ``key``."""
        ...

    @property
    def active_keys(self) -> list[int]:
        """Keys of the sets being tracked, in seeding order."""
        ...


def checked_seed(
    key: int, has_frame: bool, active: list[int], points_xy: NDArray[np.float32]
) -> NDArray[np.float32]:
    """Validate a ``seed`` call (same rules for every backend); return a float32 copy.

    Raises:
        TrackerError: before the first frame, on a duplicate key or a wrong shape.
    """
    from laps.errors import TrackerError  # noqa: PLC0415 - keeps this module import-light

    if not has_frame:
        raise TrackerError(
            f"seed({key}): no frame yet; call advance(image) at least once before seeding"
        )
    if key in active:
        raise TrackerError(
            f"seed({key}): key {key} is already active (active: {active}); "
            "release it first or use a new key"
        )
    xy = np.array(points_xy, dtype=np.float32, copy=True)
    if xy.ndim != 2 or xy.shape[1] != 2:
        raise TrackerError(
            f"seed({key}): expected points of shape (N, 2) as (x, y), got {xy.shape}"
        )
    return xy
