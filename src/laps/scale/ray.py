"""The Ray executor: one Ray task per video, the tokenizer in a pool of actors.

The only module that imports ``ray`` (an optional extra: ``pip install 'laps[dist]'``).
Video tasks decode, track, segment and write on CPUs; they send their windows to tokenizer
actors (one per GPU when the cluster has GPUs, else one on CPU). An actor gathers the
requests that arrive within a few milliseconds from different videos into one forward pass,
so a GPU sees large batches even though each video sends its windows as it makes them.
Outputs go to ``OUT`` as written by the tasks: on a multi-machine cluster ``OUT`` must be on
storage every node mounts at the same path.
"""

from __future__ import annotations

import asyncio
import logging
import os
import socket
import tempfile
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

from laps.errors import ConfigError
from laps.scale.outcome import Status, VideoOutcome
from laps.scale.plan import BatchItem
from laps.scale.task import JobSpec, run_item
from laps.types import Latents
from laps.video.threads import limit_codec_threads

os.environ.setdefault("RAY_USAGE_STATS_ENABLED", "0")  # never phone home
try:
    import ray
except ImportError:  # pragma: no cover - depends on the install
    ray = None  # type: ignore[assignment]

logger = logging.getLogger(__name__)

_GATHER_S = 0.005  # how long an actor waits for other videos' windows before a forward


class TokenizerActor:
    """Holds the tokenizer; batches concurrent ``encode`` calls from many videos."""

    def __init__(self, checkpoint: bytes, device: str) -> None:
        from laps.tokenizer.inference import TokenizerEncoder  # noqa: PLC0415 -- torch

        with tempfile.TemporaryDirectory() as tmp:  # the blob travels by the object store
            path = Path(tmp) / "tokenizer.pt"
            path.write_bytes(checkpoint)
            self.encoder, _ = TokenizerEncoder.from_checkpoint(path, device)
        self._waiting: list[tuple[NDArray[np.float32], asyncio.Future[list[Latents]]]] = []
        self._forward = ThreadPoolExecutor(1)  # one forward at a time, off the event loop
        self.calls = self.batches = self.windows = 0

    async def encode(self, velocities: NDArray[np.float32]) -> list[Latents]:
        """Latents of a video's windows, computed in a batch with other videos' windows."""
        loop = asyncio.get_running_loop()
        future: asyncio.Future[list[Latents]] = loop.create_future()
        self._waiting.append((velocities, future))
        self.calls += 1
        if len(self._waiting) == 1:
            loop.create_task(self._flush_soon())
        return await future

    async def _flush_soon(self) -> None:
        await asyncio.sleep(_GATHER_S)
        waiting, self._waiting = self._waiting, []
        batch = np.concatenate([v for v, _ in waiting])
        loop = asyncio.get_running_loop()
        try:
            out = await loop.run_in_executor(self._forward, self.encoder.encode_batch, batch)
        except Exception as err:  # noqa: BLE001 -- handed to every caller of this batch
            for _, future in waiting:
                future.set_exception(err)
            return
        self.batches += 1
        self.windows += len(batch)
        start = 0
        for velocities, future in waiting:
            future.set_result(out[start : start + len(velocities)])
            start += len(velocities)

    def stats(self) -> dict[str, Any]:
        """Calls, forward passes and windows so far (cross-video batching at work)."""
        return {"calls": self.calls, "batches": self.batches, "windows": self.windows}

    def param_count(self) -> int:
        """The tokenizer's parameter count."""
        return int(self.encoder.param_count)


class ActorEncoder:
    """A :class:`laps.pipeline.encode.WindowEncoder` that sends windows to a tokenizer actor."""

    def __init__(self, actor: Any, param_count: int) -> None:
        self.actor, self.param_count = actor, param_count

    def encode_batch(self, velocities: NDArray[np.float32]) -> list[Latents]:
        """Encode on the actor (blocks this video's task until its windows are back)."""
        return list(ray.get(self.actor.encode.remote(velocities)))


def _video_task(
    item: BatchItem,
    job: JobSpec,
    attempt: int,
    actor: Any,
    info: dict[str, Any] | None,
    log_level: int,
) -> VideoOutcome:
    import cv2  # noqa: PLC0415 -- in the Ray worker

    cv2.setNumThreads(1)  # one task per CPU
    limit_codec_threads(1)
    logging.getLogger("laps").setLevel(log_level)  # the driver's --quiet / --debug
    encoder = None if actor is None else ActorEncoder(actor, int(info["param_count"]))  # type: ignore[index]
    return run_item(item, job, attempt, encoder, info)


