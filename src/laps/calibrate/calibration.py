"""Unsupervised threshold calibration (reference section 4.1), pure functions.

1. **Pseudo-labels** from a motion proxy (the velocity energy recorded beside every
   window's target energy): a window is positive iff ``proxy >= thr_v``, where ``thr_v`` is
   given by a :class:`LabelSpec`: ``auto`` (Otsu, :func:`laps.segment.threshold.otsu_threshold`),
   ``quantile:q`` or ``value:x``. The reference used ``proxy > thr_v``; ``>=`` matches Otsu's
   class boundary here (every upper-class value is ``>= thr``) and the segmenter.
2. **Sweep** (:func:`sweep_threshold`): every candidate ``tau`` of the target energy
   predicts ``energy >= tau`` (the segmenter's convention; the reference predicted
   ``energy > tau``, which with candidates at the data values shifts each decision by one
   value). Candidates are the unique values plus the midpoints between consecutive ones,
   or, for long inputs, at most ``max_candidates`` quantiles. Counts come from one sort and
   cumulative sums, so the sweep is O(n log n) whatever the number of candidates.
3. **Best** threshold by F1 or by Youden's J = TPR - FPR; ties go to the smallest ``tau``.
4. **Aggregation** over videos (:func:`aggregate`): median (default) or mean of per-video
   thresholds; ``pooled`` is done by the caller by concatenating every video's windows.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from enum import StrEnum

import numpy as np
from numpy.typing import ArrayLike, NDArray

from laps.errors import ConfigError
from laps.segment.threshold import otsu_threshold

MAX_CANDIDATES = 2000


class Objective(StrEnum):
    """What the unsupervised sweep maximises."""

    F1 = "f1"
    YOUDEN = "youden"


class Aggregate(StrEnum):
    """How per-video thresholds become one."""

    MEDIAN = "median"
    MEAN = "mean"
    POOLED = "pooled"


@dataclass(frozen=True, slots=True)
class LabelSpec:
    """How the proxy threshold is chosen: ``auto`` (Otsu), ``quantile`` q or ``value`` x."""

    kind: str
    param: float | None = None

    def __str__(self) -> str:
        return self.kind if self.param is None else f"{self.kind}:{self.param:g}"


_SPEC_HELP = "use auto, quantile:Q (0 <= Q <= 1, e.g. quantile:0.7) or value:X (e.g. value:0.01)"


def parse_label_spec(text: str) -> LabelSpec:
    """Parse ``auto``, ``quantile:q`` or ``value:x``.

    Raises:
        ConfigError: anything else, a q outside [0, 1] or a non-finite / negative x.
    """
    raw = text.strip().lower()
    if raw in ("auto", "otsu"):
        return LabelSpec("auto")
    kind, sep, arg = raw.partition(":")
    if not sep or kind not in ("quantile", "value"):
        raise ConfigError(f"--label-threshold: expected a label spec, got {text!r}; {_SPEC_HELP}")
    try:
        value = float(arg)
    except ValueError:
        raise ConfigError(
            f"--label-threshold: expected a number after '{kind}:', got {arg!r}; {_SPEC_HELP}"
        ) from None
    if kind == "quantile" and not 0.0 <= value <= 1.0:
        raise ConfigError(f"--label-threshold: expected 0 <= q <= 1, got {value}; {_SPEC_HELP}")
    if kind == "value" and not (math.isfinite(value) and value >= 0):
        raise ConfigError(
            f"--label-threshold: expected a finite value >= 0, got {value}; {_SPEC_HELP}"
        )
    return LabelSpec(kind, value)


def label_threshold(proxy: ArrayLike, spec: LabelSpec) -> float:
    """The proxy threshold ``thr_v`` of a label spec over the finite proxy values.

    Raises:
        ConfigError: no finite proxy value.
    """
    v = np.asarray(proxy, dtype=np.float64).ravel()
    v = v[np.isfinite(v)]
    if v.size == 0:
        raise ConfigError(
            "pseudo-labels: expected finite proxy values, got none; the windows have no "
            "velocity proxy (re-run with this laps so the run's windows record 'proxy')"
        )
    if spec.kind == "auto":
        return otsu_threshold(v)
    assert spec.param is not None  # parse_label_spec guarantees it
    if spec.kind == "quantile":
        return float(np.quantile(v, spec.param))
    return float(spec.param)


def pseudo_labels(proxy: ArrayLike, thr_v: float) -> NDArray[np.bool_]:
    """``proxy >= thr_v`` (NaN is negative; callers drop non-finite windows first)."""
    return np.asarray(proxy, dtype=np.float64) >= thr_v


@dataclass(frozen=True, slots=True)
class SweepPoint:
    """Confusion counts and rates of ``energy >= thr`` against the labels."""

    thr: float
    tp: int
    tn: int
    fp: int
    fn: int
    precision: float
    recall: float
    f1: float
    tpr: float
    fpr: float
    accuracy: float
    youden_j: float


@dataclass(frozen=True)
class Sweep:
    """Every candidate's counts (ascending thresholds) and the two optima."""

    thresholds: NDArray[np.float64]
    tp: NDArray[np.int64]
    fp: NDArray[np.int64]
    n_pos: int
    n_neg: int
    best_f1: SweepPoint
    best_j: SweepPoint

    def best(self, objective: Objective) -> SweepPoint:
        """The optimum of an objective."""
        return self.best_f1 if objective is Objective.F1 else self.best_j


