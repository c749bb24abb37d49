"""Supervised threshold search against ground-truth boundaries (reference section 5.3).

For each candidate ``thr_on`` (quantiles of the pooled finite energies of all training
videos), every video's energy curve is segmented offline with the run's own state machine
(:func:`laps.segment.functional.segment_energy`, ``thr_off = hysteresis_ratio * thr_on``),
its spans are turned into seconds exactly as the pipeline does
(:class:`laps.pipeline.spans.SegmentAssembler` over the run's sample times), and its
boundaries are scored against the ground truth with one-to-one matching at a tolerance
(:func:`laps.evaluate.boundaries.boundary_score`). Differences from the reference: no
block averaging of per-window energies (one energy = one window), its real times, and the
pipeline's state machine instead of a variant.

Choice: the candidate with the highest mean F1 over videos (``joint``), ties broken by the
mean precision and then by the smallest threshold; or each video's own best candidate
(``per_video``), to be aggregated by median or mean. Use a training split only: the
threshold is fitted to these boundaries.
"""

from __future__ import annotations

from array import array
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

import numpy as np
from numpy.typing import ArrayLike, NDArray

from laps.errors import ConfigError
from laps.evaluate.boundaries import boundaries_from_segments, boundary_score
from laps.pipeline.spans import SampleLedger, SegmentAssembler
from laps.segment.functional import HysteresisParams, segment_energy
from laps.types import Segment

N_CANDIDATES = 60


@dataclass(frozen=True)
class EnergyCurve:
    """One video's per-window energy and the times of its samples.

    Attributes:
        name: video name (matches the ground truth's stem).
        energy: (n_windows,) the energy the segmenter uses (smoothed), NaN when failed.
        sample_index: (n_samples,) source frame index of each sample.
        sample_time: (n_samples,) presentation time of each sample, seconds.
        end_index: one past the last source frame (ends spans past the last sample).
        end_s: presentation end of the video, seconds.
    """

    name: str
    energy: NDArray[np.float64]
    sample_index: NDArray[np.int64]
    sample_time: NDArray[np.float64]
    end_index: int
    end_s: float


@dataclass(frozen=True)
class Truth:
    """Ground-truth segments (seconds) and the video duration (None when unknown)."""

    segments: list[tuple[float, float]]
    duration_s: float | None = None


def uniform_curve(
    name: str, energy: ArrayLike, fps: float, length: int, stride: int, end_s: float | None = None
) -> EnergyCurve:
    """A curve whose sample ``k`` is at ``k / fps`` (source frame ``k``).

    For energies made on a regular grid, e.g. baselines; pipeline runs use their recorded
    sample times instead (see :func:`laps.calibrate.run_data.load_run`).
    """
    e = np.asarray(energy, dtype=np.float64).ravel()
    n_samples = (e.size - 1) * stride + length if e.size else 0
    k = np.arange(n_samples, dtype=np.int64)
    end = n_samples / fps if end_s is None else float(end_s)
    return EnergyCurve(name, e, k, k / fps, n_samples, end)


def with_threshold(params: HysteresisParams, thr_on: float, ratio: float) -> HysteresisParams:
    """The same state machine with ``thr_on`` and ``thr_off = ratio * thr_on``."""
    return replace(params, thr_on=float(thr_on), thr_off=float(ratio * thr_on))


def sample_ledger(curve: EnergyCurve) -> SampleLedger:
    """The pipeline's sample ledger of a curve."""
    return SampleLedger.from_arrays(curve.sample_index.tolist(), curve.sample_time.tolist())


def curve_segments(
    curve: EnergyCurve, params: HysteresisParams, ledger: SampleLedger | None = None
) -> list[Segment]:
    """The segments of an energy curve, exactly as the pipeline assembles them.

    Args:
        curve: the energy curve.
        params: the segmenter's parameters.
        ledger: ``sample_ledger(curve)``, to reuse across calls.
    """
    ledger = sample_ledger(curve) if ledger is None else ledger
    assembler = SegmentAssembler(ledger, array("d", curve.energy.tolist()))
    assembler.add(segment_energy(curve.energy, params))
    return assembler.ready(curve.end_index, curve.end_s)


def predicted_segments(
    curve: EnergyCurve, params: HysteresisParams, ledger: SampleLedger | None = None
) -> list[tuple[float, float]]:
    """Segments (seconds) of an energy curve, mapped to time as the pipeline maps them."""
    return [(s.start_s, s.end_s) for s in curve_segments(curve, params, ledger)]


