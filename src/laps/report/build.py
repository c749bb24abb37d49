"""``build_report``: the static HTML report of a run folder (docs/ARCHITECTURE.md)."""

from __future__ import annotations

import logging
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from laps.errors import LapsError
from laps.export.layout import commit_dir, discard_dir, stage_dir
from laps.export.run_folder import SegmentRecord
from laps.report.clusters import ClusterSection, read_clusters
from laps.report.evaluation import EvalTable, evaluation_table
from laps.report.perf import PERF_COLUMNS, perf_rows
from laps.report.render import relative_url, render_page
from laps.report.runs import RunData, find_runs, load_run
from laps.report.thumbs import write_thumbnail
from laps.report.timeline import plot_timeline

logger = logging.getLogger(__name__)

MAX_THUMBS = 24
INDEX = "index.html"
ASSETS = "assets"


@dataclass(frozen=True)
class _Paths:
    """Where assets are written (staging) and what links resolve against (the final folder)."""

    staging: Path
    final: Path

    def asset(self, name: str) -> tuple[Path, str]:
        """The file to write for asset ``name`` and its URL in the page."""
        return self.staging / ASSETS / name, f"{ASSETS}/{name}"

    def link(self, target: Path) -> str:
        """URL of a file outside the report (a clip), relative to the final folder."""
        return relative_url(target, self.final)


def _span(seg: SegmentRecord) -> str:
    a, b = seg.start_s, seg.end_s
    return f"{a:.1f}–{b:.1f} s" if math.isfinite(a) and math.isfinite(b) else ""


def _thumbs(run: RunData, index: int, paths: _Paths) -> list[dict[str, Any]]:
    thumbs = []
    for seg in run.segments[:MAX_THUMBS]:
        clip, seg_id = run.clip_path(seg), seg.id
        if clip is None:
            continue
        file, url = paths.asset(f"v{index:03d}_s{seg_id:06d}.jpg")
        if write_thumbnail(clip, file):
            thumbs.append(
                {"id": seg_id, "span": _span(seg), "image": url, "clip": paths.link(clip)}
            )
    return thumbs


def _truth(run: RunData, table: EvalTable | None) -> list[float] | None:
    if table is None:
        return None
    for key in (Path(run.video).stem, run.name):
        if key in table.boundaries:
            return table.boundaries[key]
    return None


def _video(run: RunData, index: int, paths: _Paths, table: EvalTable | None) -> dict[str, Any]:
    truth = _truth(run, table)
    timeline = None
    if len(run.window_end_s) or (run.scores is not None and len(run.scores)):
        file, timeline = paths.asset(f"v{index:03d}_timeline.png")
        plot_timeline(file, run, truth or ())
    return {
        "name": run.name,
        "video": run.video,
        "method": run.method,
        "threshold": f"{run.threshold:.4g}" if math.isfinite(run.threshold) else "unknown",
        "n_segments": len(run.segments),
        "has_truth": truth is not None,
        "timeline": timeline,
        "thumbs": _thumbs(run, index, paths),
    }


def _cluster_context(section: ClusterSection, paths: _Paths) -> dict[str, Any]:
    map_url = None
    if section.map_png is not None:
        file, map_url = paths.asset("cluster_map.png")
        file.write_bytes(section.map_png.read_bytes())
    clusters = []
    for ci, cluster in enumerate(section.clusters):
        thumbs = []
        for ei, ex in enumerate(cluster.examples):
            caption = f"{ex.video} #{ex.segment}" if ex.segment is not None else ex.video
            item: dict[str, Any] = {"caption": caption, "image": None, "clip": None}
            if ex.clip is not None:
                file, url = paths.asset(f"c{ci:03d}_e{ei:02d}.jpg")
                if write_thumbnail(ex.clip, file):
                    item |= {"image": url, "clip": paths.link(ex.clip)}
            thumbs.append(item)
        clusters.append({"ident": cluster.ident, "size": cluster.size, "thumbs": thumbs})
    return {"map": map_url, "metrics": section.metrics, "clusters": clusters}


def build_report(
    run_root: Path, out: Path, gt: Path | None = None, clusters: Path | None = None
) -> Path:
    """Write the static HTML report of the runs under ``run_root`` into ``out``.

    ``out`` is replaced only when the whole report is written (a staging folder beside it
    is swapped in). Links to clips are relative to ``out``, so keep ``out`` and the run
    folder together when moving them.

    Args:
        run_root: a ``laps segment`` output folder (``OUT/<name>/`` per video) or one run.
        out: the report folder to write (``index.html`` and ``assets/``).
        gt: ground-truth folder or file: adds the evaluation table and GT boundaries.
        clusters: a ``laps cluster`` output folder: adds the map and a gallery per cluster.

    Returns:
        The path of ``index.html``.

    Raises:
        LapsError: for a missing or empty ``run_root``, a missing ``gt`` or ``clusters``
            folder, or unreadable ground truth; ``ExportError`` when ``out`` is not writable.
    """
    run_root, out = Path(run_root), Path(out).absolute()
    if clusters is not None and not Path(clusters).is_dir():
        raise LapsError(f"--clusters: expected a folder of `laps cluster`, got {clusters}")
    runs = [load_run(p) for p in find_runs(run_root)]
    table = evaluation_table(run_root, Path(gt)) if gt is not None else None
    section = read_clusters(Path(clusters), run_root) if clusters is not None else None
    staging = stage_dir(out.parent, out.name)
    try:
        paths = _Paths(staging, out)
        (staging / ASSETS).mkdir()
        context = {
            "title": run_root.absolute().name,
            "videos": [_video(run, i, paths, table) for i, run in enumerate(runs)],
            "evaluation": table,
            "gt_name": Path(gt).name if gt is not None else "",
            "perf_columns": PERF_COLUMNS,
            "perf_rows": perf_rows(runs),
            "clusters": _cluster_context(section, paths) if section else None,
            "clusters_name": Path(clusters).name if clusters is not None else "",
        }
        (staging / INDEX).write_text(render_page(context), encoding="utf-8")
    except BaseException:
        discard_dir(staging)
        raise
    commit_dir(staging, out)
    logger.info("report of %d video(s): %s", len(runs), out / INDEX)
    return out / INDEX
