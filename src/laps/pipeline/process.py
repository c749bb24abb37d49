"""Per-window processing: gates, optional latent encoder, energy, timing record.

The learned motion tokenizer plugs in through :class:`WindowEncoder`: it receives the
window's normalised velocities ``(L, N, 2)`` and returns latents ``(L, D)`` and codes
``(L,)``. Without an encoder only the ``velocity`` energy source is available.
"""

from __future__ import annotations

import logging
import time
from dataclasses import asdict, dataclass, replace
from typing import Any, NamedTuple, Protocol

import numpy as np
from numpy.typing import NDArray

from laps.energy.config import EnergyConfig, EnergySource, GatesConfig
from laps.energy.functional import window_energy
from laps.energy.gates import GateResult, motion_gate
from laps.errors import LapsError
from laps.pipeline.windows import TrackedWindow
from laps.types import Window, WindowStatus

logger = logging.getLogger(__name__)


class Latents(NamedTuple):
    """What an encoder returns for one window."""

    prequant: NDArray[np.float32]  # (L, D) before quantisation
    quantized: NDArray[np.float32]  # (L, D) after quantisation
    codes: NDArray[np.int64]  # (L,) codebook indices


class WindowEncoder(Protocol):
    """A motion tokenizer seen from the stream."""

    def encode(self, velocities: NDArray[np.float32]) -> Latents:
        """Encode one window's velocities (L, N, 2)."""
        ...


@dataclass(frozen=True, slots=True)
class WindowRecord:
    """Everything decided about one window: one line of ``windows.jsonl``."""

    window: int
    start_frame: int  # source frames, half-open
    end_frame: int
    start_s: float  # presentation times of the first and last frame
    end_s: float
    start_sample: int
    end_sample: int
    outcome: str  # WindowStatus value
    energy_raw: float | None
    energy: float | None  # smoothed (the value the segmenter used)
    pre_gate: dict[str, Any] | None
    motion_gate: dict[str, Any] | None
    codes: list[int] | None
    t_track_s: float
    t_forward_s: float
    t_total_s: float
    budget_s: float
    slack_s: float
    status: str  # "OK" | "LAG"
    latency_s: float
    error: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dict."""
        return asdict(self)


@dataclass(frozen=True, slots=True)
class Processed:
    """The energy-side result of one window, before smoothing and timing."""

    outcome: WindowStatus
    energy_raw: float | None
    pre_gate: GateResult | None
    motion_gate: GateResult | None
    codes: list[int] | None
    error: str | None
    t_forward_s: float
    quantized: NDArray[np.float32] | None = None  # (L, D) when an encoder ran


def process_window(
    window: Window,
    pre: GateResult | None,
    gates: GatesConfig,
    energy: EnergyConfig,
    encoder: WindowEncoder | None,
) -> Processed:
    """Gate, encode and score one window. Never raises for a bad window: it is FAILED."""
    t0 = time.perf_counter()
    try:
        result = _process(window, pre, gates, energy, encoder)
    except (LapsError, ValueError, FloatingPointError, RuntimeError) as err:
        logger.warning("window %d failed: %s", window.index, err)
        result = Processed(WindowStatus.FAILED, None, pre, None, None, str(err), 0.0)
    return replace(result, t_forward_s=time.perf_counter() - t0)


def _process(
    window: Window,
    pre: GateResult | None,
    gates: GatesConfig,
    energy: EnergyConfig,
    encoder: WindowEncoder | None,
) -> Processed:
    if pre is not None and pre.dropped:
        return Processed(WindowStatus.PRE_GATED, 0.0, pre, None, None, None, 0.0)
    vel = window.velocities
    mg = motion_gate(vel, gates.motion_gate) if gates.motion_gate.enabled else None
    if mg is not None and mg.dropped and energy.source is not EnergySource.VELOCITY:
        return Processed(WindowStatus.MOTION_GATED, 0.0, pre, mg, None, None, 0.0)
    latents = encoder.encode(vel) if encoder is not None else None
    value = window_energy(
        energy.source,
        energy.mode,
        velocities=vel,
        prequant=None if latents is None else latents.prequant,
        quantized=None if latents is None else latents.quantized,
    )
    if not np.isfinite(value):
        raise FloatingPointError(f"energy is not finite ({value})")
    outcome = WindowStatus.MOTION_GATED if mg is not None and mg.dropped else WindowStatus.OK
    if latents is None:
        return Processed(outcome, float(value), pre, mg, None, None, 0.0)
    codes = [int(c) for c in latents.codes]
    return Processed(outcome, float(value), pre, mg, codes, None, 0.0, latents.quantized)


def make_record(
    tw: TrackedWindow, res: Processed, used: float | None, budget_s: float
) -> WindowRecord:
    """The ``windows.jsonl`` record of a decided window (call it at decision time)."""
    w = tw.window
    total = tw.t_track_s + res.t_forward_s
    return WindowRecord(
        window=w.index,
        start_frame=int(w.frame_indices[0]),
        end_frame=int(w.frame_indices[-1]) + 1,
        start_s=float(w.times_s[0]),
        end_s=float(w.times_s[-1]),
        start_sample=int(w.samples[0]),
        end_sample=int(w.samples[-1]) + 1,
        outcome=res.outcome.value,
        energy_raw=res.energy_raw,
        energy=used,
        pre_gate=None if res.pre_gate is None else res.pre_gate.to_dict(),
        motion_gate=None if res.motion_gate is None else res.motion_gate.to_dict(),
        codes=res.codes,
        t_track_s=tw.t_track_s,
        t_forward_s=res.t_forward_s,
        t_total_s=total,
        budget_s=budget_s,
        slack_s=budget_s - total,
        status="OK" if total <= budget_s else "LAG",
        latency_s=max(0.0, time.monotonic() - w.available_s),
        error=res.error,
    )
