"""``laps tracks`` on a Ray cluster: the window dataset build with its videos as Ray tasks.

:func:`laps.tokenizer.build.build_dataset` runs videos in this machine; given a Ray address,
this one hands it :func:`laps.scale.ray.track_on_ray` as its remote executor. The tokenizer
package never imports ``laps.scale`` (package imports form a DAG, docs/ARCHITECTURE.md).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from laps.config import PipelineConfig
from laps.tokenizer.build import RemoteExecutor
from laps.tokenizer.extract import VideoJob


def remote_for(ray: str | None) -> RemoteExecutor | None:
    """The remote executor for a Ray address (``local``: Ray on this machine); None: no Ray."""
    return None if ray is None else on_ray(ray)


def on_ray(address: str) -> RemoteExecutor:
    """A remote executor that runs each video as a Ray task at ``address``."""

    def run(
        jobs: list[VideoJob], root: Path, cfg: PipelineConfig, workers: int
    ) -> Iterator[dict[str, Any]]:
        from laps.scale.ray import track_on_ray  # noqa: PLC0415 -- ray is an optional extra

        yield from track_on_ray(jobs, root, cfg, address, workers)

    return run
