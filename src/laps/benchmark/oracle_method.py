"""Upper-reference row: cuts where the generator's true hand speed drops below a level.

The speed is the generator's own kinematics (:func:`laps.synth.oracle.hand_speed` on the
video's :class:`SynthConfig`, read from the suite entry's params JSON): perfect tracking,
no pixels. :func:`laps.synth.oracle.threshold_boundaries` cuts in the middle of every run
below the level. One level for every test video: the one with the best mean boundary F1 on
the train split. Speeds are cached in ``WORK/hand_speed/<stem>.npz``, keyed by the params
file's hash.
"""

from __future__ import annotations

import hashlib
import json
import multiprocessing
from collections.abc import Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
from numpy.typing import NDArray

from laps.benchmark.context import Context, MethodResult
from laps.benchmark.suite import SuiteVideo
from laps.errors import ConfigError, ExportError
from laps.evaluate.boundaries import boundaries_from_segments, boundary_score, read_segments_json
from laps.evaluate.tracks import SegmentTrack

if TYPE_CHECKING:
    from laps.synth.config import SynthConfig

LEVELS = np.geomspace(0.1, 300.0, 71)  # candidate levels, reference px/s (1280x720 canvas)
_CACHE = "hand_speed"


@dataclass(frozen=True, slots=True)
class SpeedCurve:
    """True hand speed per frame of one video (reference px/s) and the video's duration."""

    seconds: NDArray[np.float64]
    speed: NDArray[np.float64]
    duration_s: float


def synth_config(params: Path) -> SynthConfig:
    """The video's generator config, from the ``config`` entry of its params JSON.

    Raises:
        ConfigError: an unreadable file or one without a valid ``config``.
    """
    from laps.synth.config import SynthConfig  # noqa: PLC0415 - the generator is heavy

    try:
        return SynthConfig(**json.loads(params.read_text(encoding="utf-8"))["config"])
    except (OSError, ValueError, KeyError, TypeError) as err:
        raise ConfigError(
            f"hand_speed: expected a generator params JSON with a 'config' entry, got {params} "
            f"({err}); re-render the suite with `laps synth suite`"
        ) from err


def true_speed(cfg: SynthConfig) -> SpeedCurve:
    """Hand speed at every frame time of the video ``cfg`` makes, reference px/s."""
    from laps.synth.oracle import hand_speed  # noqa: PLC0415
    from laps.synth.render import FrameRenderer, frame_times  # noqa: PLC0415

    renderer, times = FrameRenderer(cfg), frame_times(cfg)
    speed = hand_speed(renderer, times.seconds) / renderer.fr.k
    return SpeedCurve(times.seconds, speed, float(times.end_s))


def _key(params: Path) -> str:
    return hashlib.sha256(params.read_bytes()).hexdigest()


def _cached(path: Path, key: str) -> SpeedCurve | None:
    try:
        with np.load(path) as z:
            if str(z["key"]) != key:
                return None
            return SpeedCurve(z["seconds"], z["speed"], float(z["duration_s"]))
    except (OSError, ValueError, KeyError):
        return None


def _compute(params: Path, path: Path) -> None:
    """Worker: compute one video's speed and cache it (written under a temporary name)."""
    curve = true_speed(synth_config(params))
    tmp = path.with_name(path.stem + ".tmp.npz")
    np.savez(tmp, key=_key(params), seconds=curve.seconds, speed=curve.speed,
             duration_s=curve.duration_s)  # fmt: skip
    tmp.replace(path)


def _params(video: SuiteVideo) -> Path:
    if video.params is None:
        raise ConfigError(
            f"hand_speed: expected a 'params' path for {video.stem} in suite.json, got none; "
            "leave the row out (--methods) or re-render the suite with `laps synth suite`"
        )
    return video.params


def speed_curves(videos: Sequence[SuiteVideo], work: Path, jobs: int) -> dict[str, SpeedCurve]:
    """The true hand speed of every video, computed once (in ``jobs`` processes) and cached.

    Raises:
        ConfigError: a video without params, or params without a valid config.
        ExportError: the cache cannot be read back after writing.
    """
    folder = Path(work) / _CACHE
    folder.mkdir(parents=True, exist_ok=True)
    paths = {v.stem: (_params(v), folder / f"{v.stem}.npz") for v in videos}
    todo = [p for p in paths.values() if _cached(p[1], _key(p[0])) is None]
    if jobs > 1 and len(todo) > 1:
        mp = multiprocessing.get_context("spawn")
        with ProcessPoolExecutor(max_workers=min(jobs, len(todo)), mp_context=mp) as pool:
            for f in [pool.submit(_compute, *p) for p in todo]:
                f.result()
    else:
        for p in todo:
            _compute(*p)
    out = {}
    for stem, (params, path) in paths.items():
        curve = _cached(path, _key(params))
        if curve is None:
            raise ExportError(
                f"hand_speed: expected a readable {path}, got an unreadable one; delete it, rerun"
            )
        out[stem] = curve
    return out


def speed_track(curve: SpeedCurve, level: float) -> SegmentTrack:
    """Contiguous segments between the cuts the level makes."""
    from laps.synth.oracle import threshold_boundaries  # noqa: PLC0415

    cuts = threshold_boundaries(curve.speed, curve.seconds, level)
    edges = [0.0, *(float(c) for c in cuts), curve.duration_s]
    spans = tuple((a, b) for a, b in zip(edges, edges[1:], strict=False))
    return SegmentTrack(segments=spans, duration_s=curve.duration_s)


def fit_level(
    curves: Mapping[str, SpeedCurve], truths: Mapping[str, Path], tolerance_s: float
) -> tuple[float, float]:
    """The level of :data:`LEVELS` with the best mean boundary F1 (one-to-one) on ``truths``.

    Returns:
        ``(level, mean F1 at that level)``; ties go to the lowest level.
    """
    true = {}
    for stem, path in truths.items():
        segs, duration = read_segments_json(path)
        true[stem] = boundaries_from_segments(segs, duration or curves[stem].duration_s)
    f1 = np.zeros(len(LEVELS))
    for i, level in enumerate(LEVELS):
        scores = []
        for stem, b in true.items():
            track = speed_track(curves[stem], float(level))
            pred = boundaries_from_segments(track.segments, curves[stem].duration_s)
            scores.append(boundary_score(b, pred, tolerance_s).f1)
        f1[i] = np.mean(scores)
    best = int(np.argmax(f1))
    return float(LEVELS[best]), float(f1[best])


def hand_speed_method(ctx: Context) -> MethodResult:
    """The upper reference on the test split, level fitted on the train split's truth."""
    train, test = ctx.suite.split("train"), ctx.suite.split("test")
    curves = speed_curves([*train, *test], ctx.work, ctx.jobs)
    truths = {v.stem: v.ground_truth for v in train}
    level, f1 = fit_level(curves, truths, ctx.tolerance_s)
    preds = {v.stem: speed_track(curves[v.stem], level) for v in test}
    calib = {"level_ref_px_s": level, "method": "supervised_boundary_f1", "train_f1_mean": f1,
             "tolerance_s": ctx.tolerance_s}  # fmt: skip
    times = {v.stem: float("nan") for v in test}  # no method to time: the generator's truth
    return MethodResult("hand_speed", HAND_SPEED_LABEL, preds, times, calib)


HAND_SPEED_LABEL = "speed-threshold upper reference: true hand speed, level fitted on train"
