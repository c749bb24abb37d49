"""The motion tokenizer seen from the stream, and batched encoding of windows.

Any object with ``encode_batch`` and ``param_count`` plugs in: it receives normalised
velocities ``(B, L, N, 2)`` and returns, per window, latents ``(L, D)`` and codes ``(L,)``.
Offline runs hand it many windows at once; live runs one window as soon as it completes.
"""

from __future__ import annotations

import logging
import time
from typing import Protocol

import numpy as np
from numpy.typing import NDArray

from laps.errors import LapsError
from laps.types import Latents

__all__ = ["ENCODE_ERRORS", "Latents", "WindowEncoder", "encode_windows"]  # Latents: laps.types

logger = logging.getLogger(__name__)


class WindowEncoder(Protocol):
    """A motion tokenizer seen from the stream."""

    param_count: int

    def encode_batch(self, velocities: NDArray[np.float32]) -> list[Latents]:
        """Encode windows' velocities (B, L, N, 2); one :class:`Latents` per window."""
        ...


ENCODE_ERRORS = (LapsError, ValueError, FloatingPointError, RuntimeError)


def encode_windows(
    encoder: WindowEncoder, velocities: list[NDArray[np.float32]]
) -> tuple[list[Latents | str], float]:
    """Encode several windows; a failing batch is retried window by window.

    Returns:
        Per window its latents or the error message, and the seconds spent.
    """
    t0 = time.perf_counter()
    if not velocities:
        return [], 0.0
    try:
        out: list[Latents | str] = list(encoder.encode_batch(np.stack(velocities)))
    except ENCODE_ERRORS as err:
        if len(velocities) == 1:
            return [str(err)], time.perf_counter() - t0
        logger.warning("batch of %d windows failed (%s); encoding one by one", len(velocities), err)
        out = [_encode_one(encoder, v) for v in velocities]
    return out, time.perf_counter() - t0


def _encode_one(encoder: WindowEncoder, velocities: NDArray[np.float32]) -> Latents | str:
    try:
        return encoder.encode_batch(velocities[None])[0]
    except ENCODE_ERRORS as err:
        return str(err)