def threshold_candidates(
    curves: Sequence[EnergyCurve], n: int = N_CANDIDATES
) -> NDArray[np.float64]:
    """Ascending unique quantiles of every curve's finite energies pooled.

    Raises:
        ConfigError: no finite energy at all.
    """
    pooled = np.concatenate([c.energy for c in curves]) if curves else np.zeros(0)
    pooled = pooled[np.isfinite(pooled)]
    if pooled.size == 0:
        raise ConfigError(
            "supervised calibration: expected finite energies, got none in "
            f"{len(curves)} videos; check the runs (every window failed?)"
        )
    return np.unique(np.quantile(pooled, np.linspace(0.0, 1.0, max(n, 2))))


@dataclass(frozen=True)
class SupervisedSweep:
    """Boundary scores of every (video, candidate): rows follow ``names``."""

    names: list[str]
    thresholds: NDArray[np.float64]
    f1: NDArray[np.float64]  # (n_videos, n_candidates)
    precision: NDArray[np.float64]
    recall: NDArray[np.float64]
    tolerance_s: float

    def joint(self) -> int:
        """Candidate with the best mean F1, then mean precision, then smallest threshold."""
        return _best(self.f1.mean(axis=0), self.precision.mean(axis=0))

    def per_video(self) -> list[int]:
        """Each video's own best candidate (same tie rule)."""
        return [_best(f, p) for f, p in zip(self.f1, self.precision, strict=True)]


def _best(f1: NDArray[np.float64], precision: NDArray[np.float64]) -> int:
    order = np.lexsort((np.arange(f1.size), -precision, -f1))  # last key sorts first
    return int(order[0])


def _score_video(
    curve: EnergyCurve, truth: Truth, params: list[HysteresisParams], tolerance_s: float
) -> NDArray[np.float64]:
    """(3, n_candidates) F1, precision, recall of one video."""
    duration = truth.duration_s if truth.duration_s is not None else curve.end_s
    true_b = boundaries_from_segments(truth.segments, duration)
    out = np.zeros((3, len(params)), dtype=np.float64)
    ledger = sample_ledger(curve)
    for k, p in enumerate(params):
        pred_b = boundaries_from_segments(predicted_segments(curve, p, ledger), duration)
        score = boundary_score(true_b, pred_b, tolerance_s)
        out[:, k] = (score.f1, score.precision, score.recall)
    return out


def supervised_sweep(
    curves: Sequence[EnergyCurve],
    truths: Mapping[str, Truth],
    params: HysteresisParams,
    *,
    hysteresis_ratio: float,
    tolerance_s: float = 1.0,
    n_candidates: int = N_CANDIDATES,
) -> SupervisedSweep:
    """Score every candidate threshold on every training video.

    Args:
        curves: the training videos' energy curves.
        truths: ground truth by curve name (every curve needs one).
        params: the segmenter's parameters (their thresholds are replaced).
        hysteresis_ratio: ``thr_off / thr_on`` (``segment.hysteresis_ratio``).
        tolerance_s: boundary matching tolerance, seconds.
        n_candidates: quantiles of the pooled energies tried as ``thr_on``.

    Raises:
        ConfigError: no curve, a curve without ground truth, no finite energy, bad tolerance.
    """
    if not curves:
        raise ConfigError("supervised calibration: expected at least one video, got none")
    if not (np.isfinite(tolerance_s) and tolerance_s > 0):
        raise ConfigError(f"--tolerance: expected seconds > 0, got {tolerance_s}; e.g. 1.0")
    missing = [c.name for c in curves if c.name not in truths]
    if missing:
        raise ConfigError(
            f"supervised calibration: expected ground truth for every video, none for "
            f"{', '.join(missing)}; add <name>.json to the --gt folder"
        )
    thr = threshold_candidates(curves, n_candidates)
    plist = [with_threshold(params, t, hysteresis_ratio) for t in thr]
    scores = np.stack([_score_video(c, truths[c.name], plist, tolerance_s) for c in curves])
    names = [c.name for c in curves]
    return SupervisedSweep(names, thr, scores[:, 0], scores[:, 1], scores[:, 2], tolerance_s)


def score_threshold(
    curves: Sequence[EnergyCurve],
    truths: Mapping[str, Truth],
    params: HysteresisParams,
    thr_on: float,
    hysteresis_ratio: float,
    tolerance_s: float = 1.0,
) -> NDArray[np.float64]:
    """(n_videos, 3) boundary F1, precision and recall of every video at one threshold."""
    p = [with_threshold(params, thr_on, hysteresis_ratio)]
    return np.stack([_score_video(c, truths[c.name], p, tolerance_s)[:, 0] for c in curves])