def candidates(values: ArrayLike, max_candidates: int = MAX_CANDIDATES) -> NDArray[np.float64]:
    """Ascending candidate thresholds: unique values and midpoints, or quantiles if too many."""
    x = np.unique(np.asarray(values, dtype=np.float64))
    if 2 * x.size - 1 > max_candidates:
        return np.unique(np.quantile(x, np.linspace(0.0, 1.0, max_candidates)))
    mids = x[:-1] + np.diff(x) / 2.0
    return np.sort(np.concatenate([x, mids]))


def _counts(
    x: NDArray[np.float64], y: NDArray[np.bool_], thr: NDArray[np.float64]
) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
    """TP and FP of ``x >= thr`` for every threshold: one sort, cumulative sums."""
    order = np.argsort(x, kind="stable")
    xs, ys = x[order], y[order].astype(np.int64)
    below = np.searchsorted(xs, thr, side="left")  # windows with x < thr
    pos_below = np.concatenate([[0], np.cumsum(ys)])[below]
    n_pos = int(ys.sum())
    tp = n_pos - pos_below
    fp = (x.size - below) - tp
    return tp.astype(np.int64), fp.astype(np.int64)


def _point(thr: float, tp: int, fp: int, n_pos: int, n_neg: int) -> SweepPoint:
    """Every figure of one candidate from its counts (n_pos, n_neg > 0)."""
    fn, tn = n_pos - tp, n_neg - fp
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / n_pos
    f1 = 2 * tp / (2 * tp + fp + fn) if tp else 0.0
    fpr = fp / n_neg
    accuracy = (tp + tn) / (n_pos + n_neg)
    return SweepPoint(
        thr, tp, tn, fp, fn, precision, recall, f1, recall, fpr, accuracy, recall - fpr
    )


def sweep_threshold(
    energy: ArrayLike, labels: ArrayLike, max_candidates: int = MAX_CANDIDATES
) -> Sweep:
    """Sweep thresholds of the target energy against binary labels.

    Args:
        energy: (n,) target energies; windows with a non-finite energy are dropped.
        labels: (n,) booleans (pseudo-labels or any binary truth).
        max_candidates: above this many candidates, use this many quantiles instead.

    Returns:
        The sweep with its best-F1 and best-Youden-J points (ties: smallest threshold).

    Raises:
        ConfigError: mismatched lengths, or labels that are all positive or all negative.
    """
    x = np.asarray(energy, dtype=np.float64).ravel()
    y = np.asarray(labels, dtype=bool).ravel()
    if x.shape != y.shape:
        raise ConfigError(
            f"threshold sweep: expected one label per energy, got {y.size} labels for "
            f"{x.size} energies; pass aligned arrays"
        )
    keep = np.isfinite(x)
    x, y = x[keep], y[keep]
    n_pos = int(y.sum())
    if n_pos in (0, x.size):
        raise ConfigError(
            f"threshold sweep: expected both positive and negative labels, got {n_pos} "
            f"positive of {x.size} windows; use another --label-threshold or a video with "
            "both motion and rest"
        )
    thr = candidates(x, max_candidates)
    tp, fp = _counts(x, y, thr)
    n_neg = x.size - n_pos
    tp_f, fp_f = tp.astype(np.float64), fp.astype(np.float64)
    f1 = 2 * tp_f / (tp_f + fp_f + n_pos)  # 2TP / (2TP + FP + FN), n_pos > 0
    j = tp_f / n_pos - fp_f / n_neg
    # argmax keeps the first maximum: the smallest tau wins a tie
    best = [int(np.argmax(f1)), int(np.argmax(j))]
    points = [_point(float(thr[k]), int(tp[k]), int(fp[k]), n_pos, n_neg) for k in best]
    return Sweep(thr, tp, fp, n_pos, n_neg, points[0], points[1])


def aggregate(values: ArrayLike, method: Aggregate) -> float:
    """Median or mean of per-video thresholds (non-finite ones ignored).

    Raises:
        ConfigError: no finite value, or ``pooled`` (which pools windows, not thresholds).
    """
    v = np.asarray(values, dtype=np.float64).ravel()
    v = v[np.isfinite(v)]
    if v.size == 0:
        raise ConfigError(
            "aggregate: expected at least one per-video threshold, got none; check that "
            "the videos have finite energies with both motion and rest"
        )
    if method is Aggregate.MEDIAN:
        return float(np.median(v))
    if method is Aggregate.MEAN:
        return float(np.mean(v))
    raise ConfigError(
        f"aggregate: expected median or mean for per-video thresholds, got {method.value}; "
        "pooled concatenates the windows before the sweep instead"
    )
