"""Threshold policies: every window is segmented with the one threshold finally chosen."""

import json
from pathlib import Path

import numpy as np
import pytest

from laps.config import load_config
from laps.pipeline.thresholding import ThresholdedSegmenter, resolve_method
from laps.segment.functional import HysteresisParams, segment_energy
from laps.segment.threshold import otsu_threshold


def _energy(seed: int = 0, n: int = 200) -> np.ndarray:
    rng = np.random.default_rng(seed)
    on = (np.arange(n) // 17) % 2 == 1
    return np.where(on, 1.0, 0.1) + rng.normal(0, 0.05, n)


def _stream(seg: ThresholdedSegmenter, energy: np.ndarray) -> list:
    spans = []
    for e in energy:
        spans.extend(seg.update(float(e)))
    return spans + seg.flush()


def _offline(cfg, thr: float, energy: np.ndarray) -> list:
    params = HysteresisParams.from_config(cfg.segment, thr, cfg.window, cfg.video.target_fps)
    return segment_energy(energy, params)


@pytest.mark.parametrize(
    ("overrides", "live", "method"),
    [
        (["segment.threshold=0.5"], False, "fixed"),
        ([], False, "otsu"),
        ([], True, "warmup"),
        (["segment.threshold_method=otsu"], True, "otsu"),
    ],
)
def test_methods_resolve(overrides, live, method):
    assert resolve_method(load_config(None, overrides), live).value == method


def test_fixed_threshold_equals_offline():
    cfg = load_config(None, ["segment.threshold=0.5"])
    energy = _energy()
    seg = ThresholdedSegmenter(cfg, live=False)
    assert _stream(seg, energy) == _offline(cfg, 0.5, energy)
    assert seg.choice is not None and seg.choice.method == "fixed"


def test_otsu_on_the_whole_file_equals_offline():
    cfg = load_config()
    energy = _energy(1)
    seg = ThresholdedSegmenter(cfg, live=False)
    spans = _stream(seg, energy)
    assert seg.choice is not None and seg.choice.value == otsu_threshold(energy)
    assert spans == _offline(cfg, seg.choice.value, energy)


def test_warmup_replays_the_windows_seen_before_the_threshold():
    cfg = load_config(None, ["segment.warmup_windows=40"])
    energy = _energy(2)
    seg = ThresholdedSegmenter(cfg, live=True)
    spans = _stream(seg, energy)
    assert seg.choice is not None
    assert seg.choice.value == otsu_threshold(energy[:40])
    assert spans == _offline(cfg, seg.choice.value, energy)
    assert spans[0].start_window < 40  # windows of the warm-up are not lost


def test_calibration_file(tmp_path: Path):
    calib = tmp_path / "calib.json"
    calib.write_text(json.dumps({"best": {"thr": 0.42}}))
    cfg = load_config(None, [f"segment.calibration={calib}", "segment.calibration_key=best.thr"])
    seg = ThresholdedSegmenter(cfg, live=False)
    assert seg.choice is not None and seg.choice.value == 0.42
    assert seg.choice.method == "calibration"


def test_no_finite_energy_gives_no_segments():
    seg = ThresholdedSegmenter(load_config(), live=False)
    assert _stream(seg, np.full(20, np.nan)) == []
    assert seg.choice is not None and np.isnan(seg.choice.value)
