"""build_report on a real run: files, links, escaping, evaluation, clusters, atomicity."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from markupsafe import escape

from laps.errors import LapsError
from laps.report import build as build_module
from laps.report import build_report

from .conftest import HOSTILE_DIR, HOSTILE_MEMBER, HOSTILE_VIDEO, RunFixture
from .pagecheck import local_file, page_refs


@pytest.fixture(scope="module")
def full_report(report_run: RunFixture, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("full") / "report"
    return build_report(report_run.out, out, report_run.gt, report_run.clusters)


def test_every_reference_exists_and_is_relative(full_report: Path) -> None:
    refs = page_refs(full_report)
    files = {
        tag: [local_file(full_report, url) for t, url in refs if t == tag] for tag in ("a", "img")
    }
    for path in (p for group in files.values() for p in group):
        assert path is None or path.is_file(), path
    images = [p for p in files["img"] if p is not None]
    # 2 timelines + 2 clip thumbnails + the cluster map + 2 cluster thumbnails
    assert len(images) == 7
    assert sum(p.name.endswith("_timeline.png") for p in images) == 2
    clips = [p for p in files["a"] if p is not None and p.suffix == ".mp4"]
    assert len(clips) == 4 and all(p.parent.parent.name == HOSTILE_DIR for p in clips)
    assert all(p.is_relative_to(full_report.parent) for p in images)  # assets are copied


def test_names_from_data_are_escaped(full_report: Path) -> None:
    text = full_report.read_text(encoding="utf-8")
    for raw in (HOSTILE_DIR, HOSTILE_VIDEO, HOSTILE_MEMBER):
        assert raw not in text
    assert str(escape(HOSTILE_DIR)) in text and str(escape(HOSTILE_VIDEO)) in text
    assert str(escape(HOSTILE_MEMBER)) in text
    assert "<script>alert" not in text and "<b>bold" not in text


def test_evaluation_table_scores_both_videos(full_report: Path) -> None:
    text = full_report.read_text(encoding="utf-8")
    assert 'id="evaluation"' in text
    for key in ("f1@0.5s", "f1@1s", "f1@2s", "mAP@0.5"):
        assert f"<th>{key}</th>" in text
    assert "<td>clipped</td>" in text and str(escape(Path(HOSTILE_VIDEO).stem)) in text
    assert "ground-truth boundaries" in text


def test_cluster_section(full_report: Path) -> None:
    text = full_report.read_text(encoding="utf-8")
    assert 'id="clusters"' in text and "cluster 0 (2 segments)" in text
    assert "<th>metrics.silhouette</th><td>0.41</td>" in text


def test_without_gt_and_clusters_the_sections_are_left_out(
    report_run: RunFixture, tmp_path: Path
) -> None:
    index = build_report(report_run.out, tmp_path / "r")
    text = index.read_text(encoding="utf-8")
    assert 'id="evaluation"' not in text and 'id="clusters"' not in text
    assert 'id="perf"' in text and text.count('class="timeline"') == 2


def test_unreadable_cluster_files_leave_the_section_out(
    report_run: RunFixture, tmp_path: Path
) -> None:
    clusters = tmp_path / "clusters"
    clusters.mkdir()
    (clusters / "clusters.json").write_text("{not json", encoding="utf-8")
    index = build_report(report_run.out, tmp_path / "r", clusters=clusters)
    assert 'id="clusters"' not in index.read_text(encoding="utf-8")
    (clusters / "clusters.json").write_text(json.dumps({"clusters": 3}), encoding="utf-8")
    index = build_report(report_run.out, tmp_path / "r", clusters=clusters)
    assert 'id="clusters"' in index.read_text(encoding="utf-8")  # metrics-less, no gallery


def test_a_failed_build_keeps_the_earlier_report(
    report_run: RunFixture, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "r"
    index = build_report(report_run.out, out)
    before = index.read_text(encoding="utf-8")

    def boom(context: dict) -> str:
        raise RuntimeError("template failed")

    monkeypatch.setattr(build_module, "render_page", boom)
    with pytest.raises(RuntimeError):
        build_report(report_run.out, out)
    assert index.read_text(encoding="utf-8") == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["r"]


@pytest.mark.parametrize("make", ["missing", "empty", "file"])
def test_missing_or_empty_run_folder_is_an_error(tmp_path: Path, make: str) -> None:
    root = tmp_path / "out"
    if make == "empty":
        (root / "stray").mkdir(parents=True)
    elif make == "file":
        root.write_text("x")
    with pytest.raises(LapsError, match="laps segment"):
        build_report(root, tmp_path / "r")
    assert not (tmp_path / "r").exists()
