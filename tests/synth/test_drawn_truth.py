"""Ground truth agrees with what is drawn, measured on the decoded video."""

import json

import numpy as np
import pytest

from laps.synth import LABELS, make_config, render_video

from .conftest import QUIET, SMALL, decode


@pytest.fixture(scope="module")
def quiet_video(tmp_path_factory: pytest.TempPathFactory):
    cfg = make_config(seed=21, duration_s=24.0, preset="easy", nuisance=QUIET, **SMALL)
    res = render_video(cfg, tmp_path_factory.mktemp("quiet"))
    frames, _ = decode(res.video)
    labels = np.load(res.labels)
    return np.stack(frames).astype(np.int16), labels


def _motion(frames: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Changed-pixel count and centroid (x, y) between consecutive frames."""
    diff = np.abs(np.diff(frames, axis=0)).max(axis=3) > 24
    count = diff.sum(axis=(1, 2))
    ys, xs = np.mgrid[0 : diff.shape[1], 0 : diff.shape[2]]
    with np.errstate(invalid="ignore"):
        cx = (diff * xs).sum(axis=(1, 2)) / count
        cy = (diff * ys).sum(axis=(1, 2)) / count
    return count, np.stack([cx, cy], axis=1)


def _runs(labels: np.ndarray, name: str) -> list[tuple[int, int]]:
    k = LABELS.index(name)
    edges = np.flatnonzero(np.diff(np.concatenate([[0], labels == k, [0]]).astype(int)))
    return list(zip(edges[::2], edges[1::2], strict=True))


def test_nothing_moves_in_idle_segments(quiet_video) -> None:
    frames, labels = quiet_video
    count, _ = _motion(frames)
    runs = _runs(labels, "idle")
    assert runs
    for s, e in runs:
        # inner frame pairs of the segment: the hands rest, the scene is still
        assert count[s + 1 : e - 2].max(initial=0) == 0, (s, e)


def test_the_hand_travels_in_transport_segments(quiet_video) -> None:
    frames, labels = quiet_video
    count, centre = _motion(frames)
    runs = _runs(labels, "transport")
    assert runs
    for s, e in runs:
        # a transport may end in the stop of a pause transition: its first half moves
        assert (count[s : (s + e) // 2] > 0).all(), (s, e)
        path = centre[s : e - 1]
        path = path[~np.isnan(path).any(axis=1)]
        travel = np.hypot(*(path.max(axis=0) - path.min(axis=0)))
        assert travel > 0.15 * 256, (s, e, travel)


def test_labels_cover_every_decoded_frame(small_video) -> None:
    frames, times = decode(small_video.video)
    labels = np.load(small_video.labels)
    truth = json.loads(small_video.ground_truth.read_text())
    assert len(labels) == len(frames) == len(times)
    for seg in truth["segments"]:
        inside = (times >= seg["start_sec"] - 1e-6) & (times < seg["end_sec"] - 1e-6)
        assert inside.any()
        assert set(labels[inside].tolist()) == {LABELS.index(seg["label"])}
