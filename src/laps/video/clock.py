"""Frame times from packet timestamps, repaired where they are missing or go backwards."""

from __future__ import annotations

from fractions import Fraction

from av.container import InputContainer
from av.video.frame import VideoFrame

_FALLBACK_S = 1.0 / 30.0  # spacing of made-up times when nothing else is known (then `blind`)


def clock_from_dts(container: InputContainer) -> bool:
    """Whether frame times must come from dts rather than pts.

    AVI stores no pts: the demuxer guesses them and B-frame reordering scrambles the guesses,
    while its dts (the chunk count) are exact.
    """
    return container.format.name == "avi"


class FrameClock:
    """Seconds since the first frame from pts (or dts), falling back to previous + duration.

    A frame's duration is its own, else the last real interval between timestamps, else one
    period of the nominal rate. When a timestamp must be made up and none of these is known
    (no usable timestamps and no frame rate), the frame is counted in :attr:`blind`.

    Args:
        time_base: the stream's time base.
        nominal_fps: the stream's nominal rate (0 when unknown).
        use_dts: take dts instead of pts (see :func:`clock_from_dts`).
    """

    def __init__(
        self, time_base: Fraction | None, nominal_fps: float, *, use_dts: bool = False
    ) -> None:
        self.use_dts = use_dts
        self.time_base = time_base or Fraction(1, 90000)
        self._nominal_s = 1.0 / nominal_fps if nominal_fps > 0 else None
        self._pts0: int | None = None
        self._t0 = 0.0
        self._prev: float | None = None
        self._prev_dur: float | None = self._nominal_s
        self._interval: float | None = None  # last real gap between two timestamps
        self.repaired = 0  # frames whose timestamp was missing or went backwards
        self.blind = 0  # repaired frames with no duration or rate to go by

    def __call__(self, frame: VideoFrame) -> tuple[float, float]:
        """(time_s, duration_s) of a decoded frame."""
        tb = frame.time_base or self.time_base
        own = float(frame.duration * tb) if frame.duration else None
        pts = frame.dts if self.use_dts or frame.pts is None else frame.pts
        if pts is None:
            t = self._guess()
            self.repaired += self._prev is not None and not self.use_dts  # AVI flush: no dts
        else:
            if self._pts0 is None:
                self._pts0, self._t0 = pts, self._guess()
            t = self._t0 + float((pts - self._pts0) * tb)
            if self._prev is not None and t <= self._prev:
                t = self._guess()  # keep times strictly increasing: downstream relies on it
                self.repaired += 1
            elif self._prev is not None:
                self._interval = t - self._prev
        dur = own or self._interval or self._nominal_s
        self._prev, self._prev_dur = t, dur
        return t, dur or 0.0

    def _guess(self) -> float:
        if self._prev is None:
            return 0.0
        step = self._prev_dur or self._interval
        if step is None:
            self.blind += 1
            step = _FALLBACK_S
        return self._prev + step
