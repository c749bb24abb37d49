"""The generator's own kinematics, for checks that do not look at pixels.

:func:`hand_speed` gives the true speed of the worker's hands per frame; thresholding it is
the best any velocity-magnitude segmenter could do (perfect tracking). The benchmark uses
it to show that such a threshold misses continuous transitions.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from laps.synth.render import FrameRenderer

DT_S = 1e-3


def hand_speed(renderer: FrameRenderer, seconds: NDArray[np.float64]) -> NDArray[np.float64]:
    """(n,) fastest point of the worker's hands (grip point or wrist) per frame, px/s.

    Canvas pixels (before the camera warp), all arms together; the colleague and the belt
    are not included.
    """
    out = np.zeros(len(seconds))
    for i, t in enumerate(seconds):
        best = 0.0
        for arm in range(len(renderer.arms)):
            a, b = renderer.solve(arm, float(t) - DT_S), renderer.solve(arm, float(t) + DT_S)
            grip = float(np.hypot(*(b.grip - a.grip)))
            wrist = float(np.hypot(*(b.wrist - a.wrist)))
            best = max(best, grip, wrist)
        out[i] = best / (2 * DT_S)
    return out


def threshold_boundaries(
    speed: NDArray[np.float64], seconds: NDArray[np.float64], threshold: float
) -> NDArray[np.float64]:
    """Boundaries a velocity threshold finds: the middle of every run below ``threshold``.

    A run of frames below the threshold is read as a pause between two primitives; the
    first and last runs (video edges) give no boundary.
    """
    low = speed < threshold
    edges = np.flatnonzero(np.diff(low.astype(np.int8)))
    starts = edges[low[edges + 1]] + 1 if len(edges) else np.array([], int)
    ends = edges[~low[edges + 1]] + 1 if len(edges) else np.array([], int)
    out = [(seconds[s] + seconds[e - 1]) / 2 for s in starts for e in ends[ends > s][:1]]
    return np.asarray(out, dtype=np.float64)
