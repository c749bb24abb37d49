"""WindowDataset and open_dataset on datasets written from synthetic windows (no video)."""

import json
from pathlib import Path

import numpy as np
import pyarrow.parquet as pq
import pytest
import torch

from laps.config import load_config
from laps.errors import ConfigError, SchemaVersionError
from laps.tokenizer.dataset import WindowDataset, open_dataset
from laps.tokenizer.dataset_manifest import new_manifest, write_manifest
from laps.tokenizer.shards import ShardWriter, read_shard
from laps.types import Window

T, GRID = 6, 4
N = GRID * GRID
CFG = load_config(None, [f"window.length={T}", "window.stride=2", f"tracking.grid_size={GRID}"])


def _window(rng: np.random.Generator, index: int) -> Window:
    tracks = rng.uniform(0, 100, (T, N, 2)).astype(np.float32)
    visible = rng.random((T, N)) > 0.2
    return Window(
        index=index,
        samples=np.arange(index * 2, index * 2 + T, dtype=np.int64),
        frame_indices=np.arange(index * 6, index * 6 + 3 * T, 3, dtype=np.int64),
        times_s=np.arange(index * 6, index * 6 + 3 * T, 3) / 30.0,
        tracks=tracks,
        visible=visible,
        velocities=rng.normal(0, 0.1, (T - 1, N, 2)).astype(np.float32),
        velocity_scale_px=50.0,
        frame_size_wh=(100, 100),
        available_s=0.0,
    )


def write_synthetic(
    root: Path, counts: dict[str, int], rows_per_shard: int = 4, seed: int = 0
) -> dict[str, list[Window]]:
    """A dataset with ``counts[id]`` random windows per video, in small shards."""
    rng = np.random.default_rng(seed)
    manifest = new_manifest(CFG)
    out = {}
    for vid, m in counts.items():
        folder = root / "shards" / vid
        folder.mkdir(parents=True)
        writer = ShardWriter(folder, vid, T, N, rows_per_shard=rows_per_shard, rows_per_group=3)
        out[vid] = [_window(rng, i) for i in range(m)]
        for w in out[vid]:
            writer.add(w)
        files = writer.close()
        manifest["videos"].append(
            {
                "id": vid,
                "source": f"/videos/{vid}.mp4",
                "status": "done",
                "n_windows": m,
                "shards": [f"shards/{vid}/{f}" for f in files],
            }
        )
    write_manifest(root, manifest)
    return out


def test_shards_roll_over_and_read_back(tmp_path: Path):
    windows = write_synthetic(tmp_path, {"v": 10}, rows_per_shard=4)["v"]
    files = sorted((tmp_path / "shards" / "v").iterdir())
    assert [f.name for f in files] == [f"part-0000{i}.parquet" for i in range(3)]
    assert [pq.ParquetFile(f).metadata.num_rows for f in files] == [4, 4, 2]
    assert pq.ParquetFile(files[0]).metadata.row_group(0).column(6).compression == "ZSTD"
    part = read_shard(files[1], T, N)
    for k, w in enumerate(windows[4:8]):
        np.testing.assert_array_equal(part.velocities[k], w.velocities)
        np.testing.assert_array_equal(part.visible[k], w.visible)
        assert part.index["window"][k] == w.index
        assert part.index["start_frame"][k] == w.frame_indices[0]
        assert part.index["end_frame"][k] == w.frame_indices[-1] + 1
        assert part.index["end_s"][k] == w.times_s[-1]


def test_open_dataset_round_trip(tmp_path: Path):
    windows = write_synthetic(tmp_path, {"a": 5, "b": 7})
    ds = open_dataset(tmp_path)
    assert len(ds) == 12
    assert ds.videos == ["a", "b"]
    assert ds.velocities.shape == (12, T - 1, N, 2) and ds.velocities.dtype == np.float32
    assert ds.visible.shape == (12, T, N) and ds.visible.dtype == np.bool_
    assert ds.velocities.flags.c_contiguous
    np.testing.assert_array_equal(ds.video_of, [0] * 5 + [1] * 7)
    item = ds[6]
    assert item["velocities"].dtype == torch.float32 and item["velocities"].shape == (T - 1, N, 2)
    assert item["visible"].dtype == torch.bool and item["visible"].shape == (T, N)
    assert item["video"] == 1
    np.testing.assert_array_equal(item["velocities"].numpy(), windows["b"][1].velocities)
    np.testing.assert_array_equal(item["visible"].numpy(), windows["b"][1].visible)
    item["velocities"].zero_()  # items are copies
    assert np.abs(ds.velocities[6]).sum() > 0
    assert ds.meta["window_length"] == T and ds.meta["n_points"] == N
    assert ds.summary() == {
        "n_windows": 12,
        "n_videos": 2,
        "videos": {"a": 5, "b": 7},
        "meta": ds.meta,
    }
    np.testing.assert_array_equal(ds.window_info["window"], list(range(5)) + list(range(7)))


def test_max_windows(tmp_path: Path):
    write_synthetic(tmp_path, {"a": 5, "b": 7})
    ds = open_dataset(tmp_path, max_windows=7)
    assert len(ds) == 7
    assert ds.summary()["videos"] == {"a": 5, "b": 2}
    with pytest.raises(ConfigError, match="max_windows: expected an integer >= 1"):
        open_dataset(tmp_path, max_windows=0)


def test_torch_dataloader_batches(tmp_path: Path):
    write_synthetic(tmp_path, {"a": 5})
    loader = torch.utils.data.DataLoader(open_dataset(tmp_path), batch_size=4)
    batch = next(iter(loader))
    assert batch["velocities"].shape == (4, T - 1, N, 2)
    assert batch["video"].tolist() == [0, 0, 0, 0]


