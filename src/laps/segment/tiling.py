"""Which windows a span of samples stands for (the spans of tiling segmenters)."""

from __future__ import annotations


def span_windows(a: int, b: int, length: int, stride: int, n_windows: int) -> tuple[int, int]:
    """``[w0, w1)``: the windows whose centre lies in samples ``[a, b)`` (at least one).

    Window ``w`` covers samples ``[w * stride, w * stride + length)``; its centre is
    ``w * stride + length // 2``. The result is clipped to the ``n_windows`` seen.
    """
    half, n = length // 2, max(n_windows, 1)
    w0 = min(max(0, -(-(a - half) // stride)), n - 1)
    w1 = min(max(w0 + 1, -(-(b - half) // stride)), n)
    return w0, w1
