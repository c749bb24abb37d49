"""Choose thr_on, then run the hysteresis segmenter with it, losing no window.

Policies (``segment.threshold_method``):

* ``fixed``: ``segment.threshold``.
* ``calibration``: read from a calibration JSON (``segment.calibration``).
* ``otsu``: Otsu on the whole energy curve of the source; segments come out at the end.
* ``warmup``: Otsu on the first ``warmup_windows`` finite energies, then held fixed (live).
* ``auto``: fixed if a threshold is given, else calibration if a file is given, else otsu
  for offline runs and warmup for live ones.

Energies seen before the threshold is known are buffered and replayed into the segmenter
once it is, so every window is segmented with the same threshold. A gap in a live stream
(:meth:`ThresholdedSegmenter.break_at`) is buffered in place and replayed the same way.

A calibration file written by ``laps calibrate`` also says how it was made; the manifest
records that (method, aggregate, path, key), and a file made for another energy source or
mode, or with another tokenizer checkpoint, is refused: its threshold is on another scale.
Files without those fields (e.g. the reference's reports) are used as they are.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from laps.config import PipelineConfig
from laps.energy.config import EnergySource
from laps.errors import ConfigError
from laps.segment.base import ThresholdChoice, WindowInput
from laps.segment.config import ThresholdMethod
from laps.segment.functional import HysteresisParams
from laps.segment.stream import HysteresisSegmenter
from laps.segment.threshold import WarmupThreshold, read_calibration, threshold_from_energies
from laps.types import SegmentSpan

__all__ = [
    "ThresholdChoice",
    "ThresholdedSegmenter",
    "resolve_method",
]  # ThresholdChoice: segment.base

logger = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class _Break:
    """A stream gap waiting in the buffer: the arguments of ``HysteresisSegmenter.break_at``."""

    next_window: int
    end_sample: int


CHANGE_METHOD = "supervised_change_f1"  # calib.json method of a change-segmenter threshold
_RECORDED = ("method", "aggregate", "created", "label_spec", "energy", "checkpoint_sha256")


def calibration_record(path: Path, key: str) -> dict[str, Any]:
    """What the manifest records of a calibration file (None for fields it lacks)."""
    try:
        doc = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        doc = {}  # read_calibration has already reported an unreadable file
    doc = doc if isinstance(doc, dict) else {}
    return {"path": str(path), "key": key} | {k: doc.get(k) for k in _RECORDED}


def check_calibration_energy(record: dict[str, Any], cfg: PipelineConfig) -> None:
    """Refuse a calibration made on another energy source or mode (warn on smoothing).

    Raises:
        ConfigError: the calibration's energy source or mode differs from the run's.
    """
    energy = record.get("energy")
    if not isinstance(energy, dict):
        return
    run = cfg.energy
    keys = ["source"] if run.source is EnergySource.VELOCITY else ["source", "mode"]
    for key in keys:
        want, got = getattr(run, key).value, energy.get(key)
        if got is not None and got != want:
            raise ConfigError(
                f"calibration {record['path']}: made for energy.{key}={got}, but this run "
                f"uses energy.{key}={want}; recalibrate with `laps calibrate` and this run's "
                f"config, or run with --set energy.{key}={got}"
            )
    for key in ("smoothing", "alpha", "ma_window", "use_smoothed"):
        got, want = energy.get(key), run.model_dump(mode="json").get(key)
        if got is not None and got != want:
            logger.warning(
                "calibration %s was made with energy.%s=%s, this run uses %s: the threshold "
                "may not fit; recalibrate",
                record["path"],
                key,
                got,
                want,
            )


def check_calibration_checkpoint(record: dict[str, Any], checkpoint: dict[str, Any] | None) -> None:
    """Refuse a calibration made with another tokenizer checkpoint (when both are known).

    Raises:
        ConfigError: the SHA-256 of the checkpoints differ.
    """
    got = record.get("checkpoint_sha256")
    want = None if checkpoint is None else checkpoint.get("sha256")
    if got and want and got != want:
        raise ConfigError(
            f"calibration {record['path']}: made with checkpoint sha256 {got[:12]}..., but "
            f"this run uses {want[:12]}... ({checkpoint.get('path') if checkpoint else ''}); "
            "recalibrate with `laps calibrate --checkpoint` and this checkpoint"
        )


def resolve_method(cfg: PipelineConfig, live: bool) -> ThresholdMethod:
    """Turn ``auto`` into a concrete method."""
    seg = cfg.segment
    if seg.threshold_method is not ThresholdMethod.AUTO:
        return seg.threshold_method
    if seg.threshold is not None:
        return ThresholdMethod.FIXED
    if seg.calibration is not None:
        return ThresholdMethod.CALIBRATION
    return ThresholdMethod.WARMUP if live else ThresholdMethod.OTSU


class ThresholdedSegmenter:
    """Streaming segmenter whose threshold may only become known later in the stream.

    The ``hysteresis`` method of the :class:`~laps.segment.base.Segmenter` contract: spans
    of high window energy (they do not tile the stream).
    """

    method = "hysteresis"
    tiles = False

    def __init__(self, cfg: PipelineConfig, live: bool) -> None:
        self.cfg = cfg
        self.threshold_method = resolve_method(cfg, live)
        self.choice: ThresholdChoice | None = None
        self._segmenter: HysteresisSegmenter | None = None
        self._buffer: list[float | _Break] = []
        self._warmup = WarmupThreshold(cfg.segment.warmup_windows)
        if self.threshold_method is ThresholdMethod.FIXED:
            assert cfg.segment.threshold is not None  # resolve_method guarantees it
            self._fix(cfg.segment.threshold, "segment.threshold")
        elif self.threshold_method is ThresholdMethod.CALIBRATION:
            path = cfg.segment.calibration
            assert path is not None
            key = cfg.segment.calibration_key
            value = read_calibration(path, key)
            record = calibration_record(path, key)
            if record.get("method") == CHANGE_METHOD:
                raise ConfigError(
                    f"calibration {path}: a change-segmenter threshold, but this run uses "
                    "segment.method=hysteresis; drop --set segment.method=hysteresis or "
                    "recalibrate with it"
                )
            check_calibration_energy(record, cfg)
            self._fix(value, f"{path}:{key}", record)

    def check_checkpoint(self, checkpoint: dict[str, Any] | None) -> None:
        """Refuse a calibration file made with another checkpoint than the run's."""
        if self.choice is not None and self.choice.calibration is not None:
            check_calibration_checkpoint(self.choice.calibration, checkpoint)

    def _fix(
        self, value: float, detail: str, calibration: dict[str, Any] | None = None
    ) -> list[SegmentSpan]:
        self.choice = ThresholdChoice(
            float(value), self.threshold_method.value, detail, calibration
        )
        logger.info("threshold %.6g (%s: %s)", value, self.threshold_method.value, detail)
        params = HysteresisParams.from_config(
            self.cfg.segment, float(value), self.cfg.window, self.cfg.video.target_fps
        )
        self._segmenter = HysteresisSegmenter(params)
        spans: list[SegmentSpan] = []
        for e in self._buffer:
            if isinstance(e, _Break):
                spans.extend(self._segmenter.break_at(e.next_window, e.end_sample))
            else:
                spans.extend(self._segmenter.update(e))
        self._buffer.clear()
        return spans

    def update(self, energy: float | None) -> list[SegmentSpan]:
        """Feed one window's (smoothed) energy; None means the window failed."""
        e = float("nan") if energy is None else float(energy)
        if self._segmenter is not None:
            return self._segmenter.update(e)
        self._buffer.append(e)
        if self.threshold_method is ThresholdMethod.WARMUP:
            value = self._warmup.update(e)
            if value is not None:
                n = self.cfg.segment.warmup_windows
                return self._fix(value, f"otsu over the first {n} windows")
        return []

    def earliest_open_window(self) -> int | None:
        """First seen window a later span may contain (0 while the threshold is unknown)."""
        if self._segmenter is None:
            return 0 if self._buffer else None
        return self._segmenter.earliest_open_window

    def flush(self) -> list[SegmentSpan]:
        """End of stream: fix a still-unknown threshold on all energies, close segments."""
        spans: list[SegmentSpan] = []
        if self._segmenter is None:
            values = np.asarray(
                [e for e in self._buffer if not isinstance(e, _Break)], dtype=np.float64
            )
            finite = values[np.isfinite(values)]
            if finite.size == 0:
                logger.warning("no finite energy in this source: no segments")
                self._buffer.clear()
                self.choice = ThresholdChoice(
                    float("nan"), self.threshold_method.value, "no energy"
                )
                return []
            detail = f"otsu over all {finite.size} windows"
            spans.extend(self._fix(threshold_from_energies(finite), detail))
        assert self._segmenter is not None
        spans.extend(self._segmenter.flush())
        return spans

    # The run's segmenter interface (laps.segment.base.Segmenter).

    def break_at(self, next_window: int, end_sample: int) -> list[SegmentSpan]:
        """A stream gap: close the open segment at ``end_sample``, go on at ``next_window``."""
        if self._segmenter is None:
            self._buffer.append(_Break(next_window, end_sample))
            return []
        return self._segmenter.break_at(next_window, end_sample)

    def feed(self, window: WindowInput) -> list[SegmentSpan]:
        """One window in order; this segmenter reads only its energy."""
        return self.update(window.energy)

    def finish(self, n_samples: int) -> list[SegmentSpan]:
        """End of stream (the sample count is not needed: spans end at windows)."""
        return self.flush()

    def parameters(self) -> dict[str, Any]:
        """Threshold and state-machine parameters, for segments.json."""
        seg, choice = self.cfg.segment, self.choice
        return {
            "method": self.method,
            "threshold": choice.value if choice is not None else float("nan"),
            "threshold_method": None if choice is None else choice.method,
            "hysteresis_ratio": seg.hysteresis_ratio,
            "up_count": seg.up_count,
            "down_count": seg.down_count,
            "cooldown_windows": seg.cooldown_windows,
            "min_len_windows": seg.min_len_windows,
            "max_duration_seconds": seg.max_duration_seconds,
            "align": seg.align.value,
            "energy_source": self.cfg.energy.source.value,
            "energy_mode": self.cfg.energy.mode.value,
        }

    def artifacts(self) -> dict[str, Any]:
        """Nothing beyond the common outputs."""
        return {}

    def energy_thresholds(self) -> tuple[float, float] | None:
        """thr_on and thr_off on the energy axis."""
        if self.choice is None or not np.isfinite(self.choice.value):
            return None
        return self.choice.value, self.choice.value * self.cfg.segment.hysteresis_ratio
