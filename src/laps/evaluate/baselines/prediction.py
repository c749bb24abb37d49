"""A method's segments in real seconds, in the ground-truth JSON layout.

``{video, segments: [{start_sec, end_sec, label}], fps, video_duration_sec, method, params}``
— the layout of ``laps synth`` ground truth plus the method and its parameters, so the
evaluator reads predictions and truth with the same code.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.typing import NDArray

from laps.evaluate.baselines.motion import MotionFeatures
from laps.export.atomic import json_safe


@dataclass(frozen=True, slots=True)
class PredictedSegment:
    """One half-open segment ``[start_s, end_s)`` with its label."""

    start_s: float
    end_s: float
    label: str


@dataclass(frozen=True, slots=True)
class Prediction:
    """One method's segmentation of one video."""

    video: str
    segments: list[PredictedSegment]
    fps: float
    duration_s: float
    method: str
    params: dict[str, Any] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        """The ground-truth JSON layout (times rounded to the microsecond, as the truth)."""
        segs = [
            {"start_sec": round(s.start_s, 6), "end_sec": round(s.end_s, 6), "label": s.label}
            for s in self.segments
        ]
        return {
            "video": self.video,
            "segments": segs,
            "fps": self.fps,
            "video_duration_sec": round(self.duration_s, 6),
            "method": self.method,
            "params": json_safe(self.params),
        }


def labels_to_segments(
    labels: NDArray[np.int64], features: MotionFeatures, prefix: str
) -> list[PredictedSegment]:
    """Contiguous segments over ``[0, duration]``, one per run of equal window labels.

    A cut between windows ``b - 1`` and ``b`` lies at :meth:`MotionFeatures.boundary_times`;
    the first segment starts at 0 and the last ends at the video's end, so the segments tile
    the whole video. Labels become ``f"{prefix}{label}"``.
    """
    lab = np.asarray(labels, dtype=np.int64)
    if lab.shape != (features.n_windows,):
        raise ValueError(
            f"labels: expected shape ({features.n_windows},), one per window, got {lab.shape}"
        )
    cuts = np.flatnonzero(np.diff(lab)) + 1
    times = [0.0, *features.boundary_times(cuts).tolist(), features.duration_s]
    firsts = [0, *cuts.tolist()]
    return [
        PredictedSegment(times[i], times[i + 1], f"{prefix}{lab[w]}") for i, w in enumerate(firsts)
    ]


def cuts_to_labels(cuts: NDArray[np.int64], n: int) -> NDArray[np.int64]:
    """Window labels 0, 1, 2, ... of the segments that start at ``cuts`` (sorted)."""
    labels = np.zeros(n, dtype=np.int64)
    labels[np.asarray(cuts, dtype=np.int64)] = 1
    return np.cumsum(labels)
