"""Task scripts: assembly cycles of primitives, laid out in time as arm tracks and labels.

A product is assembled from a plate, a bracket, pins and screws taken from bins, in an order
that varies; then the finished assembly is unloaded onto the conveyor. Durations, the order
of parts, inspections, idle spells and skipped retreats vary at random per seed.

Time convention of the labels: a primitive's segment starts where its motion starts. The
stop of a *pause* transition belongs to the primitive that stopped; idle starts where the
hand comes to rest.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from laps.synth import primitives as prim
from laps.synth.config import ALL_LABELS, ScriptConfig
from laps.synth.layout import BINS, DROP, FIXTURE, RESTS, SLOTS
from laps.synth.trajectory import Oscillation, Track, half_period_freq, keyframe_velocities

CONTINUOUS_FLOOR_PX_S = 90.0  # min hand speed at a continuous transition, ref px/s


@dataclass(frozen=True, slots=True)
class Step:
    """One primitive on the timeline, ``[start_s, end_s)``.

    ``continuous`` is the kind of the transition into the next step (True: motion does not
    stop; False: the hand pauses, or the next step is idle or done by the other arm).
    """

    label: str
    arm: int
    start_s: float
    end_s: float
    continuous: bool


@dataclass(frozen=True, slots=True)
class PartEvent:
    """A change of what a hand holds.

    Kinds: attach (a part from a bin), release (onto the fixture), unload (take the whole
    assembly off the fixture), drop (release the assembly onto the belt).
    """

    t: float
    kind: str
    arm: int
    part: str


@dataclass(frozen=True, slots=True)
class Plan:
    """The whole script: steps, one pose track per arm, part events.

    ``dominant`` is the arm whose primitives the steps are (suite v2, where the other hand
    may move unlabelled); None when the steps are of whichever arm works (v1).
    """

    steps: tuple[Step, ...]
    tracks: tuple[Track, ...]
    events: tuple[PartEvent, ...]
    dominant: int | None = None

    def label_ids(self, times: NDArray[np.float64]) -> NDArray[np.int64]:
        """Index into :data:`ALL_LABELS` (= :data:`LABELS` ids for v1) of the step at each time."""
        starts = np.array([s.start_s for s in self.steps])
        ids = np.array([ALL_LABELS.index(s.label) for s in self.steps], dtype=np.int64)
        k = np.clip(np.searchsorted(starts, times, side="right") - 1, 0, len(ids) - 1)
        return ids[k]


def _rest(arm: int) -> tuple[float, float]:
    return RESTS[arm]


class _Writer:
    """Builds the action list, tracking each arm's current pose."""

    def __init__(self, rng: np.random.Generator, sc: ScriptConfig) -> None:
        self.rng, self.sc = rng, sc
        self.cur = [prim.pose(*_rest(a), 0.0, 0.0, prim.RELAXED_GRIP) for a in range(2)]
        self.actions: list[prim.Action] = []
        self.tempo = 1.0
        self.total = 0.0

    def dur(self, label: str) -> float:
        lo, hi = prim.DURATIONS[label]
        j = self.sc.tempo_jitter
        return max(
            0.3, self.rng.uniform(lo, hi) * self.tempo * self.rng.uniform(1 - j / 2, 1 + j / 2)
        )

    def add(self, action: prim.Action) -> None:
        self.actions.append(action)
        if action.keys:
            self.cur[action.arm] = action.keys[-1][1]
        self.total += action.duration

    def new_cycle(self) -> None:
        self.tempo = float(np.exp(self.rng.normal(0.0, self.sc.tempo_jitter / 2)))

    def maybe_inspect(self, arm: int) -> None:
        if self.rng.random() < self.sc.inspect_prob:
            self.add(prim.inspect(self.rng, arm, self.cur[arm], self.dur("inspect")))

    def maybe_idle(self, arm: int, prob: float, scale: float = 1.0) -> None:
        if self.rng.random() < prob:
            self.add(prim.idle(arm, self.dur("idle") * scale))


def _part_cycle(w: _Writer, part: str, slot: tuple[float, float], arm: int, next_arm: int) -> None:
    rng = w.rng
    b = next(b for b in BINS if b.part == part)
    pick = np.asarray(b.center) + rng.uniform(-0.25, 0.25, 2) * np.asarray(b.size)
    w.new_cycle()
    w.add(prim.reach(rng, arm, w.cur[arm], (float(pick[0]), float(pick[1])), w.dur("reach")))
    w.add(prim.grasp(rng, arm, w.cur[arm], w.dur("grasp"), kind="attach", part=part))
    w.maybe_inspect(arm)
    w.add(prim.transport(rng, arm, w.cur[arm], slot, w.dur("transport")))
    if part in ("plate", "bracket"):
        w.add(prim.place(arm, w.cur[arm], slot, w.dur("place")))
    else:
        w.add(prim.insert(rng, arm, w.cur[arm], slot, w.dur("insert"), release=part == "pin"))
    if part == "screw":
        w.add(prim.screw(rng, arm, w.cur[arm], w.dur("screw")))
    w.maybe_idle(arm, w.sc.idle_prob * 0.25, 0.4)
    if next_arm != arm or rng.random() < 0.75:
        w.add(prim.retreat(arm, w.cur[arm], _rest(arm), w.dur("retreat")))
        w.maybe_idle(arm, w.sc.idle_prob)


