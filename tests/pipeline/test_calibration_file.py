"""A calibration file used by a run: recorded in the choice, refused when it does not fit."""

import json
import logging
from pathlib import Path

import pytest

from laps.config import load_config
from laps.errors import ConfigError
from laps.pipeline.thresholding import ThresholdedSegmenter

SHA = "ab" * 32


def _calib(tmp_path: Path, **fields) -> Path:
    doc = {"schema": 1, "threshold": 0.25, "method": "pseudo_label_youden", "aggregate": "mean"}
    path = tmp_path / "calib.json"
    path.write_text(json.dumps(doc | fields))
    return path


def test_the_choice_records_how_the_file_was_made(tmp_path: Path) -> None:
    path = _calib(tmp_path, energy={"source": "velocity", "mode": "l2_mean"})
    seg = ThresholdedSegmenter(load_config(None, [f"segment.calibration={path}"]), live=False)
    assert seg.choice is not None and seg.choice.value == 0.25
    rec = seg.choice.calibration
    assert rec is not None and rec["path"] == str(path) and rec["key"] == "threshold"
    assert rec["method"] == "pseudo_label_youden" and rec["aggregate"] == "mean"


def test_reference_format_still_works(tmp_path: Path) -> None:
    path = tmp_path / "ref.json"
    path.write_text(json.dumps({"quantized_token_diff_best": {"best_f1": {"thr": 1.5}}}))
    cfg = load_config(
        None,
        [
            f"segment.calibration={path}",
            "segment.calibration_key=quantized_token_diff_best.best_f1.thr",
            "energy.source=quantized",
        ],
    )
    seg = ThresholdedSegmenter(cfg, live=False)
    assert seg.choice is not None and seg.choice.value == 1.5
    assert seg.choice.calibration is not None and seg.choice.calibration["method"] is None
    seg.check_checkpoint({"sha256": SHA})  # nothing to compare with: accepted


@pytest.mark.parametrize(
    ("energy", "overrides", "fragment"),
    [
        ({"source": "quantized"}, [], "energy.source=quantized, but this run uses"),
        (
            {"source": "prequant", "mode": "l2_mean"},
            ["energy.source=prequant", "energy.mode=token_diff_l2_mean"],
            "energy.mode=l2_mean",
        ),
    ],
)
def test_energy_mismatch_is_refused(tmp_path: Path, energy, overrides, fragment) -> None:
    path = _calib(tmp_path, energy=energy)
    cfg = load_config(None, [f"segment.calibration={path}", *overrides])
    with pytest.raises(ConfigError, match=fragment) as err:
        ThresholdedSegmenter(cfg, live=False)
    assert "laps calibrate" in str(err.value)


def test_velocity_mode_is_not_compared(tmp_path: Path) -> None:
    path = _calib(tmp_path, energy={"source": "velocity", "mode": "token_diff_l2_mean"})
    cfg = load_config(None, [f"segment.calibration={path}", "energy.mode=l2_mean"])
    ThresholdedSegmenter(cfg, live=False)  # the velocity energy ignores the mode


def test_smoothing_mismatch_only_warns(tmp_path: Path, caplog, monkeypatch) -> None:
    monkeypatch.setattr(logging.getLogger("laps"), "propagate", True)  # a CLI test may unset it
    path = _calib(tmp_path, energy={"source": "velocity", "smoothing": "none"})
    with caplog.at_level(logging.WARNING, logger="laps"):
        ThresholdedSegmenter(load_config(None, [f"segment.calibration={path}"]), live=False)
    assert "energy.smoothing=none" in caplog.text


def test_checkpoint_mismatch_is_refused(tmp_path: Path) -> None:
    path = _calib(tmp_path, checkpoint_sha256=SHA)
    seg = ThresholdedSegmenter(load_config(None, [f"segment.calibration={path}"]), live=False)
    seg.check_checkpoint({"sha256": SHA})
    seg.check_checkpoint(None)
    with pytest.raises(ConfigError, match="made with checkpoint sha256 ababab"):
        seg.check_checkpoint({"sha256": "cd" * 32, "path": "other.pt"})
