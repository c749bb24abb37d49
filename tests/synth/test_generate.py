import json

import numpy as np
import pytest

from laps.errors import ExportError
from laps.synth import GENERATOR_VERSION, LABELS, make_config, render_video
from laps.synth import generate as generate_mod

from .conftest import SMALL, decode


def test_writes_video_truth_labels_params_and_preview(small_video) -> None:
    res = small_video
    stem = "synth_medium_top_s7"
    assert res.video.name == f"{stem}.mp4"
    assert res.ground_truth.name == f"{stem}.json"
    assert res.labels.name == f"{stem}.labels.npy"
    assert res.params.name == f"{stem}.params.json"
    assert res.preview is not None and res.preview.stat().st_size > 1000
    assert res.times is None  # constant frame rate
    assert not list(res.video.parent.glob(".*"))  # no temporary files left behind


def test_ground_truth_is_in_the_reference_format(small_video) -> None:
    truth = json.loads(small_video.ground_truth.read_text())
    assert set(truth) == {"video", "segments", "fps", "video_duration_sec"}
    assert truth["video"] == small_video.video.name
    assert truth["fps"] == 30.0
    assert truth["video_duration_sec"] == pytest.approx(8.0)
    segs = truth["segments"]
    assert segs[0]["start_sec"] == 0.0
    assert segs[-1]["end_sec"] == truth["video_duration_sec"]
    for a, b in zip(segs, segs[1:], strict=False):
        assert a["end_sec"] == b["start_sec"] and a["label"] != b["label"]
    for s in segs:
        assert s["start_sec"] < s["end_sec"] and s["label"] in LABELS
        # boundaries fall on frame times i / fps
        assert s["start_sec"] * 30 == pytest.approx(round(s["start_sec"] * 30), abs=1e-4)


def test_params_record_everything(small_video) -> None:
    params = json.loads(small_video.params.read_text())
    assert params["generator_version"] == GENERATOR_VERSION
    assert params["seed"] == 7 and params["preset"] == "medium" and params["view"] == "top"
    assert (params["width"], params["height"], params["fps"], params["vfr"]) == (
        256,
        144,
        30.0,
        False,
    )
    assert params["labels"] == list(LABELS)
    assert set(params["nuisance"]) >= {"conveyor", "distractor", "noise", "crf", "occlusion"}
    assert params["encoder"]["threads"] == 2
    assert params["n_frames"] == len(np.load(small_video.labels)) == 240
    kinds = params["transition_kinds"]
    truth = json.loads(small_video.ground_truth.read_text())
    assert len(kinds) == len(truth["segments"]) - 1


def test_video_decodes_with_the_labelled_frame_count(small_video) -> None:
    frames, times = decode(small_video.video)
    assert len(frames) == 240
    assert frames[0].shape == (144, 256, 3)
    np.testing.assert_allclose(times, np.arange(240) / 30, atol=1e-6)


def test_same_seed_same_files(tmp_path) -> None:
    cfg = make_config(seed=31, duration_s=2.0, preset="hard", view="oblique", **SMALL)
    a, b = render_video(cfg, tmp_path / "a"), render_video(cfg, tmp_path / "b")
    assert a.ground_truth.read_bytes() == b.ground_truth.read_bytes()
    assert a.params.read_bytes() == b.params.read_bytes()
    np.testing.assert_array_equal(np.load(a.labels), np.load(b.labels))
    fa, _ = decode(a.video, limit=10)
    fb, _ = decode(b.video, limit=10)
    for x, y in zip(fa, fb, strict=True):
        np.testing.assert_array_equal(x, y)
    # x264 with pinned threads is deterministic: the bytes match too
    assert a.video.read_bytes() == b.video.read_bytes()
    other = render_video(make_config(seed=32, duration_s=2.0, **SMALL), tmp_path / "c")
    assert other.ground_truth.read_bytes() != a.ground_truth.read_bytes()


def test_variable_frame_rate_writes_true_timestamps(tmp_path) -> None:
    cfg = make_config(seed=3, duration_s=3.0, fps=25, vfr=True, **SMALL)
    res = render_video(cfg, tmp_path)
    assert res.times is not None
    times = np.load(res.times)
    _, decoded = decode(res.video)
    np.testing.assert_allclose(decoded, times, atol=1e-4)
    assert np.diff(times).std() > 0.002
    truth = json.loads(res.ground_truth.read_text())
    starts = [s["start_sec"] for s in truth["segments"]]
    assert all(np.min(np.abs(times - s)) < 1e-6 for s in starts)  # on real frame times


@pytest.mark.parametrize("fps", [25, 60])
def test_frame_rates(tmp_path, fps: int) -> None:
    res = render_video(make_config(seed=1, duration_s=1.0, fps=fps, **SMALL), tmp_path)
    _, times = decode(res.video)
    assert len(times) == fps
    np.testing.assert_allclose(np.diff(times), 1 / fps, atol=1e-4)


def test_unwritable_output_raises_export_error(tmp_path) -> None:
    blocker = tmp_path / "a_file"
    blocker.write_text("not a folder")
    with pytest.raises(ExportError, match="cannot create the output folder"):
        render_video(make_config(duration_s=1.0, **SMALL), blocker / "out")


def test_an_interrupted_render_leaves_no_files(tmp_path, monkeypatch) -> None:
    calls = {"n": 0}
    original = generate_mod.FrameRenderer.render

    def failing(self, index, t):
        calls["n"] += 1
        if calls["n"] > 5:
            raise KeyboardInterrupt
        return original(self, index, t)

    monkeypatch.setattr(generate_mod.FrameRenderer, "render", failing)
    with pytest.raises(KeyboardInterrupt):
        render_video(make_config(duration_s=2.0, **SMALL), tmp_path)
    assert list(tmp_path.iterdir()) == []