def _dataset(counts: list[int]) -> WindowDataset:
    m = sum(counts)
    video_of = np.repeat(np.arange(len(counts)), counts)
    vel = np.arange(m, dtype=np.float32)[:, None, None, None] * np.ones(
        (1, T - 1, N, 2), np.float32
    )
    names = [f"v{i}" for i in range(len(counts))]
    return WindowDataset(vel, np.ones((m, T, N), bool), video_of, names, {"window_length": T})


def test_split_by_video_is_disjoint_deterministic_and_complete():
    ds = _dataset([3, 1, 4, 1, 5, 9, 2])
    train, val = ds.split_by_video(0.3, seed=1)
    assert len(train) + len(val) == len(ds)
    tv, vv = set(train.video_of.tolist()), set(val.video_of.tolist())
    assert not tv & vv
    assert tv | vv == set(range(7))
    assert len(vv) == 2  # round(0.3 * 7)
    seen = np.concatenate([train.velocities[:, 0, 0, 0], val.velocities[:, 0, 0, 0]])
    assert sorted(seen.tolist()) == list(range(len(ds)))
    train2, val2 = ds.split_by_video(0.3, seed=1)
    np.testing.assert_array_equal(val.video_of, val2.video_of)
    np.testing.assert_array_equal(train.velocities, train2.velocities)
    splits = {tuple(sorted(set(ds.split_by_video(0.3, seed=s)[1].video_of))) for s in range(10)}
    assert len(splits) > 1  # the seed matters
    assert train.videos == ds.videos  # indices stay valid


def test_split_edge_cases():
    one = _dataset([6])
    train, val = one.split_by_video(0.2, seed=0)
    assert len(train) == 6 and len(val) == 0
    two = _dataset([2, 3])
    assert len(set(two.split_by_video(0.01, seed=0)[1].video_of)) == 1  # at least one
    assert len(two.split_by_video(0.0, seed=0)[1]) == 0
    with pytest.raises(ConfigError, match=r"expected a value in \[0, 1\), got 1.0"):
        two.split_by_video(1.0, seed=0)


def test_subset_and_shape_errors():
    ds = _dataset([2, 3])
    sub = ds.subset([4, 0])
    assert sub.video_of.tolist() == [1, 0]
    assert sub.velocities[:, 0, 0, 0].tolist() == [4.0, 0.0]
    with pytest.raises(ConfigError, match=r"expected indices in \[0, 5\), got \[0, 5\]"):
        ds.subset([0, 5])
    with pytest.raises(ConfigError, match="visible: expected shape"):
        WindowDataset(ds.velocities, ds.visible[:, :-1], ds.video_of, ds.videos, {})
    with pytest.raises(ConfigError, match="expected indices in"):
        WindowDataset(ds.velocities, ds.visible, ds.video_of + 1, ds.videos, {})


def test_missing_folder_and_manifest(tmp_path: Path):
    with pytest.raises(ConfigError, match="dataset folder not found.*run `laps tracks"):
        open_dataset(tmp_path / "nope")
    with pytest.raises(ConfigError, match="no dataset.json in .*not a window dataset"):
        open_dataset(tmp_path)


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("{not json", "not readable JSON"),
        ("[1, 2]", "expected a JSON object, got list"),
        ('{"schema_version": 1, "meta": {}, "videos": []}', "meta.window_length: expected int"),
    ],
)
def test_corrupt_manifest(tmp_path: Path, text: str, fragment: str):
    (tmp_path / "dataset.json").write_text(text)
    with pytest.raises(ConfigError, match="corrupt dataset manifest") as info:
        open_dataset(tmp_path)
    assert fragment in str(info.value)


def test_schema_version_mismatch(tmp_path: Path):
    write_synthetic(tmp_path, {"a": 2})
    data = json.loads((tmp_path / "dataset.json").read_text())
    data["schema_version"] = 99
    (tmp_path / "dataset.json").write_text(json.dumps(data))
    with pytest.raises(SchemaVersionError, match="schema_version 99, this laps reads 1"):
        open_dataset(tmp_path)


def test_empty_dataset(tmp_path: Path):
    write_manifest(tmp_path, new_manifest(CFG))
    with pytest.raises(ConfigError, match="empty dataset: .*run laps tracks first"):
        open_dataset(tmp_path)


def test_damaged_or_mismatched_shards(tmp_path: Path):
    write_synthetic(tmp_path, {"a": 6})
    data = json.loads((tmp_path / "dataset.json").read_text())
    data["videos"][0]["n_windows"] = 5
    (tmp_path / "dataset.json").write_text(json.dumps(data))
    with pytest.raises(ConfigError, match="expected 5 windows"):
        open_dataset(tmp_path)
    shard = tmp_path / "shards" / "a" / "part-00000.parquet"
    shard.write_bytes(shard.read_bytes()[:100])
    with pytest.raises(ConfigError, match="cannot read shard .*part-00000.parquet"):
        open_dataset(tmp_path)


def test_shard_of_another_window_shape_is_refused(tmp_path: Path):
    write_synthetic(tmp_path, {"a": 2})
    with pytest.raises(ConfigError, match="expected \\(format, T, N\\)"):
        read_shard(tmp_path / "shards" / "a" / "part-00000.parquet", T + 1, N)


def test_writer_refuses_a_window_of_another_shape(tmp_path: Path):
    writer = ShardWriter(tmp_path, "v", T + 1, N)
    with pytest.raises(ConfigError, match=r"expected velocities \(6, 16, 2\), got \(5, 16, 2\)"):
        writer.add(_window(np.random.default_rng(0), 0))
    writer.abort()
