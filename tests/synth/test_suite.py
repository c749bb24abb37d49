import json
from collections import Counter

import pytest

from laps.errors import ConfigError
from laps.synth import GENERATOR_VERSION, SUITE_VERSION, suite_entries, write_suite
from laps.synth import suite as suite_mod


def test_version_1_has_24_videos_over_presets_views_and_splits() -> None:
    entries = suite_entries("1")
    assert SUITE_VERSION == "1" and len(entries) == 24
    cells = Counter((e.config.preset.value, e.config.view.value) for e in entries)
    assert len(cells) == 6 and set(cells.values()) == {4}
    assert Counter(e.split for e in entries) == {"train": 12, "test": 12}
    seeds = [e.config.seed for e in entries]
    assert len(set(seeds)) == 24
    for e in entries:
        assert e.config.duration_s == 180.0
        assert (e.config.width, e.config.height, e.config.fps) == (1280, 720, 30.0)
    train = {e.config.seed for e in entries if e.split == "train"}
    test = {e.config.seed for e in entries if e.split == "test"}
    assert not train & test  # split by seed


def test_suite_is_fixed() -> None:
    a, b = suite_entries("1"), suite_entries("1")
    assert [e.config for e in a] == [e.config for e in b]
    assert a[0].config.seed == 1001 and a[0].config.file_stem == "suite1_easy_top_s1001"


def test_unknown_version_is_a_config_error() -> None:
    with pytest.raises(ConfigError, match="unknown suite version '7'"):
        suite_entries("7")


def test_small_suite_writes_manifest_and_resumes(tmp_path, monkeypatch) -> None:
    manifest = write_suite(tmp_path, duration_s=0.4, size=(128, 72))
    data = json.loads(manifest.read_text())
    assert data["suite_version"] == "1" and data["generator_version"] == GENERATOR_VERSION
    assert list(data) == [
        "suite",
        "suite_version",
        "generator_version",
        "overrides",
        "splits",
        "videos",
    ]  # v1 manifests stay as they were: no v2 keys
    assert data["overrides"] == {"duration_s": 0.4, "size": [128, 72]}
    assert len(data["videos"]) == 24
    for row in data["videos"]:
        for key in ("video", "ground_truth", "labels", "params"):
            assert (tmp_path / row[key]).is_file()
        assert row["video"].startswith(row["split"] + "/")
    assert set(data["splits"]["train"]).isdisjoint(data["splits"]["test"])

    def no_render(*args, **kwargs):
        raise AssertionError("a finished video was rendered again")

    monkeypatch.setattr(suite_mod, "render_video", no_render)
    assert write_suite(tmp_path, duration_s=0.4, size=(128, 72)).read_bytes() == (
        manifest.read_bytes()
    )
