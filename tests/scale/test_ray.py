"""Ray on this machine: the same segments as a single-process run, tokenizer actors included."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from laps.config import PipelineConfig, load_config
from laps.scale import BatchOptions, run_batch
from laps.tokenizer.loading import load_tokenizer

ray = pytest.importorskip("ray", reason="the optional Ray extra is not installed")
SHIPPED = Path(__file__).parents[2] / "src" / "laps" / "tokenizer" / "assets" / "suite1_small.pt"
pytestmark = pytest.mark.timeout(300)


@pytest.fixture(scope="module")
def ray_local() -> Iterator[None]:
    """A local Ray instance capped for CI (2 CPUs, 300 MB object store, no dashboard)."""
    os.environ["RAY_USAGE_STATS_ENABLED"] = "0"
    ray.init(num_cpus=2, num_gpus=0, object_store_memory=300 * 2**20, include_dashboard=False)
    yield
    ray.shutdown()


def _segments(out: Path) -> dict[str, str]:
    return {p.parent.name: p.read_text() for p in sorted(out.glob("v*/segments.jsonl"))}


@pytest.mark.parametrize("with_tokenizer", [False, True])
def test_ray_gives_the_single_process_segments(
    ray_local: None, tmp_path: Path, four_videos: Path, fast_cfg: PipelineConfig,
    with_tokenizer: bool,
) -> None:  # fmt: skip
    specs = sorted(str(p) for p in four_videos.glob("*.mp4"))
    tokenizer = load_tokenizer(SHIPPED, "cpu") if with_tokenizer else None
    cfg = fast_cfg
    if tokenizer is not None:
        cfg = load_config(None, ["video.resize_shorter=120", "export.clips=false"],
                          base=tokenizer.layer)  # fmt: skip
    local = run_batch(specs, tmp_path / "local", cfg, BatchOptions(), tokenizer)
    on_ray = run_batch(specs, tmp_path / "ray", cfg, BatchOptions(ray="local"), tokenizer)
    assert local.totals()["done"] == on_ray.totals()["done"] == 4
    assert len(_segments(tmp_path / "ray")) == 4
    assert _segments(tmp_path / "ray") == _segments(tmp_path / "local")
    manifest = json.loads((tmp_path / "ray" / "v0" / "manifest.json").read_text())
    if with_tokenizer:
        assert manifest["checkpoint"]["sha256"] == tokenizer.info["sha256"]  # type: ignore[union-attr]
        assert manifest["checkpoint"]["actors"] == 1
    workers = {o.worker for o in on_ray.outcomes}
    assert all(str(os.getpid()) not in w for w in workers)  # the videos ran in Ray workers
    again = run_batch(specs, tmp_path / "ray", cfg, BatchOptions(ray="local"), tokenizer)
    assert again.totals()["skipped"] == 4  # the Ray run's records resume like a local one


def _dataset_rows(root: Path) -> dict[str, list[dict[str, object]]]:
    import pyarrow.parquet as pq

    doc = json.loads((root / "dataset.json").read_text())
    return {
        e["id"]: [r for rel in e["shards"] for r in pq.read_table(root / rel).to_pylist()]
        for e in doc["videos"]
    }


def test_tracks_on_ray_equal_the_local_dataset(
    ray_local: None, tmp_path: Path, four_videos: Path, fast_cfg: PipelineConfig
) -> None:
    from laps.scale.tracks import remote_for
    from laps.tokenizer.build import build_dataset

    specs = sorted(str(p) for p in four_videos.glob("*.mp4"))
    local = build_dataset(specs, tmp_path / "local", fast_cfg)
    on_ray = build_dataset(specs, tmp_path / "ray", fast_cfg, workers=0, remote=remote_for("local"))
    assert local.n_windows_total == on_ray.n_windows_total > 0
    assert _dataset_rows(tmp_path / "ray") == _dataset_rows(tmp_path / "local")


def test_an_unreachable_cluster_address_fails_in_seconds() -> None:
    from laps.errors import ConfigError
    from laps.scale.ray import _check_reachable

    with pytest.raises(ConfigError, match="cannot reach the Ray cluster at 127.0.0.1:1"):
        _check_reachable("127.0.0.1:1")
    with pytest.raises(ConfigError, match="ray://127.0.0.1:1"):
        _check_reachable("ray://127.0.0.1:1")
    _check_reachable("auto")  # resolved by Ray itself