class RayExecutor:
    """Runs each video as a Ray task; starts (or joins) Ray and the tokenizer actors.

    Args:
        job: the batch's job spec.
        address: ``local`` to start Ray on this machine, else a cluster address
            (``auto``, ``HOST:PORT`` or ``ray://HOST:PORT``).
        cpus: CPUs of a local Ray instance (0: all of this machine's).
    """

    def __init__(self, job: JobSpec, address: str, cpus: int) -> None:
        if ray is None:
            raise ConfigError(
                "--ray needs the optional Ray dependency; install it with "
                "pip install 'laps[dist]' (or pip install 'ray>=2.40')"
            )
        self.job = job
        self._started = _connect(address, cpus)
        self._task = ray.remote(num_cpus=1, max_retries=0)(_video_task)
        self.actors, self.info = self._start_actors()
        self._pending: dict[Any, tuple[BatchItem, int]] = {}
        self._next = 0

    def _start_actors(self) -> tuple[list[Any], dict[str, Any] | None]:
        path = self.job.checkpoint
        if path is None:
            return [], None
        from laps.tokenizer.loading import file_sha256  # noqa: PLC0415

        gpus = int(ray.cluster_resources().get("GPU", 0))
        n, options = (gpus, {"num_gpus": 1, "num_cpus": 1}) if gpus else (1, {"num_cpus": 0})
        device = "cuda" if gpus else "cpu"
        blob = ray.put(path.read_bytes())
        remote = ray.remote(TokenizerActor).options(max_concurrency=1000, **options)
        actors: list[Any] = [remote.remote(blob, device) for _ in range(n)]
        count = int(ray.get(actors[0].param_count.remote()))
        logger.info("tokenizer on %d %s actor(s)", n, "GPU" if gpus else "CPU")
        info = {"path": str(path), "sha256": file_sha256(path), "param_count": count}
        return actors, info | {"device": device, "actors": n}

    def submit(self, item: BatchItem, attempt: int) -> None:
        """Start a video's task (actors are assigned round robin)."""
        actor = self.actors[self._next % len(self.actors)] if self.actors else None
        self._next += 1
        level = logging.getLogger("laps").getEffectiveLevel()
        ref = self._task.remote(item, self.job, attempt, actor, self.info, level)
        self._pending[ref] = (item, attempt)

    def completed(self) -> Iterator[VideoOutcome]:
        """Yield outcomes as tasks finish; a lost task (dead worker or node) is retryable."""
        while self._pending:
            ready, _ = ray.wait(list(self._pending), num_returns=1)
            item, attempt = self._pending.pop(ready[0])
            try:
                yield ray.get(ready[0])
            except ray.exceptions.RayError as err:
                reason = f"its Ray worker was lost ({type(err).__name__})"
                logger.warning("%s: %s", item.display, reason)
                yield VideoOutcome(
                    item.name, item.display, Status.FAILED, attempt, reason, retryable=True,
                    line=f"{item.name}: FAILED: {reason}",
                )  # fmt: skip

    def actor_stats(self) -> list[dict[str, Any]]:
        """Per tokenizer actor: calls, forward passes, windows."""
        return [ray.get(a.stats.remote()) for a in self.actors]

    def close(self) -> None:
        """Log the actors' batching, stop them, and stop Ray if this executor started it."""
        for stats in self.actor_stats() if self.actors else []:
            logger.info("tokenizer actor: %s", stats)
        for actor in self.actors:
            ray.kill(actor)
        for ref in self._pending:
            ray.cancel(ref, force=True)
        if self._started:
            ray.shutdown()


def _connect(address: str, cpus: int) -> bool:
    """Join or start Ray; True when this call started it (and must stop it)."""
    if ray.is_initialized():
        return False
    kwargs: dict[str, Any] = {"include_dashboard": False, "log_to_driver": True}
    if address == "local":
        kwargs |= {"num_cpus": cpus or os.cpu_count(), "object_store_memory": 300 * 2**20}
        ray.init(**kwargs)
    else:
        _check_reachable(address)
        try:
            ray.init(address=address, **kwargs)
        except (ConnectionError, RuntimeError, ValueError) as err:
            raise ConfigError(
                f"cannot join the Ray cluster at {address}: {err}; start it with `ray start "
                "--head` or pass --ray without an address to run Ray on this machine"
            ) from err
    return True


def _check_reachable(address: str) -> None:
    """Fail in seconds on a dead HOST:PORT (Ray itself retries its connection for minutes)."""
    host, sep, port = address.removeprefix("ray://").rpartition(":")
    if not sep or not port.isdigit():
        return  # "auto" and other forms: Ray resolves and reports them itself
    try:
        socket.create_connection((host, int(port)), timeout=5).close()
    except OSError as err:
        raise ConfigError(
            f"cannot reach the Ray cluster at {address} ({err.strerror or err}); check the "
            "address (the head's `ray start --head` prints it) or pass --ray to run Ray here"
        ) from None


def _track_task(job: Any, root: Path, cfg: Any) -> dict[str, Any]:
    import cv2  # noqa: PLC0415 -- in the Ray worker

    from laps.tokenizer.extract import run_job  # noqa: PLC0415

    cv2.setNumThreads(1)
    limit_codec_threads(1)
    return run_job(job, root, cfg)


def track_on_ray(
    jobs: list[Any], root: Path, cfg: Any, address: str, cpus: int
) -> Iterator[dict[str, Any]]:
    """``laps tracks --ray``: one Ray task per video; dataset entries as videos finish.

    Only the caller writes ``dataset.json``; a task writes its video's shard folder.
    """
    if ray is None:
        raise ConfigError("--ray needs the optional Ray dependency: pip install 'laps[dist]'")
    from laps.tokenizer.extract import failed_entry  # noqa: PLC0415

    started = _connect(address, cpus)
    task = ray.remote(num_cpus=1, max_retries=2)(_track_task)  # Ray reruns a lost worker's task
    try:
        pending = {task.remote(job, root, cfg): job for job in jobs}
        while pending:
            ready, _ = ray.wait(list(pending), num_returns=1)
            job = pending.pop(ready[0])
            try:
                yield ray.get(ready[0])
            except ray.exceptions.RayError as err:
                yield failed_entry(job, f"its Ray worker was lost ({type(err).__name__})")
    finally:
        if started:
            ray.shutdown()
