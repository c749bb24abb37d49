"""Outputs of ``laps cluster``: clusters.json, segments.parquet and map.png, written atomically."""

from __future__ import annotations

import io
from dataclasses import asdict
from pathlib import Path
from typing import Any

import matplotlib
import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

from laps.cluster.discover import Discovery
from laps.cluster.kmeans import N_INIT
from laps.cluster.options import ClusterOptions
from laps.errors import ExportError
from laps.export.atomic import write_atomic, write_json_atomic

matplotlib.use("Agg")  # headless: no display on servers and in CI
import matplotlib.pyplot as plt  # noqa: E402

CLUSTERS_JSON = "clusters.json"
SEGMENTS_PARQUET = "segments.parquet"
MAP_PNG = "map.png"


def _representative(d: Discovery, row: int, dist: float) -> dict[str, Any]:
    seg = d.segments[row]
    return {
        "video": seg.video,
        "segment_id": seg.id,
        "start_s": seg.start_s,
        "end_s": seg.end_s,
        "clip": None if seg.clip is None else str(seg.clip),
        "cosine_distance": dist,
    }


def clusters_document(d: Discovery, options: ClusterOptions) -> dict[str, Any]:
    """The content of clusters.json."""
    sizes = np.bincount(d.fit.labels, minlength=d.fit.k)
    return {
        "params": {**asdict(options), "n_init": N_INIT, "map": d.map_method},
        "runs": [str(p) for p in d.run_dirs],
        "n_segments": len(d.segments),
        "embedding_dim": int(d.embeddings.shape[1]),
        "k": d.fit.k,
        "k_selected_by": "given" if options.k is not None else "silhouette",
        "silhouette_by_k": {str(k): v for k, v in d.silhouette_by_k.items()},
        "metrics": d.fit.metrics,
        "clusters": [
            {
                "id": c,
                "size": int(sizes[c]),
                "representatives": [_representative(d, r, dist) for r, dist in reps],
            }
            for c, reps in enumerate(d.representatives)
        ],
        "ground_truth": d.gt,
    }


def segments_table(d: Discovery) -> pa.Table:
    """One row per segment: video, id, times, cluster, embedding, map x/y, clip, GT label."""
    segs = d.segments
    gt = d.gt_labels if d.gt_labels is not None else [None] * len(segs)
    return pa.table(
        {
            "video": pa.array([s.video for s in segs], pa.string()),
            "segment_id": pa.array([s.id for s in segs], pa.int64()),
            "start_s": pa.array([s.start_s for s in segs], pa.float64()),
            "end_s": pa.array([s.end_s for s in segs], pa.float64()),
            "cluster": pa.array(d.fit.labels, pa.int64()),
            "embedding": pa.array(list(d.embeddings.astype(np.float32)), pa.list_(pa.float32())),
            "map_x": pa.array(d.xy[:, 0], pa.float64()),
            "map_y": pa.array(d.xy[:, 1], pa.float64()),
            "clip": pa.array([None if s.clip is None else str(s.clip) for s in segs], pa.string()),
            "gt_label": pa.array(gt, pa.string()),
        }
    )


def map_png(d: Discovery, title: str) -> bytes:
    """The 2-D map as PNG bytes, one colour per cluster."""
    fig, ax = plt.subplots(figsize=(6.4, 5.2), dpi=100)
    try:
        cmap = plt.get_cmap("tab20" if d.fit.k > 10 else "tab10")
        for c in range(d.fit.k):
            pts = d.xy[d.fit.labels == c]
            ax.scatter(pts[:, 0], pts[:, 1], s=14, color=cmap(c % cmap.N), label=f"{c}")
        ax.set_title(title)
        ax.set_xlabel(f"{d.map_method} 1")
        ax.set_ylabel(f"{d.map_method} 2")
        ax.legend(title="cluster", fontsize=7, loc="best", ncol=2 if d.fit.k > 10 else 1)
        buf = io.BytesIO()
        fig.savefig(buf, format="png", bbox_inches="tight")
    finally:
        plt.close(fig)
    return buf.getvalue()


def write_outputs(out_dir: Path, d: Discovery, options: ClusterOptions) -> list[Path]:
    """Write the three outputs into ``out_dir`` (created); returns their paths.

    Raises:
        ExportError: when the folder cannot be created or written.
    """
    out_dir = Path(out_dir)
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise ExportError(f"cannot create {out_dir}: {err.strerror}; pick another --out") from err
    table = segments_table(d)
    write_atomic(out_dir / SEGMENTS_PARQUET, lambda fh: pq.write_table(table, fh))
    title = f"{len(d.segments)} segments, K={d.fit.k}, embedding {options.embedding}"
    png = map_png(d, title)
    write_atomic(out_dir / MAP_PNG, lambda fh: fh.write(png))
    write_json_atomic(out_dir / CLUSTERS_JSON, clusters_document(d, options))
    return [out_dir / n for n in (CLUSTERS_JSON, SEGMENTS_PARQUET, MAP_PNG)]
