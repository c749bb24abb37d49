"""Small synthetic tracked worlds: a hand block moving over a noisy grid, as windows.

A *plan* is a list of ``(kind, steps)``: ``idle`` (the hand still), ``right``, ``left``,
``up``, ``down`` (steady sweeps) or ``circle`` / ``wipe`` (periodic motion). The 3 x 3
block of hand cells moves over the grid as the hand does (a quarter cell per step at full
speed). Every step gets a (N, 2) velocity field: sensor noise on every cell, optional camera
shake (the same random shift for all cells), an optional belt (the top row moving right all
the time), and the hand block's velocity. Windows of ``T`` samples every ``stride`` read the
steps they cover, as a tracker would report them (all points visible).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from laps.segment.base import WindowInput

T, STRIDE, GRID = 16, 4, 10
SPEED = 0.03  # normalised speed per step of the hand (about 5 px at 320p)
DIRS = {"right": (1, 0), "left": (-1, 0), "up": (0, -1), "down": (0, 1)}


@dataclass(frozen=True)
class World:
    """Windows, the sample count and the true boundaries (samples) of a plan."""

    windows: list[WindowInput]
    n_samples: int
    boundaries: list[int]
    idle: list[tuple[int, int]]  # true idle spans in samples


def hand_velocity(kind: str, k: int, rng: np.random.Generator) -> np.ndarray:
    """The hand's velocity at step ``k`` of a primitive."""
    if kind == "idle":
        return np.zeros(2)
    if kind == "circle":
        a = 2 * np.pi * k / 8
        return SPEED * np.array([np.cos(a), np.sin(a)])
    if kind == "wipe":
        return SPEED * np.array([1.0 if (k // 4) % 2 == 0 else -1.0, 0.0])
    return SPEED * np.asarray(DIRS[kind], dtype=float) * (1 + 0.1 * rng.normal())


def hand_cells(pos: np.ndarray) -> list[int]:
    """The 3 x 3 grid cells of a hand block centred at (column, row) ``pos``."""
    c0, r0 = int(round(pos[0])), int(round(pos[1]))
    return [r * GRID + c for r in range(r0 - 1, r0 + 2) for c in range(c0 - 1, c0 + 2)]


def make_world(
    plan: list[tuple[str, int]],
    seed: int = 0,
    noise: float = 5e-4,
    shake: float = 0.0,
    belt: bool = False,
) -> World:
    """Windows of a plan (see the module doc)."""
    rng = np.random.default_rng(seed)
    n_steps = sum(n for _, n in plan)
    field = noise * rng.normal(size=(n_steps, GRID * GRID, 2))
    field += shake * rng.normal(size=(n_steps, 1, 2))
    if belt:
        field[:, :GRID, 0] += 0.02
    pos = np.array([5.0, 5.0])  # the hand block's centre (column, row), moves as it does
    s, bounds, idle = 0, [], []
    for kind, n in plan:
        for k in range(n):
            v = hand_velocity(kind, k, rng)
            field[s + k, hand_cells(pos)] += v
            pos = 1 + (pos - 1 + 0.25 * v / SPEED) % (GRID - 3)
        if kind == "idle":
            idle.append((s, s + n))
        s += n
        bounds.append(s)
    n_windows = (n_steps - (T - 1)) // STRIDE + 1
    visible = np.ones((T, GRID * GRID), dtype=bool)
    windows = []
    for w in range(n_windows):
        v = field[w * STRIDE : w * STRIDE + T - 1].astype(np.float32)
        energy = float(np.linalg.norm(v, axis=2).mean())
        windows.append(WindowInput(w, v, visible, None, energy))
    return World(windows, n_steps + 1, bounds[:-1], idle)
