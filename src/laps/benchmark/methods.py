"""The rows of the accuracy benchmark, declared in one place: :data:`ROWS`.

How to add a row: append one line to :data:`ROWS` with a factory and a unique key (the key
is what ``--methods`` and RESULTS.json use, the label what the tables show). For a laps
configuration, describe its runs with a :class:`RunSpec` (a folder tag under
``WORK/runs/``, pipeline overrides, ``learned=True`` when it uses the tokenizer) and pick
how its segments are cut:

- ``pipeline_method(key, label, spec)``: the run's own segments, nothing fitted, e.g.
  ``pipeline_method("laps_content", "laps content segmenter",
  RunSpec("content", ("segment.method=content",), learned=True))``;
- ``change_method`` / ``energy_method``: re-cut the run's scores / energy at a threshold
  fitted on the train split (``"supervised"``), or the pseudo-label / default threshold.

Anything fitted (threshold, level, period, K) sees the train split only; every row is
scored on the test split by the same evaluator (``results.py``).
"""

from __future__ import annotations

from laps.benchmark.baseline_methods import feature_method, flow_method, periodic_method
from laps.benchmark.content_method import content_method
from laps.benchmark.context import Context, Method, MethodResult
from laps.benchmark.laps_methods import change_method, energy_method, pipeline_method
from laps.benchmark.oracle_method import HAND_SPEED_LABEL, hand_speed_method
from laps.benchmark.runs import RunSpec

__all__ = ["METHODS", "ROWS", "Context", "Method", "MethodResult", "RunSpec", "pipeline_method"]

# The reference's streaming defaults (laps_method.md 3.13), pinned so that changing ours
# never changes this row.
REFERENCE = (
    "segment.method=hysteresis",
    "segment.max_duration_seconds=2.0",
    "segment.hysteresis_ratio=0.95",
    "segment.up_count=2",
    "segment.down_count=2",
    "segment.cooldown_windows=1",
    "gates.pre_gate.enabled=true",
    "gates.pre_gate.min_active_ratio=0.05",
    "gates.motion_gate.enabled=true",
    "gates.motion_gate.min_active_ratio=0.025",
    "energy.source=quantized",
    "energy.mode=token_diff_l2_mean",
)

# The runs every laps row reads: the change segmenter's scores and, from the same windows,
# the energy the hysteresis rows segment. Pinned, so changing defaults reuses no stale run.
CHANGE = (
    "segment.method=change",
    "segment.change_threshold=0.05",  # the runs' own cut; rows re-cut at their threshold
    "gates.pre_gate.enabled=false",
    "gates.motion_gate.enabled=false",
)
LEARNED = RunSpec("learned", CHANGE, learned=True)
# The content segmenter's runs: the default method's meter, decisions re-made per row.
CONTENT = RunSpec("content", ("segment.method=content", *CHANGE[2:]))
VELOCITY = RunSpec("velocity", ("energy.source=velocity", *CHANGE))
REFERENCE_RUNS = RunSpec("reference", REFERENCE, learned=True)

ROWS: tuple[Method, ...] = (
    content_method("laps_content", "laps content: idle + evidence-scaled change points, "
                   "decisions fitted on train", CONTENT, "supervised"),
    content_method("laps_content_default", "laps content, default parameters (no "
                   "calibration)", CONTENT, "default"),
    change_method("laps", "laps default: change points of learned latents, threshold fitted "
                  "on train", LEARNED, "supervised"),
    change_method("laps_uncalibrated", "laps default, default threshold (no calibration)",
                  LEARNED, "default"),
    change_method("laps_velocity", "laps default without a tokenizer: change points of "
                  "velocities", VELOCITY, "supervised"),
    energy_method("laps_hysteresis", "learned energy + hysteresis, threshold fitted on train",
                  LEARNED, "supervised"),
    energy_method("laps_pseudo", "learned energy + hysteresis, pseudo-label threshold",
                  LEARNED, "pseudo_label"),
    energy_method("reference", "reference configuration (2 s max, pseudo-label)",
                  REFERENCE_RUNS, "pseudo_label"),
    energy_method("velocity", "velocity energy + hysteresis, threshold fitted on train",
                  VELOCITY, "supervised"),
    flow_method(),
    feature_method("abd", "ABD on HOF features"),
    feature_method("twfinch", "TW-FINCH on HOF features"),
    periodic_method("periodic", "periodic (train median length)", None),
    periodic_method("periodic_2s", "periodic 2 s", 2.0),
    Method("hand_speed", HAND_SPEED_LABEL, hand_speed_method),
)  # fmt: skip

METHODS: dict[str, Method] = {m.key: m for m in ROWS}
if len(METHODS) != len(ROWS):  # pragma: no cover - a declaration error, caught at import
    raise RuntimeError("benchmark rows: expected unique keys, got a duplicate in ROWS")
