"""Many videos at once: local worker processes or a Ray cluster, resumable, with a job summary.

``run_batch`` plans the videos (stable output names, finished ones skipped), runs the rest on
an executor (in this process, on ``N`` spawned processes, or as Ray tasks with the tokenizer
in a pool of actors), retries what may succeed on a second try, and writes
``OUT/job_summary.json``. Outputs have the same layout as a single ``laps segment`` run.
"""

from laps.scale.batch import BatchOptions, run_batch
from laps.scale.inputs import batch_sources, read_source_list
from laps.scale.outcome import VideoOutcome
from laps.scale.summary import JobSummary

__all__ = [
    "BatchOptions",
    "JobSummary",
    "VideoOutcome",
    "batch_sources",
    "read_source_list",
    "run_batch",
]
