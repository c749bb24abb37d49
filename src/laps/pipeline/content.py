"""The ``content`` segmenter inside a run: its parameters, tokens and step export.

Evidence threshold (minimum change evidence of a cut inside an active stretch):
``segment.threshold`` if given, else the calibration file's, else
``segment.content.threshold``. A calibration file made for another segmenter is refused.
The other decision parameters come from ``segment.content``, or from the calibration file
(``laps calibrate --set segment.method=content`` fits them on a training split).

Exports ``content_steps.json``: per sample the raw activity, hand velocity, smoothed
activity, state and change evidence, plus the video's noise floor, so that the benchmark and
calibration can re-cut a run with other parameters without tracking it again.
"""

from __future__ import annotations

import json
import logging
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

from laps.config import PipelineConfig
from laps.errors import ConfigError
from laps.export.run_folder.names import CONTENT_STEPS
from laps.pipeline.pieces import PiecewiseTiling
from laps.pipeline.thresholding import calibration_record
from laps.segment.base import ThresholdChoice, WindowInput
from laps.segment.content import ACTIVE, ContentParams
from laps.segment.content_stream import ContentSegmenter
from laps.segment.motion import residual_steps
from laps.segment.threshold import read_calibration
from laps.types import SegmentSpan

logger = logging.getLogger(__name__)

STEPS_FILE = CONTENT_STEPS
CONTENT_METHOD = "supervised_content_f1"  # calib.json method of a content-segmenter fit


def content_params(cfg: PipelineConfig) -> tuple[ContentParams, ThresholdChoice]:
    """The parameters a run uses and where the evidence threshold came from."""
    seg = cfg.segment
    params = ContentParams(**seg.content.model_dump())
    if seg.threshold is not None:
        choice = ThresholdChoice(float(seg.threshold), "fixed", "segment.threshold")
        return replace(params, threshold=choice.value), choice
    if seg.calibration is not None:
        record = calibration_record(seg.calibration, seg.calibration_key)
        if record.get("method") != CONTENT_METHOD:
            raise ConfigError(
                f"calibration {seg.calibration}: made for another segmenter (method "
                f"{record.get('method')}), but this run uses segment.method=content; "
                "recalibrate with `laps calibrate --gt TRAIN_GT --set segment.method=content` "
                "or run with the segmenter it was made for"
            )
        value = read_calibration(seg.calibration, seg.calibration_key)
        detail = f"{seg.calibration}:{seg.calibration_key}"
        choice = ThresholdChoice(value, "calibration", detail, record)
        fitted = _fitted(seg.calibration)
        return replace(params, **fitted, threshold=value), choice
    return params, ThresholdChoice(params.threshold, "default", "segment.content.threshold")


DECISIONS = ("on", "off", "min_idle", "min_active", "smooth", "pattern", "half_width")


def _fitted(path: Path) -> dict[str, Any]:
    """The decision parameters a content calibration fitted (its ``summary.content``)."""
    doc = json.loads(Path(path).read_text(encoding="utf-8"))
    content = (doc.get("summary") or {}).get("content") or {}
    if not isinstance(content, dict):
        raise ConfigError(
            f"calibration {path}: expected summary.content to be an object, got "
            f"{type(content).__name__}; recalibrate with `laps calibrate`"
        )
    return {k: content[k] for k in DECISIONS if k in content}


class ContentSegmenting(PiecewiseTiling):
    """The ``content`` method of the segmenter contract around :class:`ContentSegmenter`."""

    method = "content"

    def __init__(self, cfg: PipelineConfig) -> None:
        self.params, self.choice = content_params(cfg)
        self._window = cfg.window
        self._steps: dict[str, list[Any]] = {"activity": [], "hand": [], "smoothed": []}
        self._states: list[bool] = []
        self._floors: list[dict[str, Any]] = []
        self._any_active = False
        super().__init__()
        logger.info(
            "content segmenter: evidence >= %.4g (%s), activity on %.4g / off %.4g",
            self.params.threshold,
            self.choice.method,
            self.params.on,
            self.params.off,
        )

    def feed(self, window: WindowInput) -> list[SegmentSpan]:
        """One window in order; the spans now decided."""
        return self._note(super().feed(window))

    def finish(self, n_samples: int) -> list[SegmentSpan]:
        """End of stream; warns when nothing moved in the whole run."""
        spans = self._note(super().finish(n_samples))
        if not self._any_active:
            logger.warning(
                "no hand motion above the noise floor in the whole run: one idle segment "
                "(if the video does show work, lower segment.content.on, now %.4g)",
                self.params.on,
            )
        return spans

    def _note(self, spans: list[SegmentSpan]) -> list[SegmentSpan]:
        self._any_active = self._any_active or any(s.label == ACTIVE for s in spans)
        return spans

    def new_inner(self) -> ContentSegmenter:
        """A fresh activity + change-point stream for the next piece."""
        return ContentSegmenter(self.params, self._window.length, self._window.stride)

    def tokens(self, window: WindowInput) -> NDArray[np.floating] | None:
        """Residual velocity tokens of the window (camera motion removed); None if failed."""
        if window.velocities is None or window.visible is None:
            return None
        return residual_steps(window.velocities, window.visible)

    def finished_piece(self, inner: Any) -> None:
        """Keep the piece's per-step record for ``content_steps.json``."""
        assert isinstance(inner, ContentSegmenter)
        pad = self._w0 * inner.stride - len(self._states)  # samples in no window (a gap)
        for key, fill in (("activity", 0.0), ("hand", [0.0, 0.0]), ("smoothed", 0.0)):
            self._steps[key].extend([fill] * max(pad, 0))
        self._states.extend([False] * max(pad, 0))
        # unrounded: a re-cut of the stored steps must reproduce the run's decisions exactly
        self._steps["activity"].extend(float(a) for a, _ in inner.measured)
        self._steps["hand"].extend([float(x) for x in h] for _, h in inner.measured)
        self._steps["smoothed"].extend(round(a, 7) for a in inner.activity)
        self._states.extend(inner.states)
        self._floors.append(inner.meter.noise_floor())

    def noise_floor(self) -> dict[str, Any]:
        """The video's own noise floor (first piece; live pieces re-estimate it)."""
        return self._floors[0] if self._floors else inner_floor(self.inner)

    def parameters(self) -> dict[str, Any]:
        """Parameters, threshold and the video's noise floor, for the outputs."""
        assert self.choice is not None
        return {
            "method": self.method,
            "threshold": self.params.threshold,
            "threshold_method": self.choice.method,
            **self.params.to_dict(),
            "noise_floor": self.noise_floor(),
        }

    def artifacts(self) -> dict[str, Any]:
        """``content_steps.json``: what every step measured and how it was decided."""
        return {
            STEPS_FILE: {
                "params": self.params.to_dict(),
                "noise_floor": self.noise_floor(),
                **self._steps,
                "active": [int(s) for s in self._states],
                "evidence": [round(float(s), 5) for s in self._scores],
            }
        }


def inner_floor(inner: Any) -> dict[str, Any]:
    """The noise floor an open inner segmenter has measured so far."""
    assert isinstance(inner, ContentSegmenter)
    return inner.meter.noise_floor()
