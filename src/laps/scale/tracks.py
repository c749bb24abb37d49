"""``laps tracks`` on a Ray cluster: the window dataset build with its videos as Ray tasks.

:func:`laps.tokenizer.build.build_dataset` runs videos in this machine; given a Ray address,
this one hands it :func:`laps.scale.ray.track_on_ray` as its remote executor. The tokenizer
package never imports ``laps.scale`` (package imports form a DAG, docs/ARCHITECTURE.md).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from laps.config import PipelineConfig
from laps.tokenizer import build
from laps.tokenizer.build import BuildObserver, BuildResult, RemoteExecutor
from laps.tokenizer.extract import VideoJob


def build_dataset(
    specs: Sequence[str],
    root: Path,
    cfg: PipelineConfig,
    *,
    workers: int = 1,
    observer: BuildObserver | None = None,
    raise_errors: bool = False,
    ray: str | None = None,
) -> BuildResult:
    """:func:`laps.tokenizer.build.build_dataset`, its videos as Ray tasks when ``ray`` is set.

    Args:
        specs: video files or finite stream URLs.
        root: the dataset folder.
        cfg: the pipeline config; ``cfg.window.stride`` is the extraction stride.
        workers: processes (or, with Ray, CPUs: 0 = all) working on different videos at once.
        observer: receives progress.
        raise_errors: re-raise a video's error instead of recording it as failed.
        ray: the Ray address (``local``: a Ray instance on this machine); None: no Ray.
    """
    remote = None if ray is None else on_ray(ray)
    return build.build_dataset(
        specs, root, cfg, workers=workers, observer=observer, raise_errors=raise_errors,
        remote=remote,
    )  # fmt: skip


def on_ray(address: str) -> RemoteExecutor:
    """A remote executor that runs each video as a Ray task at ``address``."""

    def run(
        jobs: list[VideoJob], root: Path, cfg: PipelineConfig, workers: int
    ) -> Iterator[dict[str, Any]]:
        from laps.scale.ray import track_on_ray  # noqa: PLC0415 -- ray is an optional extra

        yield from track_on_ray(jobs, root, cfg, address, workers)

    return run
