"""Windows of T sampled frames every ``stride`` samples, tracked incrementally.

Every frame pair is handed to the tracker once; each window's grid is seeded on the window's
first frame and its whole track read back once, on its last frame (a learned tracker may do
its work only then), so overlapping windows share the flow work.
Window ``w`` covers samples ``[w * stride, w * stride + T)``; a window is emitted the moment
its last frame is tracked. Frames after the last complete window belong to no window (a
stream that ends mid-window); :attr:`WindowBuilder.n_trailing_samples` counts them.

A live stream that dropped and came back has a gap between two samples; the tracker cannot
follow points across it, so :meth:`WindowBuilder.break_at_gap` hands back the windows open at
the gap (they would need frames on both sides) and restarts tracking: the next window is the
first one starting after the gap, so window ``w`` keeps covering ``[w * stride, w * stride +
T)`` and no window spans a gap.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

import numpy as np
from numpy.typing import NDArray

from laps.errors import TrackerError
from laps.tracking.base import Tracker
from laps.tracking.functional import velocities
from laps.tracking.grid import grid_points
from laps.types import Frame, Window
from laps.window.config import WindowConfig


@dataclass
class OpenWindow:
    """A window still collecting frames: its index and the samples it has so far."""

    index: int
    samples: list[int] = field(default_factory=list)
    frame_indices: list[int] = field(default_factory=list)
    times_s: list[float] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class TrackedWindow:
    """A complete window plus the tracking time it cost since the previous window."""

    window: Window
    t_track_s: float


def velocity_scale_px(width: int, height: int) -> float:
    """The velocity normalisation: half the short side of the processing frame, in px.

    It makes normalised velocities independent of the processing resolution (the reference
    divided by a fixed 240 px whatever the resolution).
    """
    return min(width, height) / 2.0


class WindowBuilder:
    """Streaming: frames in, tracked windows out.

    Args:
        tracker: any :class:`laps.tracking.base.Tracker`.
        window: window length and stride.
        grid_size: the grid is grid_size x grid_size points over the full frame.
    """

    def __init__(self, tracker: Tracker, window: WindowConfig, grid_size: int) -> None:
        self.tracker = tracker
        self.length = window.length
        self.stride = window.stride
        self.grid_size = grid_size
        self._open: dict[int, OpenWindow] = {}
        self._grid: NDArray[np.float32] | None = None
        self._size_wh: tuple[int, int] = (0, 0)
        self._t_track_pending = 0.0
        self.n_samples = 0
        self.n_windows = 0

    @property
    def n_trailing_samples(self) -> int:
        """Samples after the end of the last complete window (in no window)."""
        if self.n_windows == 0:
            return self.n_samples
        # at least 0: windows cut by a stream gap count as windows but end before it
        return max(0, self.n_samples - ((self.n_windows - 1) * self.stride + self.length))

    def describe(self) -> dict[str, object]:
        """The conventions of the windows' tracks and velocities (for the manifest)."""
        w, h = self._size_wh
        return {
            "tracker": self.tracker.name,
            "frame_size_wh": [w, h] if w else None,
            "grid_size": self.grid_size,
            "n_points": self.grid_size**2,
            "point_order": "row-major: n = row * grid_size + col (x varies fastest)",
            "coordinates": "(x, y) pixels of the processing frame",
            "window_length": self.length,
            "stride": self.stride,
            "velocity_scale_px": velocity_scale_px(w, h) if w else None,
            "velocity_normalisation": "(tracks[t+1] - tracks[t]) / (min(W, H) / 2); "
            "0 where either end is not visible",
        }

    def update(self, frame: Frame) -> list[TrackedWindow]:
        """Track one sampled frame; return the windows it completes (0 or 1)."""
        if frame.sample != self.n_samples:
            raise ValueError(f"expected sample {self.n_samples}, got {frame.sample}")
        t0 = time.perf_counter()
        self.tracker.advance(frame.image)
        if frame.sample % self.stride == 0:
            self._start_window(frame)
        done: list[OpenWindow] = []
        for ow in self._open.values():
            ow.samples.append(frame.sample)
            ow.frame_indices.append(frame.index)
            ow.times_s.append(frame.time_s)
            if len(ow.samples) == self.length:
                done.append(ow)
        tracks = {ow.index: self.tracker.track(ow.index) for ow in done}
        for ow in done:
            self.tracker.release(ow.index)
            del self._open[ow.index]
        self._t_track_pending += time.perf_counter() - t0
        self.n_samples += 1
        out = []
        for ow in done:
            window = self._finish(ow, *tracks[ow.index], frame.arrival_s)
            out.append(TrackedWindow(window, self._t_track_pending))
            self._t_track_pending = 0.0
            self.n_windows += 1
        return out

    def _start_window(self, frame: Frame) -> None:
        h, w = frame.image.shape
        if self._grid is None or self._size_wh != (w, h):
            self._grid = grid_points(w, h, self.grid_size)
            self._size_wh = (w, h)
        index = frame.sample // self.stride
        self.tracker.seed(index, self._grid)
        self._open[index] = OpenWindow(index)

    def _finish(
        self,
        ow: OpenWindow,
        xy: NDArray[np.float32],
        visible: NDArray[np.bool_],
        available_s: float,
    ) -> Window:
        tracks = np.asarray(xy, dtype=np.float32)  # (T, N, 2)
        if tracks.shape[0] != self.length:
            raise TrackerError(
                f"{self.tracker.name}: expected a track of {self.length} frames for window "
                f"{ow.index}, got {tracks.shape[0]}; the tracker must record every frame"
            )
        scale = velocity_scale_px(*self._size_wh)
        return Window(
            index=ow.index,
            samples=np.asarray(ow.samples, dtype=np.int64),
            frame_indices=np.asarray(ow.frame_indices, dtype=np.int64),
            times_s=np.asarray(ow.times_s, dtype=np.float64),
            tracks=tracks,
            visible=visible,
            velocities=velocities(tracks, visible, scale),
            velocity_scale_px=scale,
            frame_size_wh=self._size_wh,
            available_s=available_s,
        )

    def break_at_gap(self) -> list[OpenWindow]:
        """A gap in the stream before the next frame: cut the open windows, restart tracking.

        Returns:
            The windows that had started but needed frames after the gap, in index order,
            with the samples they got before it. They count as windows (``n_windows``), so
            the next window emitted is the first that starts after the gap.
        """
        cut = sorted(self._open.values(), key=lambda ow: ow.index)
        for ow in cut:
            self.tracker.release(ow.index)
        self._open.clear()
        self.tracker.reset()  # no flow from the last frame before the gap to the next one
        self.n_windows += len(cut)
        self._t_track_pending = 0.0
        return cut

    def reset(self) -> None:
        """Forget every open window and the tracker state."""
        for index in list(self._open):
            self.tracker.release(index)
        self._open.clear()
        self.tracker.reset()
        self.n_samples = 0
        self.n_windows = 0
        self._t_track_pending = 0.0
