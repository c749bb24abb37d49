"""What an evaluation computes (:class:`EvalOptions`) and the names of its result keys."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Literal

from laps.errors import ConfigError
from laps.evaluate.labels import F1_OVERLAPS

Matching = Literal["one-to-one", "greedy"]
LabelMatching = Literal["per-video", "global"]
MATCHINGS: tuple[str, ...] = ("one-to-one", "greedy")
LABEL_MATCHINGS: tuple[str, ...] = ("per-video", "global")


def tol_key(tolerance_s: float) -> str:
    """``0.5`` -> ``"0.5s"``, ``2.0`` -> ``"2s"`` (suffix of the boundary keys)."""
    return f"{tolerance_s:g}s"


def iou_key(iou: float) -> str:
    """``0.5`` -> ``"0.5"`` (suffix of the ``ap@`` / ``map@`` keys)."""
    return f"{iou:g}"


def overlap_key(overlap: float) -> str:
    """``0.25`` -> ``"25"`` (suffix of the segmental ``f1@`` keys, MS-TCN's naming)."""
    return f"{overlap * 100:g}"


def _check_values(name: str, values: tuple[float, ...], lo: float, hi: float, hint: str) -> None:
    if not values:
        raise ConfigError(f"{name}: expected at least one value, got none; {hint}")
    for v in values:
        if not (math.isfinite(v) and lo <= v <= hi):
            raise ConfigError(f"{name}: expected values in [{lo:g}, {hi:g}], got {v!r}; {hint}")


@dataclass(frozen=True, slots=True)
class EvalOptions:
    """Settings of one evaluation.

    Attributes:
        tolerances: boundary tolerances, s.
        ious: temporal-IoU thresholds of the segment mAP.
        matching: boundary matching, ``one-to-one`` (optimal) or ``greedy`` (the reference's).
        labels: also score labels (MoF, Edit, F1@k); needs a label on every segment.
        label_matching: Hungarian mapping of labels ``per-video`` or ``global`` (one mapping
            over the whole dataset).
        label_rate_hz: frame rate of the labelling; None = the ground truth's fps, else 30.
        f1_overlaps: IoU thresholds of the segmental F1 (MS-TCN: 0.10, 0.25, 0.50).
        idle_tolerance_s: a predicted boundary closer than this to an edge of a true idle
            segment is not counted as false in idle, s.
        idle_label: the ground-truth label of idle segments.

    Raises:
        ConfigError: when a value is out of range or a matching name is unknown.
    """

    tolerances: tuple[float, ...] = (0.5, 1.0, 2.0, 5.0)
    ious: tuple[float, ...] = (0.5, 0.75)
    matching: Matching = "one-to-one"
    labels: bool = False
    label_matching: LabelMatching = "per-video"
    label_rate_hz: float | None = None
    f1_overlaps: tuple[float, ...] = F1_OVERLAPS
    idle_tolerance_s: float = 0.5
    idle_label: str = "idle"

    def __post_init__(self) -> None:
        fix = "pass e.g. --tolerance 0.5 1 2 5"
        _check_values("tolerance", tuple(self.tolerances), 0.0, math.inf, fix)
        _check_values("iou", tuple(self.ious), 1e-9, 1.0, "pass e.g. --iou 0.5 0.75")
        _check_values("f1_overlaps", tuple(self.f1_overlaps), 1e-9, 1.0, "use 0.10 0.25 0.50")
        if self.matching not in MATCHINGS:
            raise ConfigError(
                f"--matching: expected one of {', '.join(MATCHINGS)}, got {self.matching!r}"
            )
        if self.label_matching not in LABEL_MATCHINGS:
            raise ConfigError(
                f"--label-matching: expected one of {', '.join(LABEL_MATCHINGS)}, "
                f"got {self.label_matching!r}"
            )
        idle = self.idle_tolerance_s
        if not (math.isfinite(idle) and idle >= 0):
            raise ConfigError(
                f"idle tolerance: expected a time >= 0 s, got {idle!r}; pass e.g. 0.5"
            )
        if not self.idle_label.strip():
            raise ConfigError("idle label: expected a label name, got an empty one; pass e.g. idle")
        rate = self.label_rate_hz
        if rate is not None and not (math.isfinite(rate) and rate > 0):
            raise ConfigError(f"label rate: expected a frame rate > 0 Hz, got {rate!r}")