def _unload_cycle(w: _Writer) -> None:
    rng, arm = w.rng, 0
    w.new_cycle()
    w.add(prim.reach(rng, arm, w.cur[arm], FIXTURE, w.dur("reach")))
    w.add(prim.grasp(rng, arm, w.cur[arm], w.dur("grasp"), kind="unload"))
    w.maybe_inspect(arm)
    drop = (DROP[0] + rng.uniform(-0.06, 0.06), DROP[1] + rng.uniform(-0.02, 0.02))
    w.add(prim.transport(rng, arm, w.cur[arm], drop, w.dur("transport")))
    w.add(prim.place(arm, w.cur[arm], drop, w.dur("place"), kind="drop"))
    w.add(prim.retreat(arm, w.cur[arm], _rest(arm), w.dur("retreat")))
    w.maybe_idle(arm, w.sc.idle_prob)


def recipe(rng: np.random.Generator) -> list[tuple[str, tuple[float, float]]]:
    """Parts of one product with their fixture slots; the plate always goes first."""
    parts = ["bracket"] + ["pin"] * int(rng.integers(1, 3)) + ["screw"] * int(rng.integers(1, 3))
    order = [parts[i] for i in rng.permutation(len(parts))]
    used: dict[str, int] = {}
    out = []
    for part in ["plate", *order]:
        i = used.get(part, 0)
        used[part] = i + 1
        du, dv = SLOTS[part][i]
        out.append((part, (FIXTURE[0] + du, FIXTURE[1] + dv)))
    return out


def _actions(rng: np.random.Generator, sc: ScriptConfig, duration_s: float) -> list[prim.Action]:
    w = _Writer(rng, sc)
    w.add(prim.idle(0, rng.uniform(0.5, 2.0)))
    while w.total < duration_s + 5.0:
        product = recipe(rng)
        arms = [
            (next(b for b in BINS if b.part == p).arm if sc.arms == 2 else 0) for p, _ in product
        ]
        for i, (part, slot) in enumerate(product):
            nxt = arms[i + 1] if i + 1 < len(arms) else 0
            _part_cycle(w, part, slot, arms[i], nxt)
        _unload_cycle(w)
    return w.actions


class Timeline:
    """Lays actions out in time: keyframes and oscillations per arm, steps, part events."""

    def __init__(self, n_arms: int) -> None:
        self.keys: list[list[tuple[float, NDArray[np.float64], bool]]] = [[] for _ in range(n_arms)]
        self.oscs: list[list[Oscillation]] = [[] for _ in range(n_arms)]
        self.steps: list[Step] = []
        self.events: list[PartEvent] = []

    def motion(self, a: prim.Action, start: float, hold: float, cont_in: bool, cont: bool) -> None:
        """Key one moving action from ``start``, holding ``hold`` s after it at a pause."""
        keys = self.keys[a.arm]
        if keys[-1][0] < start - 1e-9:
            keys.append((start, keys[-1][1], True))
        for frac, p in a.keys:
            keys.append((start + frac * a.duration, p, frac >= 1.0 and not cont))
        if hold > 0:
            keys.append((start + a.duration + hold, a.keys[-1][1], True))
        if a.wave is not None:
            freq = half_period_freq(a.duration, a.wave.freq_hz)
            ramps = (True, True) if a.wave.phase else (not cont_in, not cont)
            osc = Oscillation(
                start, start + a.duration, a.wave.amp, freq, *ramps, phase=a.wave.phase
            )
            self.oscs[a.arm].append(osc)
        if a.event is not None:
            self.events.append(
                PartEvent(start + a.event[0] * a.duration, a.event[1], a.arm, a.part)
            )

    def tracks(self, end_s: float) -> tuple[Track, ...]:
        """One pose track per arm, each held until ``end_s``."""
        out = []
        for keys, oscs in zip(self.keys, self.oscs, strict=True):
            if keys[-1][0] < end_s:
                keys.append((end_s, keys[-1][1], True))
            times = np.array([k[0] for k in keys])
            poses = np.stack([k[1] for k in keys])
            stops = np.array([k[2] for k in keys])
            vel = keyframe_velocities(times, poses, stops, CONTINUOUS_FLOOR_PX_S)
            out.append(Track(times, poses, vel, oscs))
        return tuple(out)


def make_plan(rng: np.random.Generator, sc: ScriptConfig, duration_s: float) -> Plan:
    """Write a task script covering ``duration_s`` and lay it out in time.

    Args:
        rng: the script's own random stream.
        sc: task knobs.
        duration_s: the script runs at least this long.

    Returns:
        The plan: contiguous steps from 0, one track per arm, part events.
    """
    actions = _actions(rng, sc, duration_s)
    tl, end = lay_out(rng, sc, actions)
    return Plan(tuple(tl.steps), tl.tracks(end), tuple(tl.events))


def lay_out(
    rng: np.random.Generator, sc: ScriptConfig, actions: list[prim.Action]
) -> tuple[Timeline, float]:
    """Lay ``actions`` out one after another, drawing each transition's kind and stop.

    Returns:
        The timeline (every arm starting at rest) and its end time, s.
    """
    tl = Timeline(sc.arms)
    for arm in range(sc.arms):
        tl.keys[arm].append((0.0, prim.pose(*_rest(arm), 0.0, 0.0, prim.RELAXED_GRIP), True))
    t, cont_in = 0.0, False
    for i, a in enumerate(actions):
        nxt = actions[i + 1] if i + 1 < len(actions) else None
        both = nxt is not None and a.moving and nxt.moving
        cont = both and nxt is not None and nxt.arm == a.arm and rng.random() < sc.continuous_prob
        hold = float(rng.uniform(sc.pause_min_s, sc.pause_max_s)) if both and not cont else 0.0
        if a.moving:
            tl.motion(a, t, hold, cont_in, cont)
        tl.steps.append(Step(a.label, a.arm, t, t + a.duration + hold, cont))
        t, cont_in = t + a.duration + hold, cont
    return tl, t
