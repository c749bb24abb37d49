"""Per-window motion features and flow energy of a video, on the pipeline's windows."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from numpy.typing import NDArray

from laps.errors import InputTooShortError, VideoOpenError
from laps.evaluate.baselines.cache import cache_key, cache_path, load_pair_flow, save_pair_flow
from laps.evaluate.baselines.config import MotionConfig
from laps.evaluate.baselines.extract import PairFlow, extract_pair_flow
from laps.evaluate.baselines.windows import (
    boundary_samples,
    hof_features,
    window_pair_mean,
    window_starts,
)

logger = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class MotionFeatures:
    """One video's windows with their flow energy and HOF descriptor.

    Window times follow ``windows.jsonl``: ``window_start_s`` is the time of the window's
    first sample, ``window_end_s`` that of its last sample.

    Attributes:
        window_start_s: (N,) seconds.
        window_end_s: (N,) seconds.
        window_start_sample: (N,) first sample of each window.
        sample_times: (S,) seconds of every sampled frame.
        pair_energy: (S - 1,) mean normalised |flow| of each sample pair.
        flow_energy: (N,) mean of ``pair_energy`` over each window's T - 1 pairs.
        features: (N, D) float64, ``D = hof_grid**2 * hof_bins + 1``.
        fps: the source's nominal frame rate (0.0 if unknown).
        duration_s: presentation end of the video, seconds.
        window_length: T.
        stride: samples between window starts.
        from_cache: the flow was read from the cache, not computed.
    """

    window_start_s: NDArray[np.float64]
    window_end_s: NDArray[np.float64]
    window_start_sample: NDArray[np.int64]
    sample_times: NDArray[np.float64]
    pair_energy: NDArray[np.float64]
    flow_energy: NDArray[np.float64]
    features: NDArray[np.float64]
    fps: float
    duration_s: float
    window_length: int
    stride: int
    from_cache: bool = False

    @property
    def n_windows(self) -> int:
        """N, the number of complete windows."""
        return int(self.window_start_s.size)

    def boundary_times(self, boundary_windows: NDArray[np.int64]) -> NDArray[np.float64]:
        """Seconds of cuts placed before windows ``b`` (0 < b < N), see ``boundary_samples``."""
        b = np.asarray(boundary_windows, dtype=np.int64)
        if b.size and (b.min() < 1 or b.max() >= self.n_windows):
            raise ValueError(
                f"boundary windows: expected values in [1, {self.n_windows - 1}], got "
                f"[{b.min()}, {b.max()}]; a cut lies between two windows"
            )
        return self.sample_times[boundary_samples(b, self.window_length, self.stride)]


def motion_features(video_path: Path | str, cfg: MotionConfig | None = None) -> MotionFeatures:
    """Flow energy and HOF features per window of ``video_path``, computed once per video.

    The per-pair flow is cached in ``cfg.cache_dir`` (when set); windows, normalisation and
    the magnitude weight are applied on every call, which takes milliseconds.

    Raises:
        VideoOpenError, VideoDecodeError: the video cannot be read.
        InputTooShortError: fewer sampled frames than one window.
    """
    cfg = cfg or MotionConfig()
    video = Path(video_path)
    if not video.is_file():
        raise VideoOpenError(f"video file not found: {video}; check the path")
    flow, cached = _pair_flow(video, cfg)
    return _windowed(video, flow, cfg, cached)


def _pair_flow(video: Path, cfg: MotionConfig) -> tuple[PairFlow, bool]:
    if cfg.cache_dir is None:
        return extract_pair_flow(video, cfg), False
    key = cache_key(video, cfg)
    path = cache_path(Path(cfg.cache_dir), video, key)
    flow = load_pair_flow(path, key)
    if flow is not None:
        logger.debug("%s: flow from cache %s", video.name, path)
        return flow, True
    flow = extract_pair_flow(video, cfg)
    save_pair_flow(path, key, flow)
    return flow, False


def _windowed(video: Path, flow: PairFlow, cfg: MotionConfig, cached: bool) -> MotionFeatures:
    t, stride = cfg.window.length, cfg.window.stride
    n_samples = flow.sample_times.size
    starts = window_starts(n_samples, t, stride)
    if starts.size == 0:
        raise InputTooShortError(
            f"{video}: {n_samples} sampled frames, but one window needs window.length={t}; "
            "use a longer video or a smaller window.length"
        )
    hof = window_pair_mean(flow.pair_hof, starts, t)
    f = cfg.flow
    return MotionFeatures(
        window_start_s=flow.sample_times[starts],
        window_end_s=flow.sample_times[starts + t - 1],
        window_start_sample=starts,
        sample_times=flow.sample_times,
        pair_energy=flow.pair_energy,
        flow_energy=hof.sum(axis=1),
        features=hof_features(hof, f.hof_norm, f.magnitude_weight),
        fps=flow.fps,
        duration_s=flow.duration_s,
        window_length=t,
        stride=stride,
        from_cache=cached,
    )
