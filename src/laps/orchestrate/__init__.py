"""``laps run``: raw videos to a report, one stage after another, resumable.

Stages: tracks -> train -> calibrate -> segment -> cluster -> eval -> report. Each writes
``OUT/<stage>/`` and a stamp ``OUT/<stage>/.done.json`` (see :mod:`laps.orchestrate.stamps`).
"""

from laps.orchestrate.context import DEFAULT_TRAIN_SECONDS, RunContext
from laps.orchestrate.runner import RunSummary, check_force, headline, run_pipeline
from laps.orchestrate.stages import STAGE_NAMES

__all__ = [
    "DEFAULT_TRAIN_SECONDS",
    "STAGE_NAMES",
    "RunContext",
    "RunSummary",
    "check_force",
    "headline",
    "run_pipeline",
]
