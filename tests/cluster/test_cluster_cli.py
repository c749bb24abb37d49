"""``laps cluster`` end to end on a real tokenized run, and its one-line errors."""

import json
import shutil
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

from cli_checks import assert_one_error_line
from laps.cli import app

runner = CliRunner()
CKPT = Path(__file__).parents[2] / "src/laps/tokenizer/assets/suite1_small.pt"
SEG = ["--checkpoint", str(CKPT)]


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory, motion_video: Path) -> Path:
    """OUT folder with one tokenized run (latents exported, clips cut) of the motion video."""
    out = tmp_path_factory.mktemp("runs")
    args = ["segment", str(motion_video), "--out", str(out), *SEG, "--set", "export.latents=true"]
    res = runner.invoke(app, args)
    assert res.exit_code == 0, res.output
    return out


@pytest.fixture(scope="module")
def gt_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Hand-made ground truth for the motion video: the patch moves in [2, 5) and [7, 10) s."""
    gt = tmp_path_factory.mktemp("gt")
    spans = [(0, 2, "still"), (2, 5, "move"), (5, 7, "still"), (7, 10, "move"), (10, 12, "still")]
    segments = [{"start_sec": a, "end_sec": b, "label": lab} for a, b, lab in spans]
    (gt / "motion.json").write_text(json.dumps({"video": "motion.mp4", "segments": segments}))
    return gt


def _cluster(*args: str):
    return runner.invoke(app, ["cluster", *args])


@pytest.mark.parametrize("embedding", ["frozen", "codes", "mean"])
def test_cluster_end_to_end(runs: Path, gt_dir: Path, tmp_path: Path, embedding: str) -> None:
    out = tmp_path / "clusters"
    args = [str(runs), "--out", str(out), "--embedding", embedding, "--k-range", "2..4"]
    res = _cluster(*args, "--gt", str(gt_dir))
    assert res.exit_code == 0, res.output
    doc = json.loads((out / "clusters.json").read_text())
    assert 2 <= doc["k"] <= 4
    assert doc["k_selected_by"] == "silhouette"
    assert set(doc["metrics"]) == {"silhouette", "calinski_harabasz", "davies_bouldin"}
    assert sum(c["size"] for c in doc["clusters"]) == doc["n_segments"]
    for c in doc["clusters"]:
        assert 1 <= len(c["representatives"]) <= 3
        assert all(Path(r["clip"]).is_file() for r in c["representatives"])
    gt = doc["ground_truth"]
    assert (
        set(gt["clusters"]) == set(gt["random_baseline"]) - {"repeats"} == {"nmi", "ari", "purity"}
    )
    table = pq.read_table(out / "segments.parquet")
    assert table.num_rows == doc["n_segments"]
    assert {"video", "segment_id", "start_s", "end_s", "cluster", "embedding", "map_x"} <= set(
        table.column_names
    )
    assert set(table.column("cluster").to_pylist()) == set(range(doc["k"]))
    assert len(table.column("embedding")[0].as_py()) == doc["embedding_dim"]
    assert (out / "map.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_fixed_k_same_seed_same_result(runs: Path, tmp_path: Path) -> None:
    docs = []
    for name in ("a", "b"):
        res = _cluster(str(runs / "motion"), "--out", str(tmp_path / name), "--k", "2")
        assert res.exit_code == 0, res.output
        docs.append(pq.read_table(tmp_path / name / "segments.parquet").to_pydict())
    assert docs[0] == docs[1]
    assert json.loads((tmp_path / "a/clusters.json").read_text())["k"] == 2


def test_no_run_folders(tmp_path: Path) -> None:
    assert_one_error_line(_cluster(str(tmp_path), "--out", str(tmp_path / "o")), "laps segment")


def test_fewer_segments_than_k(runs: Path, tmp_path: Path) -> None:
    res = _cluster(str(runs), "--out", str(tmp_path / "o"), "--k", "500")
    assert_one_error_line(res, "expected at least K=500 segments")


def test_bad_k_range(runs: Path, tmp_path: Path) -> None:
    res = _cluster(str(runs), "--out", str(tmp_path / "o"), "--k-range", "9..3")
    assert_one_error_line(res, "--k-range: expected LO..HI")


def test_no_segments(runs: Path, tmp_path: Path) -> None:
    run = tmp_path / "run"
    shutil.copytree(runs / "motion", run)
    (run / "segments.jsonl").write_text("")
    assert_one_error_line(_cluster(str(run), "--out", str(tmp_path / "o")), "got 0")


@pytest.mark.parametrize("embedding", ["frozen", "mean"])
def test_latent_embeddings_need_latents(runs: Path, tmp_path: Path, embedding: str) -> None:
    run = tmp_path / "run"
    shutil.copytree(runs / "motion", run)
    (run / "latents.npz").unlink()
    res = _cluster(str(run), "--out", str(tmp_path / "o"), "--embedding", embedding)
    assert_one_error_line(res, "--set export.latents=true")
