"""Streaming activity: final step tokens -> activity and hand velocity -> idle/active steps.

Three small state holders, each fed in step order and each equal to running it over the
whole sequence at once:

* :class:`ActivityMeter`: per-cell floors and directedness (warm-up, then tracked);
* :class:`CentredMean`: a centred moving average (or median) with a delay of half its width;
* :class:`Debounce`: hysteresis on the smoothed activity, and a switch of state only when
  the new state persists (``min_idle`` / ``min_active`` steps); it releases each step's
  state once no later step can change it.
"""

from __future__ import annotations

from collections import deque
from typing import Any

import numpy as np
from numpy.typing import NDArray

from laps.segment.content import ContentParams
from laps.segment.motion import (
    LOG_EPS,
    directedness,
    initial_floor,
    pool_cells,
    split_tokens,
    step_activity,
    track_direction,
    track_floor,
)

FloatArray = NDArray[np.float64]
Step = tuple[float, FloatArray]  # (activity, hand velocity (2,))
WARM_DIRECTION_WEIGHT = 0.5


class ActivityMeter:
    """Step tokens in order -> (activity, hand velocity) per step."""

    def __init__(self, p: ContentParams) -> None:
        self.k, self.warmup, self.pool = p.top_k, p.warmup, p.pool
        self.floor_rate, self.floor_quantile = p.floor_rate, p.floor_quantile
        self.direction_rate, self.max_directedness = p.direction_rate, p.max_directedness
        self._warm: list[tuple[FloatArray, FloatArray]] = []
        self._log_floor: FloatArray | None = None
        self._mean_v: FloatArray | None = None
        self._mean_s: FloatArray | None = None
        self._floors: list[float] = []  # median cell floor at every step (for the manifest)

    def add(self, token: FloatArray) -> list[Step]:
        """One final step token (empty: no window saw the step); the steps now measured."""
        field = self._field(token)
        if self._log_floor is None:
            self._warm.append(field)
            return self._start() if len(self._warm) >= self.warmup else []
        return [self._measure(*field)]

    def flush(self) -> list[Step]:
        """End of stream: measure a warm-up that never filled."""
        return self._start() if self._log_floor is None and self._warm else []

    def noise_floor(self) -> dict[str, Any]:
        """The video's own floor: median cell speed floor, at warm-up end and over the run."""
        if not self._floors:
            return {"cell_floor_median": None, "cell_floor_p90_over_run": None}
        return {
            "cell_floor_median": round(float(np.median(self._floors)), 7),
            "cell_floor_p90_over_run": round(float(np.percentile(self._floors, 90)), 7),
        }

    def _field(self, token: FloatArray) -> tuple[FloatArray, FloatArray]:
        if token.size == 0:
            n = 0 if self._log_floor is None else len(self._log_floor)
            return np.zeros((n, 2)), np.zeros(n)
        residual, valid = split_tokens(token)
        return pool_cells(residual, self.pool), valid

    def _start(self) -> list[Step]:
        fields = [f for f in self._warm if len(f[1])]
        n = len(fields[0][1]) if fields else 0
        speeds = np.array([np.hypot(r[:, 0], r[:, 1]) for r, _ in fields]).reshape(-1, n)
        self._log_floor = (
            initial_floor(speeds, self.floor_quantile)
            if len(speeds)
            else np.full(n, np.log(LOG_EPS))
        )
        # directions start from the warm-up, at half weight: a belt that moved all through
        # it is background at once, a hand that swept a cell once in it is not
        res = np.array([r for r, _ in fields]).reshape(-1, n, 2)
        self._mean_v = WARM_DIRECTION_WEIGHT * res.mean(axis=0) if len(res) else np.zeros((n, 2))
        self._mean_s = speeds.mean(axis=0) if len(speeds) else np.zeros(n)
        warm, self._warm = self._warm, []
        return [self._measure(*f) for f in warm]

    def _measure(self, residual: FloatArray, valid: FloatArray) -> Step:
        assert self._log_floor is not None and self._mean_v is not None
        assert self._mean_s is not None
        if len(valid) != len(self._log_floor):  # a step no window saw
            return 0.0, np.zeros(2)
        floor = np.exp(self._log_floor)
        self._floors.append(float(np.median(floor)))
        self._mean_v, self._mean_s = track_direction(
            self._mean_v, self._mean_s, residual, self.direction_rate
        )
        usable = (valid > 0) & (directedness(self._mean_v, self._mean_s) <= self.max_directedness)
        activity, hand = step_activity(residual, floor, usable, self.k)
        speed = np.hypot(residual[:, 0], residual[:, 1])
        self._log_floor = np.where(
            valid > 0,
            track_floor(self._log_floor, speed, self.floor_rate, self.floor_quantile),
            self._log_floor,
        )
        return activity, hand


class CentredMean:
    """Centred moving average of odd ``width`` (truncated at the ends), streaming.

    Values are numbers or equally shaped arrays (averaged element-wise). ``median=True``
    takes the median instead: it ignores a blip shorter than half the width and, unlike the
    mean, does not move the edge of a step (where motion starts or stops).
    """

    def __init__(self, width: int, median: bool = False) -> None:
        self.half = width // 2
        self._reduce = np.median if median else np.mean
        self._values: list[Any] = []
        self._done = 0  # values [0, done) have been averaged

    def update(self, values: list[Any]) -> list[Any]:
        """Append values; return the averages now complete."""
        self._values.extend(values)
        return self._take(len(self._values) - self.half)

    def flush(self) -> list[Any]:
        """End of sequence: the remaining averages over truncated windows."""
        return self._take(len(self._values))

    def _take(self, upto: int) -> list[Any]:
        out = []
        for s in range(self._done, max(upto, self._done)):
            lo, hi = max(0, s - self.half), min(len(self._values), s + self.half + 1)
            mean = self._reduce(self._values[lo:hi], axis=0)
            out.append(float(mean) if np.ndim(mean) == 0 else mean)
        self._done = max(upto, self._done)
        drop = self._done - self.half  # values no later average reaches
        if drop > 4096:
            del self._values[:drop]
            self._done -= drop
        return out


class Debounce:
    """Smoothed activity -> final active (True) / idle (False) state of each step."""

    def __init__(self, on: float, off: float, min_idle: int, min_active: int) -> None:
        self.on, self.off = on, off
        self.min_len = {False: min_idle, True: min_active}  # steps to confirm a switch to it
        self.state: bool | None = None  # decided state of the open run
        self._pending: deque[bool] = deque()  # steps since a candidate switch began
        self.n_final = 0

    def update(self, values: list[float]) -> list[bool]:
        """Feed smoothed activity; return the states now final (in step order)."""
        out: list[bool] = []
        for a in values:
            out.extend(self._step(a))
        return out

    def flush(self) -> list[bool]:
        """End of sequence: an unconfirmed switch did not last; its steps keep the state."""
        out = [bool(self.state)] * len(self._pending)
        self._pending.clear()
        self.n_final += len(out)
        return out

    def _step(self, a: float) -> list[bool]:
        if self.state is None:  # the first step decides the first state by ``on``
            self.state = a >= self.on
        want = a >= self.off if self.state else a >= self.on
        if want == self.state:  # a candidate switch (if any) did not last
            out = [self.state] * (len(self._pending) + 1)
            self._pending.clear()
        else:
            self._pending.append(want)
            if len(self._pending) < self.min_len[want]:
                return []
            self.state = want
            out = [want] * len(self._pending)
            self._pending.clear()
        self.n_final += len(out)
        return out
