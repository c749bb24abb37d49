"""Suite-v2 task scripts: varied structure that a fixed-length prior cannot follow.

The dominant hand does every labelled primitive: the assembly cycles of v1 (one hand
serves every bin), interleaved with periodic tasks (screw, wipe, polish). Motion lengths
are log-uniform (:data:`laps.synth.periodic.DURATIONS_V2`). Work comes in bursts separated
by idle stretches (both hands still); an idle stretch lasts ``idle_min_s..idle_max_s``
(log-uniform, lengthened when idle time is owed) and comes when idle takes no more than
``idle_fraction`` of the time so far, so that it takes about that share. Two idle
stretches never touch, so each is one segment.

With two arms the other hand may steady the work during a burst: it moves to the fixture
at the burst's start and back to rest before its end. Those moves are not labelled; the
ground truth follows the dominant hand (``Plan.dominant``).
"""

from __future__ import annotations

import math

import numpy as np
from numpy.typing import NDArray

from laps.synth import periodic as per
from laps.synth import primitives as prim
from laps.synth.config import ScriptConfig, VarietyConfig
from laps.synth.layout import BINS, DROP, FIXTURE, FIXTURE_SIZE, RESTS, SLOTS
from laps.synth.script import Plan, Step, Timeline, lay_out, recipe


class _Writer:
    """Builds the dominant hand's action list and inserts the idle stretches.

    After each moving primitive an idle stretch comes when it keeps the idle share at or
    below ``idle_fraction`` (its drawn length jittered, so bursts vary); a stretch is
    lengthened (up to ``idle_max_s``) to catch up with the target.
    """

    def __init__(
        self, rng: np.random.Generator, sc: ScriptConfig, vc: VarietyConfig, arm: int, span: float
    ) -> None:
        self.rng, self.sc, self.vc, self.arm = rng, sc, vc, arm
        self.budget = vc.idle_fraction * span  # idle time of the whole video, s
        self.cur = prim.pose(*RESTS[arm], 0.0, 0.0, prim.RELAXED_GRIP)
        self.actions: list[prim.Action] = []
        self.total = self.work = self.rested = 0.0
        self.pending, self.jitter = self._draw()

    def _draw(self) -> tuple[float, float]:
        """(the next idle stretch's length, s; its jitter in the timing rule).

        A stretch is at most a random share of the video's idle budget, so that a video
        with little idle still gets a few short stretches rather than none.
        """
        vc, rng = self.vc, self.rng
        cap = max(vc.idle_min_s, min(vc.idle_max_s, self.budget * rng.uniform(0.3, 1.0)))
        return per.log_uniform(rng, vc.idle_min_s, cap), per.log_uniform(rng, 0.5, 2.0)

    def _idle_due(self) -> float:
        """Idle time owed to reach the target share so far, s (-inf when idle is off)."""
        f = self.vc.idle_fraction
        return f / (1.0 - f) * self.work - self.rested if f > 0 else -math.inf

    def dur(self, label: str) -> float:
        return per.log_uniform(self.rng, *per.motion_range(label, self.vc))

    def idle(self) -> None:
        """Rest for the pending idle stretch (longer when idle time is owed)."""
        length = max(self.pending, min(self.vc.idle_max_s, self._idle_due()))
        self._append(prim.idle(self.arm, length))
        self.rested += length
        self.pending, self.jitter = self._draw()

    def _append(self, action: prim.Action) -> None:
        self.actions.append(action)
        if action.keys:
            self.cur = action.keys[-1][1]
        self.total += action.duration

    def add(self, action: prim.Action) -> None:
        """Append a moving primitive; an idle stretch follows when it is due."""
        self._append(with_fidget(self.rng, action))
        self.work += action.duration
        if self._idle_due() >= self.pending * self.jitter:
            self.idle()

    def reach(self, target: tuple[float, float]) -> None:
        self.add(prim.reach(self.rng, self.arm, self.cur, target, self.dur("reach")))

    def maybe_retreat(self, prob: float) -> None:
        if self.rng.random() < prob:
            self.add(prim.retreat(self.arm, self.cur, RESTS[self.arm], self.dur("retreat")))


FIDGET_MIN_S = 1.5  # a primitive longer than this keeps its hand busy (see with_fidget)


def with_fidget(rng: np.random.Generator, action: prim.Action) -> prim.Action:
    """A long non-periodic primitive gets the fine motion of real hands at work.

    A drawn length of up to 8 s would otherwise stretch a one-second key-frame motion into
    a slow drift that no camera could tell from rest (half of the moving time of some
    videos had a true hand speed under 5 px/s). People who take long to grasp, place or
    carry something adjust, align and turn it: a small looping motion (4-8 thousandths of
    the bench, 1.2-2.5 Hz) over the key-frame path keeps the hand visibly moving, as the
    insert's wiggle does in v1. Periodic primitives and actions with a wave keep theirs.
    """
    if action.wave is not None or action.duration <= FIDGET_MIN_S or not action.moving:
        return action
    a = float(rng.uniform(0.004, 0.008))
    action.wave = prim.Wave((a, a, 0.0, 0.05, 0.0), float(rng.uniform(1.2, 2.5)), per.LOOP)
    return action


