from pathlib import Path

import pytest

from laps.config import PipelineConfig, apply_override, load_config
from laps.errors import ConfigError


def test_defaults_are_the_seed_configuration():
    cfg = PipelineConfig()
    assert cfg.video.target_fps == 10
    assert cfg.window.length == 16 and cfg.window.stride == 4
    assert cfg.video.resize_shorter == 320
    assert cfg.tracking.grid_size == 20
    assert cfg.energy.alpha == 0.7
    assert cfg.budget_per_window_s == pytest.approx(0.4)


def test_yaml_then_overrides_then_flags(tmp_path: Path):
    f = tmp_path / "c.yaml"
    f.write_text("video:\n  target_fps: 15\ntracking:\n  backend: lk\nsegment:\n  up_count: 3\n")
    cfg = load_config(f, ["segment.up_count=4", "window.stride=2"], segment__threshold=0.5)
    assert cfg.video.target_fps == 15
    assert cfg.tracking.backend.value == "lk"
    assert cfg.segment.up_count == 4
    assert cfg.window.stride == 2
    assert cfg.segment.threshold == 0.5


def test_round_trip_through_yaml(tmp_path: Path):
    cfg = load_config(None, ["tracking.backend=lk", "segment.align=end"])
    f = tmp_path / "resolved.yaml"
    f.write_text(cfg.to_yaml())
    assert load_config(f) == cfg


@pytest.mark.parametrize(
    ("override", "fragment"),
    [
        ("tracking.bogus=1", "unknown key 'tracking.bogus'"),
        ("nosection.key=1", "unknown key 'nosection'"),
        ("video.target_fps=-1", "'video.target_fps'"),
        ("tracking.backend=sift", "'tracking.backend'"),
        ("window.stride=32", "window.stride (32) must be <= window.length (16)"),
        ("segment.threshold_method=fixed", "needs segment.threshold"),
    ],
)
def test_bad_keys_and_values_are_named(override: str, fragment: str):
    with pytest.raises(ConfigError) as info:
        load_config(None, [override])
    assert fragment in str(info.value)


def test_bad_files(tmp_path: Path):
    with pytest.raises(ConfigError, match="not found"):
        load_config(tmp_path / "missing.yaml")
    bad = tmp_path / "bad.yaml"
    bad.write_text("video: [unclosed\n")
    with pytest.raises(ConfigError, match="not valid YAML"):
        load_config(bad)
    listy = tmp_path / "list.yaml"
    listy.write_text("- 1\n- 2\n")
    with pytest.raises(ConfigError, match="expected a mapping"):
        load_config(listy)


def test_override_syntax_errors():
    with pytest.raises(ConfigError, match="expected section.key=value"):
        apply_override({}, "no-equals-sign")
    with pytest.raises(ConfigError, match="not a section"):
        apply_override({"video": 3}, "video.target_fps=2")


def test_config_is_frozen():
    cfg = PipelineConfig()
    with pytest.raises(Exception):  # noqa: B017 - pydantic raises ValidationError
        cfg.video.target_fps = 3  # type: ignore[misc]
