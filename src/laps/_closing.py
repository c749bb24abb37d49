"""``with obj:`` for objects that hold a resource and release it in ``close()``."""

from __future__ import annotations

from types import TracebackType
from typing import Protocol, Self


class Closing(Protocol):
    """Closed on leaving a ``with`` block: ``__enter__`` returns the object itself.

    Subclass it (sinks, frame sources) to get ``__enter__``/``__exit__``; a protocol that
    extends it (:class:`~laps.video.base.FrameSource`) requires them.
    """

    def close(self) -> None:
        """Release what the object holds; safe to call more than once."""
        ...

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()
