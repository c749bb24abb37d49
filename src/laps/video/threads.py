"""Codec threads of this process.

FFmpeg's automatic thread count assumes one process owns the machine. A batch worker shares
it with one worker per core, so each worker limits its decoders and clip encoders to one
thread (measured in docs/BENCHMARKS.md); a single process keeps FFmpeg's default.
"""

from __future__ import annotations

import os

_limit = 0  # 0: FFmpeg decides


def limit_codec_threads(n: int) -> None:
    """Use at most ``n`` threads per decoder and encoder in this process (0: FFmpeg decides)."""
    global _limit  # noqa: PLW0603 -- a per-process setting, set once by a worker's initializer
    _limit = max(int(n), 0)


def share_cores(workers: int) -> None:
    """Limit codecs to this process's share of the cores: one of ``workers`` processes."""
    limit_codec_threads(max(1, (os.cpu_count() or 1) // max(workers, 1)))


def codec_threads(configured: int = 0) -> int:
    """The thread count to give a codec: the configured one, else this process's limit."""
    return configured or _limit
