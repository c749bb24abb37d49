import hashlib
import json
from collections import Counter

import numpy as np

from laps.synth import SUITES, suite_entries, write_suite
from laps.synth import suite as suite_mod
from laps.synth.kinematics import Kinematics
from laps.synth.script import make_plan


def test_v2_has_12_train_and_12_test_videos_split_by_seed() -> None:
    entries = suite_entries("2")
    assert Counter(e.split for e in entries) == {"train": 12, "test": 12}
    train = {e.config.seed for e in entries if e.split == "train"}
    test = {e.config.seed for e in entries if e.split == "test"}
    assert len(train) == len(test) == 12 and not train & test
    assert len({e.config.file_stem for e in entries}) == 24
    for e in entries:
        c = e.config
        assert c.variety is not None and c.variety.background == "footage"
        assert (c.width, c.height, c.fps) == (640, 360, 30.0)
        assert 60.0 <= c.duration_s <= 90.0
        assert c.nuisance.shake > 0 and c.nuisance.drift > 0 and c.nuisance.flicker > 0


def test_v2_varies_arms_hands_views_and_idle_share_in_each_split() -> None:
    for split in ("train", "test"):
        cfgs = [e.config for e in suite_entries("2") if e.split == split]
        assert {c.script.arms for c in cfgs} == {1, 2}
        assert {c.view.value for c in cfgs} == {"top", "oblique"}
        two = [c for c in cfgs if c.script.arms == 2]
        assert {c.variety.dominant for c in two if c.variety} == {"left", "right"}
        idle = [c.variety.idle_fraction for c in cfgs if c.variety]
        assert min(idle) <= 0.1 and sum(f > 0.6 for f in idle) >= 3
        assert len({c.nuisance.shake for c in cfgs}) == len(cfgs)  # varied strength
        assert len({round(c.duration_s) for c in cfgs}) > 6


def test_v2_is_fixed_and_overridable() -> None:
    a, b = suite_entries("2"), suite_entries("2")
    assert [e.config for e in a] == [e.config for e in b]
    assert a[0].config.file_stem == "suite2_easy_top_1h_s21001"
    small = suite_entries("2", duration_s=2.0, size=(128, 72))
    assert {(e.config.duration_s, e.config.width) for e in small} == {(2.0, 128)}
    assert SUITES["2"]["size"] == (640, 360)


def test_v1_entries_and_plans_are_unchanged() -> None:
    entries = suite_entries("1")
    dumps = [(e.split, e.config.model_dump(mode="json")) for e in entries]
    digest = hashlib.sha256(json.dumps(dumps).encode()).hexdigest()[:16]
    assert digest == "faf1e6e66c75ce7d"  # the v1 suite before suite v2 was added
    first = dumps[0][1]
    assert "variety" not in first and first["stem"] == "suite1_easy_top_s1001"
    assert entries[23].config.file_stem == "suite1_hard_oblique_s3104"
    assert entries[23].config.seed == 3104 and entries[23].split == "test"
    plan = Kinematics(entries[0].config).plan
    steps = [(s.label, s.arm, round(s.start_s, 9), round(s.end_s, 9), s.continuous)
             for s in plan.steps]  # fmt: skip
    assert hashlib.sha256(repr(steps).encode()).hexdigest()[:16] == "ceae8a4850175e0f"
    c = entries[0].config
    again = make_plan(np.random.default_rng(np.random.SeedSequence(c.seed).spawn(8)[0]),
                      c.script, c.duration_s)  # fmt: skip
    assert again.steps == plan.steps and plan.dominant is None


def test_small_v2_suite_manifest(tmp_path, monkeypatch) -> None:
    full = suite_entries("2", duration_s=0.5, size=(128, 72))
    few = [e for e in full if e.config.seed in (21001, 21002, 22001, 22002)]
    monkeypatch.setattr(suite_mod, "suite_entries", lambda *a, **k: few)
    data = json.loads(write_suite(tmp_path, "2", duration_s=0.5, size=(128, 72)).read_text())
    assert data["version"] == "2" and data["suite_version"] == "2"
    assert data["splits"] == {"train": [21001, 21002], "test": [22001, 22002]}
    assert data["spec"]["size"] == [640, 360]
    for row in data["videos"]:
        assert row["arms"] in (1, 2) and row["labelled_hand"] in ("left", "right")
        assert 0.0 <= row["idle_fraction"] <= 1.0
        for key in ("video", "ground_truth", "labels", "params"):
            assert (tmp_path / row[key]).is_file()
