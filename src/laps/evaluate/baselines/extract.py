"""One pass over a video's sampled frames: dense flow and HOF for every consecutive pair.

The frames are the pipeline's own: :func:`laps.video.sources.open_source` with the same
decoder, time-based resampling and processing size, so sample ``k`` here is sample ``k`` of
``laps segment`` and its timestamp is the same real presentation time.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from numpy.typing import NDArray

from laps.errors import InputTooShortError
from laps.evaluate.baselines.config import MotionConfig
from laps.evaluate.baselines.flow import cell_map, make_flow, pair_hof
from laps.video.sources import open_source
from laps.window.builder import velocity_scale_px

logger = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class PairFlow:
    """Per sampled frame pair: what the flow baselines need, before any windowing.

    Attributes:
        sample_times: (S,) seconds of each sampled frame (from the first frame).
        pair_hof: (S - 1, grid * grid * bins) unnormalised HOF of pair ``(k, k + 1)``; its
            row sum is the pair's flow energy.
        duration_s: presentation end of the last decoded frame, seconds.
        fps: the source's nominal frame rate (0.0 if unknown).
        frame_size_wh: processing frame size.
        decode_s: wall seconds spent decoding and converting.
        flow_s: wall seconds spent in flow and histograms.
    """

    sample_times: NDArray[np.float64]
    pair_hof: NDArray[np.float32]
    duration_s: float
    fps: float
    frame_size_wh: tuple[int, int]
    decode_s: float = 0.0
    flow_s: float = 0.0

    @property
    def pair_energy(self) -> NDArray[np.float64]:
        """(S - 1,) mean normalised |flow| of each pair."""
        return self.pair_hof.sum(axis=1, dtype=np.float64)


def extract_pair_flow(video: Path, cfg: MotionConfig) -> PairFlow:
    """Decode ``video`` as the pipeline does and compute flow + HOF for each sample pair.

    Raises:
        VideoOpenError, VideoDecodeError: the video cannot be read.
        InputTooShortError: fewer than two sampled frames.
    """
    flow_fn = make_flow(cfg.flow.method)
    grid, bins = cfg.flow.hof_grid, cfg.flow.hof_bins
    times: list[float] = []
    rows: list[NDArray[np.float64]] = []
    prev: NDArray[np.uint8] | None = None
    cells = np.zeros((0, 0), dtype=np.int64)
    scale, t_flow = 1.0, 0.0
    with open_source(str(video), cfg.video, live=False) as source:
        for frame in source.frames():
            times.append(frame.time_s)
            t0 = time.perf_counter()
            if prev is None:
                h, w = frame.image.shape
                cells, scale = cell_map(h, w, grid), velocity_scale_px(w, h)
            else:
                flow = flow_fn(prev, frame.image)
                rows.append(pair_hof(flow, cells, grid, bins, scale))
            t_flow += time.perf_counter() - t0
            prev = frame.image
        end_s, fps, decode_s = source.end_time_s, source.info.fps, source.decode_time_s
    if prev is None or not rows or end_s is None:
        raise InputTooShortError(
            f"{video}: expected at least 2 sampled frames, got {len(times)}; use a longer "
            "video or a higher video.target_fps"
        )
    h, w = prev.shape
    _log_cost(video, len(rows), decode_s, t_flow)
    hof = np.asarray(rows, dtype=np.float32)
    return PairFlow(np.asarray(times), hof, float(end_s), float(fps), (w, h), decode_s, t_flow)


def _log_cost(video: Path, n_pairs: int, decode_s: float, flow_s: float) -> None:
    logger.info(
        "%s: %d pairs, flow+HOF %.1f ms/pair, decode %.1f s",
        video.name,
        n_pairs,
        1000 * flow_s / max(n_pairs, 1),
        decode_s,
    )
