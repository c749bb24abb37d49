"""Finding and pairing segment files; every bad input is a LapsError."""

import json
import logging

import pytest

from laps.errors import LapsError
from laps.evaluate import collect_tracks, load_pairs


def seg_json(path, video, spans, duration=10.0, **extra):
    path.parent.mkdir(parents=True, exist_ok=True)
    segs = [{"start_sec": s, "end_sec": e, "label": f"l{k}"} for k, (s, e) in enumerate(spans)]
    doc = {"video": video, "segments": segs, "fps": 30.0, "video_duration_sec": duration}
    path.write_text(json.dumps(doc | extra))
    return path


def run_folder(out, name, spans, energies, video=None):
    seg_json(out / name / "segments.json", video or f"{name}.mp4", spans)
    lines = [
        json.dumps({"id": k, "start_s": s, "end_s": e, "energy_mean": m})
        for k, ((s, e), m) in enumerate(zip(spans, energies, strict=True))
    ]
    (out / name / "segments.jsonl").write_text("\n".join(lines) + "\n")
    (out / name / "manifest.json").write_text(json.dumps({"schema": 1}))


@pytest.fixture
def gt_dir(tmp_path):
    gt = tmp_path / "gt"
    seg_json(gt / "a.json", "a.mp4", [(0, 4), (4, 10)])
    seg_json(gt / "sub" / "b.json", "b.mp4", [(0, 5), (5, 10)])
    (gt / "a.params.json").write_text(json.dumps({"generator": "laps.synth", "seed": 1}))
    (gt / "a.labels.npy").write_bytes(b"\x93NUMPY")
    return gt


def test_run_folders_pair_by_video_and_carry_energy(tmp_path, gt_dir):
    out = tmp_path / "out"
    run_folder(out, "a", [(0.5, 3.9), (4.1, 9.0)], [0.7, 0.2])
    run_folder(out, "b", [(1.0, 5.0)], [0.4])
    (out / "a.partial").mkdir()
    seg_json(out / "a.partial" / "segments.json", "a.mp4", [(0, 1)])  # staging: ignored
    pairs = load_pairs(out, gt_dir)
    assert [p.name for p in pairs] == ["a", "b"]
    a = pairs[0]
    assert a.gt.segments == ((0.0, 4.0), (4.0, 10.0))
    assert a.pred is not None and a.pred.confidences == (0.7, 0.2)
    assert a.pred.confidence_source == "energy_mean"
    assert a.gt.labels == ("l0", "l1") and a.gt.fps == 30.0 and a.duration_s == 10.0


def test_key_comes_from_the_video_entry_not_the_file_name(tmp_path, gt_dir):
    seg_json(tmp_path / "p" / "whatever.json", "/videos/a.mp4", [(0, 4)])
    pairs = load_pairs(tmp_path / "p", gt_dir)
    assert [p.name for p in pairs] == ["a", "b"] and pairs[1].pred is None


def test_missing_and_extra_videos_warn(tmp_path, gt_dir, caplog):
    seg_json(tmp_path / "p" / "a.json", "a.mp4", [(0, 4)])
    seg_json(tmp_path / "p" / "zzz.json", "zzz.mp4", [(0, 4)])
    with caplog.at_level(logging.WARNING, logger="laps"):
        pairs = load_pairs(tmp_path / "p", gt_dir)
    assert [(p.name, p.pred is None) for p in pairs] == [("a", False), ("b", True)]
    assert "lack a prediction, scored 0: b" in caplog.text
    assert "zzz" in caplog.text


def test_scores_and_fallback_key(tmp_path):
    path = tmp_path / "clip.json"
    path.write_text(json.dumps({"segments": [{"start_sec": 0, "end_sec": 1, "score": 0.3}]}))
    ((key, track),) = collect_tracks(path).items()
    assert key == "clip" and track.confidences == (0.3,) and track.labels is None
    assert track.duration_s is None and track.end_s == 1.0


def test_two_files_pair_whatever_their_names(tmp_path):
    gt = seg_json(tmp_path / "truth.json", "x.mp4", [(0, 5)])
    pred = seg_json(tmp_path / "pred.json", "y.mp4", [(0, 4)])
    (pair,) = load_pairs(pred, gt)
    assert pair.name == "x" and pair.pred is not None


def test_prediction_folder_inside_ground_truth_folder_is_left_out(tmp_path, gt_dir):
    run_folder(gt_dir / "out", "a", [(0.0, 4.0)], [1.0])
    pairs = load_pairs(gt_dir / "out", gt_dir)
    assert pairs[0].pred is not None and pairs[0].gt.segments[1] == (4.0, 10.0)


def test_no_pair_names_both_sides(tmp_path, gt_dir):
    seg_json(tmp_path / "p" / "q.json", "q.mp4", [(0, 4)])
    with pytest.raises(LapsError, match=r"no prediction pairs.*\[a, b\].*\[q\]"):
        load_pairs(tmp_path / "p", gt_dir)
    (tmp_path / "empty").mkdir()
    with pytest.raises(LapsError, match="no segments JSON"):
        load_pairs(tmp_path / "empty", gt_dir)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("{not json", "malformed"),
        ('{"segments": [{"start_sec": 3, "end_sec": 1}]}', "end_sec >= start_sec"),
        ('{"segments": [{"start_sec": -1, "end_sec": 1}]}', "finite time >= 0"),
        ('{"segments": [{"start_sec": NaN, "end_sec": 1}]}', "finite time >= 0"),
        ('{"segments": [{"start_sec": "0", "end_sec": 1}]}', "expected a number"),
        ('{"segments": [{"start": 0, "end": 1}]}', "expected start_sec and end_sec"),
        ('{"segments": [1]}', "expected an object"),
        ('{"segments": [], "video_duration_sec": -5}', "video_duration_sec"),
        ('{"video": "x.mp4"}', "no 'segments' list"),
    ],
)
def test_bad_files_are_clear_errors(tmp_path, text, message):
    path = tmp_path / "bad.json"
    path.write_text(text)
    with pytest.raises(LapsError, match=message):
        collect_tracks(path)


def test_bad_file_inside_a_folder_is_an_error_and_missing_path_too(tmp_path, gt_dir):
    (gt_dir / "broken.json").write_text('{"segments": [{"start_sec": 2, "end_sec": 1}]}')
    with pytest.raises(LapsError, match="broken.json"):
        collect_tracks(gt_dir)
    with pytest.raises(LapsError, match="expected an existing"):
        collect_tracks(tmp_path / "nope")


def test_two_files_for_one_video_is_an_error(tmp_path, gt_dir):
    seg_json(gt_dir / "copy" / "a_again.json", "a.mp4", [(0, 4)])
    with pytest.raises(LapsError, match="two for 'a'"):
        collect_tracks(gt_dir)


def test_unusable_energy_falls_back_with_a_warning(tmp_path, caplog):
    out = tmp_path / "out"
    run_folder(out, "a", [(0.0, 4.0)], [1.0])
    (out / "a" / "segments.jsonl").write_text('{"start_s": 9, "end_s": 9.5, "energy_mean": 1}\n')
    with caplog.at_level(logging.WARNING, logger="laps"):
        (track,) = collect_tracks(out).values()
    assert track.confidences is None and "no usable energy_mean" in caplog.text
