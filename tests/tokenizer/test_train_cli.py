"""``laps train`` command: a real dataset folder end to end, errors as one line and exit 2."""

from pathlib import Path

import numpy as np
import typer
from typer.testing import CliRunner

from laps.cli.train import train
from laps.config import load_config
from laps.tokenizer.dataset_manifest import new_manifest, write_manifest
from laps.tokenizer.shards import ShardWriter
from laps.types import Window

from .conftest import GRID, N, T, make_dataset

app = typer.Typer()
app.command()(train)
app.command("noop")(lambda: None)  # two commands, so typer keeps `train` as a subcommand


def _write_dataset(root: Path) -> None:
    """The in-memory synthetic windows, written in the `laps tracks` format (2 videos)."""
    cfg = load_config(None, [f"window.length={T}", "window.stride=2", f"tracking.grid_size={GRID}"])
    ds = make_dataset(2, 10)
    manifest = new_manifest(cfg)
    for v, vid in enumerate(ds.videos):
        folder = root / "shards" / vid
        folder.mkdir(parents=True)
        writer = ShardWriter(folder, vid, T, N)
        for i in np.flatnonzero(ds.video_of == v):
            writer.add(
                Window(
                    index=int(i),
                    samples=np.arange(T, dtype=np.int64),
                    frame_indices=np.arange(T, dtype=np.int64),
                    times_s=np.arange(T) / 10.0,
                    tracks=np.zeros((T, N, 2), np.float32),
                    visible=ds.visible[i],
                    velocities=ds.velocities[i],
                    velocity_scale_px=160.0,
                    frame_size_wh=(427, 320),
                    available_s=0.0,
                )
            )
        files = writer.close()
        manifest["videos"].append(
            {
                "id": vid,
                "status": "done",
                "n_windows": 10,
                "shards": [f"shards/{vid}/{f}" for f in files],
            }
        )
    write_manifest(root, manifest)


def test_train_command_on_a_dataset_folder(tmp_path: Path) -> None:
    _write_dataset(tmp_path / "data")
    out = tmp_path / "run"
    args = ["train", str(tmp_path / "data"), "--out", str(out), "--epochs", "1", "--device", "cpu"]
    res = CliRunner().invoke(app, [*args, "--batch-size", "8", "--quiet"])
    assert res.exit_code == 0, res.output
    assert "trained 1 epochs" in res.output and (out / "best.pt").exists()
    res = CliRunner().invoke(app, [*args, "--epochs", "2", "--resume", "--quiet"])
    assert res.exit_code == 0, res.output
    assert len((out / "metrics.jsonl").read_text().splitlines()) == 2


def test_errors_are_one_line_and_exit_2(tmp_path: Path) -> None:
    res = CliRunner().invoke(app, ["train", str(tmp_path / "missing"), "--out", str(tmp_path)])
    assert res.exit_code == 2
    assert res.output.startswith("error: ") and len(res.output.strip().splitlines()) == 1
    res = CliRunner().invoke(app, ["train", str(tmp_path), "--lr", "-1"])
    assert res.exit_code == 2 and "error: invalid training option: 'lr'" in res.output
