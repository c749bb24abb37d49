"""The generator's own kinematics, for checks that do not look at pixels.

:func:`hand_speed` gives the true speed of the worker's hands per frame; thresholding it is
the best any velocity-magnitude segmenter could do (perfect tracking). The benchmark uses
it to show that such a threshold misses continuous transitions. :func:`true_hand_speed`
gives it per video from a config or a rendered video's params file, without rendering.

Which hand: the hands the ground truth follows. In v1 videos only one arm moves at a
time, and that arm does the labelled primitive, so it is the fastest of all arms. In
suite-v2 videos the ground truth follows the dominant hand, and the other hand may move
unlabelled (steadying the work), so it is the dominant hand's speed.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any, Protocol

import numpy as np
from numpy.typing import NDArray

from laps.errors import ConfigError
from laps.synth.arm import ArmGeom
from laps.synth.config import SynthConfig
from laps.synth.kinematics import Kinematics
from laps.synth.render import frame_times

DT_S = 1e-3


class _Solver(Protocol):
    @property
    def labelled_arms(self) -> tuple[int, ...]: ...

    def solve(self, arm: int, t: float) -> ArmGeom: ...


def hand_speed(
    solver: _Solver, seconds: NDArray[np.float64], arms: Sequence[int] | None = None
) -> NDArray[np.float64]:
    """(n,) fastest point of the hands (grip point or wrist) per frame, px/s.

    Args:
        solver: a :class:`~laps.synth.render.FrameRenderer` or a :class:`Kinematics`.
        seconds: frame times, s.
        arms: the arms to measure; default: the labelled ones (all in v1, the dominant one
            in suite v2).

    Canvas pixels of the video's size (before the camera warp); the colleague and the belt
    are not included.
    """
    which = solver.labelled_arms if arms is None else tuple(arms)
    out = np.zeros(len(seconds))
    for i, t in enumerate(seconds):
        best = 0.0
        for arm in which:
            a, b = solver.solve(arm, float(t) - DT_S), solver.solve(arm, float(t) + DT_S)
            grip = float(np.hypot(*(b.grip - a.grip)))
            wrist = float(np.hypot(*(b.wrist - a.wrist)))
            best = max(best, grip, wrist)
        out[i] = best / (2 * DT_S)
    return out


def _config(source: SynthConfig | Mapping[str, Any] | Path | str) -> SynthConfig:
    if isinstance(source, SynthConfig):
        return source
    params: Any = source
    if isinstance(source, str | Path):
        try:
            params = json.loads(Path(source).read_text(encoding="utf-8"))
        except (OSError, ValueError) as err:
            raise ConfigError(
                f"expected a readable <stem>.params.json, got {source} ({err}); "
                "pass the params file that `laps synth` wrote next to the video"
            ) from err
    if not isinstance(params, Mapping) or not isinstance(params.get("config"), Mapping):
        raise ConfigError(
            "expected a synth params dict with a 'config' entry, got "
            f"{type(params).__name__}; pass a SynthConfig or a <stem>.params.json"
        )
    return SynthConfig(**params["config"])


def true_hand_speed(
    source: SynthConfig | Mapping[str, Any] | Path | str,
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """(frame times s, true hand speed px/s) of every frame of a synthetic video.

    Args:
        source: the video's :class:`SynthConfig`, its params dict, or the path of its
            ``<stem>.params.json`` (suite rows list it under ``params``).

    Raises:
        ConfigError: for an unreadable params file or a bad config.
    """
    cfg = _config(source)
    seconds = frame_times(cfg).seconds
    return seconds, hand_speed(Kinematics(cfg), seconds)


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