def _part_cycle(w: _Writer, part: str, slot: tuple[float, float]) -> None:
    rng, arm = w.rng, w.arm
    b = next(b for b in BINS if b.part == part)
    pick = np.asarray(b.center) + rng.uniform(-0.25, 0.25, 2) * np.asarray(b.size)
    w.reach((float(pick[0]), float(pick[1])))
    w.add(prim.grasp(rng, arm, w.cur, w.dur("grasp"), kind="attach", part=part))
    if rng.random() < w.sc.inspect_prob:
        w.add(prim.inspect(rng, arm, w.cur, w.dur("inspect")))
    w.add(prim.transport(rng, arm, w.cur, slot, w.dur("transport")))
    if part in ("plate", "bracket"):
        w.add(prim.place(arm, w.cur, slot, w.dur("place")))
    else:
        w.add(prim.insert(rng, arm, w.cur, slot, w.dur("insert"), release=part == "pin"))
    if part == "screw":
        w.add(per.screw_turn(rng, arm, w.cur, w.dur("screw"), release=True))
    w.maybe_retreat(0.6)


def _periodic_task(w: _Writer) -> None:
    """Reach somewhere and screw, wipe or polish there; maybe retreat after."""
    rng = w.rng
    kind = per.PERIODIC[int(rng.choice(len(per.PERIODIC), p=per.PERIODIC_WEIGHTS))]
    if kind == "wipe":
        w.reach(per.mat_point(rng))
        w.add(per.wipe(rng, w.arm, w.cur, w.dur("wipe")))
    elif kind == "polish":
        w.reach(per.fixture_point(rng))
        w.add(per.polish(rng, w.arm, w.cur, w.dur("polish")))
    else:
        du, dv = SLOTS["screw"][int(rng.integers(len(SLOTS["screw"])))]
        w.reach((FIXTURE[0] + du, FIXTURE[1] + dv))
        w.add(per.screw_turn(rng, w.arm, w.cur, w.dur("screw")))
    w.maybe_retreat(0.5)


def _unload_cycle(w: _Writer) -> None:
    rng, arm = w.rng, w.arm
    w.reach(FIXTURE)
    w.add(prim.grasp(rng, arm, w.cur, w.dur("grasp"), kind="unload"))
    if rng.random() < w.sc.inspect_prob:
        w.add(prim.inspect(rng, arm, w.cur, w.dur("inspect")))
    drop = (DROP[0] + rng.uniform(-0.06, 0.06), DROP[1] + rng.uniform(-0.02, 0.02))
    w.add(prim.transport(rng, arm, w.cur, drop, w.dur("transport")))
    w.add(prim.place(arm, w.cur, drop, w.dur("place"), kind="drop"))
    w.maybe_retreat(1.0)


def _actions(w: _Writer, duration_s: float) -> list[prim.Action]:
    if w.rng.random() < w.vc.idle_fraction:  # the video may open idle
        w.idle()
    while w.total < duration_s + 5.0:
        for part, slot in recipe(w.rng):
            _part_cycle(w, part, slot)
            if w.rng.random() < w.vc.periodic_prob:
                _periodic_task(w)
        _unload_cycle(w)
    return w.actions


def _bursts(steps: list[Step]) -> list[tuple[float, float]]:
    """(start, end) of every maximal run of moving steps."""
    out: list[tuple[float, float]] = []
    for s in steps:
        if s.label == "idle":
            continue
        if out and abs(out[-1][1] - s.start_s) < 1e-9:
            out[-1] = (out[-1][0], s.end_s)
        else:
            out.append((s.start_s, s.end_s))
    return out


def _assist_pose(rng: np.random.Generator, off: int) -> NDArray[np.float64]:
    """Where the other hand steadies the work: the fixture's edge on its own side."""
    side = -1.0 if off == 1 else 1.0
    u = FIXTURE[0] + side * (FIXTURE_SIZE[0] / 2 + rng.uniform(-0.02, 0.05))
    v = FIXTURE[1] + rng.uniform(-0.05, 0.1)
    return prim.pose(u, v, 0.0, rng.uniform(-0.2, 0.2), 0.6)


def _assists(tl: Timeline, rng: np.random.Generator, vc: VarietyConfig, off: int) -> None:
    """Key the other hand: out to the fixture and back within some bursts, all stops."""
    keys = tl.keys[off]
    rest = keys[0][1]
    for t0, t1 in _bursts(tl.steps):
        span = t1 - t0
        if span < 3.0 or rng.random() >= vc.assist_prob:
            continue
        go = min(per.log_uniform(rng, 0.5, 1.5), span / 4)
        a = max(t0 + 0.05, keys[-1][0] + 0.05) + rng.uniform(0.0, 0.2) * span
        b = t1 - rng.uniform(0.02, 0.2) * span
        if b - go <= a + go + 0.1:
            continue
        at = _assist_pose(rng, off)
        keys += [(a, rest, True), (a + go, at, True), (b - go, at, True), (b, rest, True)]


def make_plan_v2(
    rng: np.random.Generator, sc: ScriptConfig, vc: VarietyConfig, duration_s: float
) -> Plan:
    """Write a suite-v2 script covering ``duration_s`` and lay it out in time.

    Args:
        rng: the script's own random stream.
        sc: task knobs (arms, transition mix, pauses, inspections).
        vc: the v2 structure knobs.
        duration_s: the script runs at least this long.

    Returns:
        The plan; its steps are the dominant hand's (``Plan.dominant``).
    """
    arm = 1 if sc.arms == 2 and vc.dominant == "left" else 0
    w = _Writer(rng, sc, vc, arm, duration_s)
    tl, end = lay_out(rng, sc, _actions(w, duration_s))
    if sc.arms == 2:
        _assists(tl, rng, vc, 1 - arm)
    return Plan(tuple(tl.steps), tl.tracks(end), tuple(tl.events), dominant=arm)
