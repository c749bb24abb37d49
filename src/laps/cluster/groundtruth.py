"""Clusters against ground-truth primitive labels: NMI, ARI, purity, and a random baseline.

Each segment takes the GT label that covers most of its time span (the generator's JSONs, or
any segments JSON with labels, paired by video name). Segments of videos without ground truth,
or that no labelled GT segment overlaps, are left out of the scores.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray
from sklearn.metrics import adjusted_rand_score, normalized_mutual_info_score

from laps.cluster.runs import SegmentRef
from laps.errors import LapsError
from laps.evaluate.pairing import collect_tracks
from laps.evaluate.tracks import SegmentTrack


def majority_label(track: SegmentTrack, start_s: float, end_s: float) -> str | None:
    """The label overlapping ``[start_s, end_s)`` the longest (None when nothing overlaps)."""
    if track.labels is None:
        return None
    cover: dict[str, float] = {}
    for (a, b), label in zip(track.segments, track.labels, strict=True):
        overlap = min(b, end_s) - max(a, start_s)
        if overlap > 0:
            cover[label] = cover.get(label, 0.0) + overlap
    return max(cover, key=cover.__getitem__) if cover else None


def segment_labels(segments: Sequence[SegmentRef], gt_dir: Path) -> list[str | None]:
    """The majority GT label of each segment (None without one).

    Raises:
        LapsError: when ``gt_dir`` is unreadable or pairs with no run.
    """
    tracks = collect_tracks(gt_dir)
    labels = [
        majority_label(tracks[s.video], s.start_s, s.end_s) if s.video in tracks else None
        for s in segments
    ]
    if all(lab is None for lab in labels):
        videos = sorted({s.video for s in segments})
        raise LapsError(
            f"expected labelled ground truth for videos {videos[:5]} in {gt_dir}, got "
            f"{len(tracks)} file(s) that match none; pass the folder of the generator's JSONs"
        )
    return labels


def purity(truth: Sequence[str], clusters: Sequence[int]) -> float:
    """Share of segments whose cluster's most common label is their own."""
    by_cluster: dict[int, Counter[str]] = {}
    for lab, c in zip(truth, clusters, strict=True):
        by_cluster.setdefault(c, Counter())[lab] += 1
    return sum(max(cnt.values()) for cnt in by_cluster.values()) / len(truth)


def label_scores(truth: Sequence[str], clusters: Sequence[int]) -> dict[str, float]:
    """NMI (arithmetic mean normalisation), ARI and purity."""
    return {
        "nmi": float(normalized_mutual_info_score(truth, clusters)),
        "ari": float(adjusted_rand_score(truth, clusters)),
        "purity": purity(truth, clusters),
    }


def gt_report(
    labels: Sequence[str | None],
    clusters: NDArray[np.int64],
    baseline_clusters: Sequence[NDArray[np.int64]],
) -> dict[str, Any]:
    """Scores of the clusters and of each random-embedding baseline fit (mean reported)."""
    keep = [i for i, lab in enumerate(labels) if lab is not None]
    truth = [str(labels[i]) for i in keep]
    ours = label_scores(truth, [int(clusters[i]) for i in keep])
    runs = [label_scores(truth, [int(b[i]) for i in keep]) for b in baseline_clusters]
    base = {key: float(np.mean([r[key] for r in runs])) for key in ours}
    return {
        "n_labelled": len(keep),
        "n_labels": len(set(truth)),
        "labels": dict(sorted(Counter(truth).items())),
        "clusters": ours,
        "random_baseline": {**base, "repeats": len(runs)},
        "gain": {key: ours[key] - base[key] for key in ours},
    }
