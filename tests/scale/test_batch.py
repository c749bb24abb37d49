"""Batches: worker processes give the single-process result; failures, retries, summary."""

from __future__ import annotations

import json
from collections import deque
from collections.abc import Iterator
from pathlib import Path

import pytest

from laps.config import PipelineConfig
from laps.errors import ConfigError
from laps.scale import BatchOptions, run_batch
from laps.scale.batch import _execute
from laps.scale.outcome import Status, VideoOutcome
from laps.scale.plan import BatchItem, plan_items
from laps.scale.summary import JobSummary


def segments_of(out: Path, names: list[str]) -> dict[str, str]:
    return {n: (out / n / "segments.jsonl").read_text() for n in names}


def test_workers_give_the_single_process_result(
    tmp_path: Path, four_videos: Path, fast_cfg: PipelineConfig
) -> None:
    specs = sorted(str(p) for p in four_videos.glob("*.mp4"))
    one = run_batch(specs, tmp_path / "one", fast_cfg, BatchOptions(workers=1))
    two = run_batch(specs, tmp_path / "two", fast_cfg, BatchOptions(workers=2))
    names = [f"v{i}" for i in range(4)]
    assert segments_of(tmp_path / "one", names) == segments_of(tmp_path / "two", names)
    assert one.totals()["done"] == two.totals()["done"] == 4
    workers = {o.worker for o in two.outcomes}
    assert len(workers) >= 1 and all(":" in w for w in workers)
    doc = json.loads((tmp_path / "two" / "job_summary.json").read_text())
    assert doc["backend"] == "local:2 workers" and doc["totals"]["sampled_fps"] > 0


def test_failed_videos_are_listed_with_reasons_and_the_rest_done(
    tmp_path: Path, four_videos: Path, fast_cfg: PipelineConfig
) -> None:
    empty = tmp_path / "empty.mp4"
    empty.write_bytes(b"")
    specs = [str(four_videos / "v0.mp4"), str(empty), str(tmp_path / "gone.mp4")]
    summary = run_batch(specs, tmp_path / "out", fast_cfg, BatchOptions(workers=2))
    by_name = {o.name: o for o in summary.outcomes}
    assert by_name["v0"].status is Status.DONE
    assert "empty (0 bytes)" in (by_name["empty"].reason or "")
    assert "not found" in (by_name["gone"].reason or "")
    assert by_name["empty"].attempts == 1  # a bad file is never retried
    assert summary.totals() | {"wall_s": 0} == summary.totals() | {
        "wall_s": 0, "done": 1, "failed": 2, "skipped": 0,
    }  # fmt: skip


class _Flaky:
    """An executor whose videos fail ``fails`` times (retryable) before succeeding."""

    def __init__(self, fails: int) -> None:
        self.fails, self.runs = fails, 0
        self.queue: deque[tuple[BatchItem, int]] = deque()

    def submit(self, item: BatchItem, attempt: int) -> None:
        self.queue.append((item, attempt))

    def completed(self) -> Iterator[VideoOutcome]:
        while self.queue:
            item, attempt = self.queue.popleft()
            self.runs += 1
            ok = attempt > self.fails
            status = Status.DONE if ok else Status.FAILED
            reason = None if ok else "worker died"
            yield VideoOutcome(item.name, item.display, status, attempt, reason, not ok)

    def close(self) -> None:
        pass


CASES = [(1, 2, Status.DONE, 2), (2, 2, Status.DONE, 3), (3, 2, Status.FAILED, 3)]


@pytest.mark.parametrize(("fails", "retries", "status", "attempts"), [
    *CASES, (1, 0, Status.FAILED, 1),
])  # fmt: skip
def test_retries_up_to_the_limit(
    tmp_path: Path, fails: int, retries: int, status: Status, attempts: int
) -> None:
    items = plan_items(["/x/a.mp4", "/x/b.mp4"], {})
    summary = JobSummary(tmp_path, "test", 2)
    executor = _Flaky(fails)
    _execute(items, executor, BatchOptions(retries=retries), summary, None)
    assert [(o.status, o.attempts) for o in summary.outcomes] == [(status, attempts)] * 2
    assert executor.runs == 2 * attempts
    assert summary.totals()["retries"] == 2 * (attempts - 1)


@pytest.mark.parametrize("opts", [BatchOptions(workers=0), BatchOptions(retries=-1)])
def test_bad_options(tmp_path: Path, opts: BatchOptions, fast_cfg: PipelineConfig) -> None:
    with pytest.raises(ConfigError, match="expected an integer"):
        run_batch(["/x/a.mp4"], tmp_path, fast_cfg, opts)
