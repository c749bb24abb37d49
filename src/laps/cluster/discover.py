"""The discovery stage: runs -> segment embeddings -> clusters, map, representatives, GT scores."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

from laps.cluster.embeddings import embed, random_embeddings
from laps.cluster.groundtruth import gt_report, segment_labels
from laps.cluster.kmeans import Clustering, check_k, fit_kmeans, prepare, representatives, select_k
from laps.cluster.layout2d import map_2d
from laps.cluster.options import ClusterOptions
from laps.cluster.runs import SegmentRef, find_run_dirs, read_segments

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Discovery:
    """Everything ``laps cluster`` found.

    Attributes:
        run_dirs: the run folders read.
        segments: every segment, in run then file order.
        embeddings: ``(n, d)`` raw embedding per segment.
        fit: the chosen clustering (on the standardised, L2-normalised embeddings).
        silhouette_by_k: silhouette of every K tried (only K when it was given).
        xy: ``(n, 2)`` map coordinates.
        map_method: ``pca`` or ``umap``.
        representatives: per cluster, (segment row, cosine distance to the centre), closest first.
        gt_labels: majority GT label per segment, when ground truth was given.
        gt: NMI / ARI / purity of the clusters and of the random baseline, when given.
    """

    run_dirs: list[Path]
    segments: list[SegmentRef]
    embeddings: NDArray[np.float32]
    fit: Clustering
    silhouette_by_k: dict[int, float]
    xy: NDArray[np.float64]
    map_method: str
    representatives: list[list[tuple[int, float]]]
    gt_labels: list[str | None] | None = None
    gt: dict[str, Any] | None = None


def baseline_fits(n: int, dim: int, k: int, seed: int, repeats: int) -> list[NDArray[np.int64]]:
    """Cluster labels of seeded Gaussian embeddings, same shape and K (the random baseline)."""
    return [
        fit_kmeans(prepare(random_embeddings(n, dim, seed + 1 + r)), k, seed).labels
        for r in range(repeats)
    ]


def _cluster(
    x: NDArray[np.float64], options: ClusterOptions
) -> tuple[Clustering, dict[int, float]]:
    if options.k is not None:
        check_k(options.k, len(x))
        fit = fit_kmeans(x, options.k, options.seed)
        return fit, {fit.k: fit.metrics["silhouette"]}
    return select_k(x, options.k_range, options.seed)


def discover(
    paths: Sequence[Path], options: ClusterOptions, gt_dir: Path | None = None
) -> Discovery:
    """Cluster the segments of the runs under ``paths``.

    Raises:
        LapsError: no run folders, no segments, fewer segments than K, missing latents or
            codes for the embedding, or ground truth that matches no run.
    """
    run_dirs = find_run_dirs(paths)
    segments = read_segments(run_dirs)
    if options.k is not None:
        check_k(options.k, len(segments))
    logger.info(
        "%d segments from %d run(s); embedding %s", len(segments), len(run_dirs), options.embedding
    )
    emb = embed(segments, options.embedding, options.seed)
    x = prepare(emb)
    fit, by_k = _cluster(x, options)
    xy, method = map_2d(x, options.map_method, options.seed)
    labels = gt = None
    if gt_dir is not None:
        labels = segment_labels(segments, gt_dir)
        base = baseline_fits(len(x), emb.shape[1], fit.k, options.seed, options.baseline_repeats)
        gt = gt_report(labels, fit.labels, base)
    reps = representatives(x, fit)
    return Discovery(run_dirs, segments, emb, fit, by_k, xy, method, reps, labels, gt)
