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
    :meth:`positions` after each frame, and released when its window is complete. Visibility
    is sticky: a lost point stays lost for its set, its position held where it was last seen.
    Points are ``(x, y)`` pixels of the frames passed in.
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

    def release(self, key: int) -> None:
        """Stop tracking set ``key``."""
        ...

    @property
    def active_keys(self) -> list[int]:
        """Keys of the sets being tracked, in seeding order."""
        ...
