"""Per-window processing: gates, energy from velocities or latents, the timing record.

Every record also carries ``proxy``: the velocity energy (mean L2 norm of the window's
normalised velocities), whatever energy source is configured, so that ``laps calibrate``
can pseudo-label the target energy from the same run, window by window (the reference
aligned two separate runs by arrival counters, which breaks when a run drops windows).
It equals ``energy_raw`` when ``energy.source`` is ``velocity``: 0 for pre-gated windows,
None for failed ones.

The encoder step between :func:`gate_window` and :func:`score_window` lives in
:mod:`laps.pipeline.encode` so that offline runs can batch it.

A window cut by a gap in a live stream (see :mod:`laps.pipeline.gaps`) is recorded by
:func:`gap_record`: outcome ``gap``, status ``GAP``, the frames and times it got before the
gap, no energy and no timings (null), and the gap in ``error``.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, replace

import numpy as np
from numpy.typing import NDArray

from laps.energy.config import EnergyConfig, EnergySource
from laps.energy.functional import velocity_energy, window_energy
from laps.energy.gates import GateResult, motion_gate
from laps.errors import LapsError
from laps.export.run_folder import WindowRecord  # the windows.jsonl line; imported from here too
from laps.gates.config import GatesConfig
from laps.types import Latents, WindowStatus
from laps.window.builder import OpenWindow, TrackedWindow

logger = logging.getLogger(__name__)

GAP_OUTCOME = "gap"  # the outcome of a window cut by a stream gap (beside WindowStatus values)


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
    proxy: float | None = None  # velocity energy of the window (None when failed)


@dataclass(frozen=True, slots=True)
class Gated:
    """A window after its gates: whether the encoder must see it."""

    tracked: TrackedWindow
    pre: GateResult | None
    motion: GateResult | None
    encode: bool
    t_gate_s: float


def gate_window(
    tw: TrackedWindow,
    pre: GateResult | None,
    gates: GatesConfig,
    energy: EnergyConfig,
    has_encoder: bool,
) -> Gated:
    """Apply the motion gate (the pre-gate result comes in) and decide on encoding."""
    t0 = time.perf_counter()
    if pre is not None and pre.dropped:
        return Gated(tw, pre, None, False, time.perf_counter() - t0)
    vel = tw.window.velocities
    mg = motion_gate(vel, gates.motion_gate) if gates.motion_gate.enabled else None
    zeroed = mg is not None and mg.dropped and energy.source is not EnergySource.VELOCITY
    return Gated(tw, pre, mg, has_encoder and not zeroed, time.perf_counter() - t0)


def score_window(
    g: Gated, latents: Latents | str | None, energy: EnergyConfig, t_encode_s: float
) -> Processed:
    """Energy of a gated (and maybe encoded) window. Never raises: a bad window is FAILED."""
    t0 = time.perf_counter()
    try:
        result = _score(g, latents, energy)
    except (LapsError, ValueError, FloatingPointError) as err:
        result = Processed(WindowStatus.FAILED, None, g.pre, g.motion, None, str(err), 0.0)
    if result.outcome is WindowStatus.FAILED:
        logger.warning("window %d failed: %s", g.tracked.window.index, result.error)
    t = g.t_gate_s + t_encode_s + time.perf_counter() - t0
    return replace(result, t_forward_s=t, proxy=_proxy(g, result))


def _proxy(g: Gated, result: Processed) -> float | None:
    """Velocity energy of a window, the calibration proxy.

    0 when pre-gated (as the velocity energy); None for a failed window, or for non-finite
    velocities (which must not fail a window whose target energy may be fine).
    """
    if result.outcome is WindowStatus.FAILED:
        return None
    if result.outcome is WindowStatus.PRE_GATED:
        return 0.0
    try:
        value = velocity_energy(g.tracked.window.velocities)
    except ValueError:
        return None
    return value if np.isfinite(value) else None


def _score(g: Gated, latents: Latents | str | None, energy: EnergyConfig) -> Processed:
    if isinstance(latents, str):
        return Processed(WindowStatus.FAILED, None, g.pre, g.motion, None, latents, 0.0)
    if g.pre is not None and g.pre.dropped:
        return Processed(WindowStatus.PRE_GATED, 0.0, g.pre, None, None, None, 0.0)
    gated = g.motion is not None and g.motion.dropped
    if gated and energy.source is not EnergySource.VELOCITY:
        return Processed(WindowStatus.MOTION_GATED, 0.0, g.pre, g.motion, None, None, 0.0)
    value = window_energy(
        energy.source,
        energy.mode,
        velocities=g.tracked.window.velocities,
        prequant=None if latents is None else latents.prequant,
        quantized=None if latents is None else latents.quantized,
    )
    if not np.isfinite(value):
        raise FloatingPointError(f"energy is not finite ({value})")
    outcome = WindowStatus.MOTION_GATED if gated else WindowStatus.OK
    if latents is None:
        return Processed(outcome, float(value), g.pre, g.motion, None, None, 0.0)
    codes = [int(c) for c in latents.codes]
    return Processed(outcome, float(value), g.pre, g.motion, codes, None, 0.0, latents.quantized)


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
        proxy=res.proxy,
    )


def gap_record(ow: OpenWindow, budget_s: float, why: str) -> WindowRecord:
    """The ``windows.jsonl`` record of a window cut by a stream gap.

    Its frames, samples and times are those it got before the gap; energies, gates, codes
    and timings are empty (NaN timings become null in the file and are left out of the perf
    statistics).
    """
    nan = float("nan")
    return WindowRecord(
        window=ow.index,
        start_frame=ow.frame_indices[0],
        end_frame=ow.frame_indices[-1] + 1,
        start_s=ow.times_s[0],
        end_s=ow.times_s[-1],
        start_sample=ow.samples[0],
        end_sample=ow.samples[-1] + 1,
        outcome=GAP_OUTCOME,
        energy_raw=None,
        energy=None,
        pre_gate=None,
        motion_gate=None,
        codes=None,
        t_track_s=nan,
        t_forward_s=nan,
        t_total_s=nan,
        budget_s=budget_s,
        slack_s=nan,
        status="GAP",
        latency_s=nan,
        error=why,
    )
