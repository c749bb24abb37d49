"""One video of a batch, run wherever the executor put it: segment, then record completion."""

from __future__ import annotations

import logging
import os
import socket
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from laps.config import PipelineConfig
from laps.errors import LapsError, VideoDecodeError, VideoOpenError
from laps.pipeline.encode import WindowEncoder
from laps.pipeline.run import RunObserver, RunResult, segment_source
from laps.scale.ledger import Ledger
from laps.scale.outcome import Status, VideoOutcome
from laps.scale.plan import BatchItem, file_stamp
from laps.video.spec import SpecKind, parse_spec, scrub

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class JobSpec:
    """What every worker needs to run any video of the batch (picklable).

    Attributes:
        out: the output folder (shared storage when workers run on other machines).
        cfg: the resolved pipeline config.
        settings: the fingerprint of config, checkpoint and pacing (see ``plan.fingerprint``).
        live: pacing (None: by source kind).
        checkpoint: the tokenizer checkpoint, loaded by each worker (None: no tokenizer).
        device: the tokenizer device.
    """

    out: Path
    cfg: PipelineConfig
    settings: str
    live: bool | None = None
    checkpoint: Path | None = None
    device: str = "auto"


def run_item(
    item: BatchItem,
    job: JobSpec,
    attempt: int,
    encoder: WindowEncoder | None = None,
    checkpoint_info: dict[str, Any] | None = None,
    observer: RunObserver | None = None,
    raise_errors: bool = False,
) -> VideoOutcome:
    """Segment one video into ``job.out/<item.name>/`` and record its completion.

    Errors become a failed outcome with the reason (credentials scrubbed); with
    ``raise_errors`` (``--debug``) they propagate instead.
    """
    t0 = time.perf_counter()
    ledger = Ledger(job.out)
    base: dict[str, Any] = {"name": item.name, "source": item.display, "attempts": attempt}
    base["worker"] = _worker()
    try:
        ledger.forget(item)  # a redo that dies must not leave an old record claiming done
        stamp = file_stamp(item.spec)  # before reading: a file changed meanwhile is redone
        result = segment_source(
            item.spec, job.out, job.cfg, live=job.live, name=item.name, observer=observer,
            encoder=encoder, checkpoint=checkpoint_info,
        )  # fmt: skip
        wall = time.perf_counter() - t0
        done = VideoOutcome(**base, status=Status.DONE, wall_s=wall, **_counts(result))
        extra = {"finished_at": time.time(), "stamp": stamp}
        ledger.record(item, job.settings, extra | done.to_dict())
    except LapsError as err:
        if raise_errors:
            raise
        reason = scrub(str(err), item.spec, item.display)
        return _failed(base, reason, _retryable(err, item), time.perf_counter() - t0)
    except Exception as err:  # noqa: BLE001 -- any bug in one video must not end the batch
        if raise_errors:
            raise
        logger.debug("%s failed", item.display, exc_info=True)
        reason = scrub(f"{type(err).__name__}: {err}", item.spec, item.display)
        return _failed(base, reason, True, time.perf_counter() - t0)
    return done


def _counts(result: RunResult) -> dict[str, Any]:
    return {
        "n_windows": result.n_windows,
        "n_failed_windows": result.n_failed_windows,
        "n_segments": len(result.segments),
        "frames_sampled": int(result.perf.get("frames_sampled", 0)),
        "duration_s": result.info.duration_s,
        "line": describe(result),
    }


def _failed(base: dict[str, Any], reason: str, retryable: bool, wall: float) -> VideoOutcome:
    line = f"{base['name']}: FAILED: {reason}"
    return VideoOutcome(
        **base, status=Status.FAILED, reason=reason, retryable=retryable, wall_s=wall, line=line
    )


def _retryable(err: LapsError, item: BatchItem) -> bool:
    """A network source may come back; a bad file, a bad config or a full disk will not."""
    network = parse_spec(item.spec).kind is not SpecKind.FILE
    return network and isinstance(err, VideoOpenError | VideoDecodeError)


def _worker() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def describe(result: RunResult) -> str:
    """One line per finished source."""
    p = result.perf
    return (
        f"{result.name}: {len(result.segments)} segments, {result.n_windows} windows "
        f"({result.n_failed_windows} failed), threshold {result.threshold.value:.4g} "
        f"[{result.threshold.method}], {p['sampled_fps']:.1f} sampled frames/s, "
        f"ok_ratio {p['ok_ratio']:.3f} -> {result.out_dir}"
    )
