"""The cluster section: ``map.png`` and a gallery per cluster from ``clusters.json``.

The cluster folder is written by ``laps cluster``; this reader does not import that code and
accepts any reasonable shape: a list of clusters, or ``{"clusters": [...]}`` beside scalar
metrics. A cluster's examples come from the first list among ``representatives``,
``examples``, ``members`` and ``segments``; an example names its ``video`` and ``segment``
(or ``segment_id``/``id``) and may give a ``clip`` path. Anything unreadable is skipped.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from laps.export.run_folder import RunPaths
from laps.report.runs import read_json

logger = logging.getLogger(__name__)

CLUSTERS_FILE = "clusters.json"
MAP_FILE = "map.png"
MAX_CLUSTERS = 64
MAX_EXAMPLES = 8
MAX_METRICS = 24
_METRIC_GROUPS = ("metrics", "ground_truth")
_EXAMPLE_KEYS = ("representatives", "examples", "members", "segments")
_SEGMENT_KEYS = ("segment", "segment_id", "id")


@dataclass(frozen=True)
class Example:
    """One segment shown in a cluster's gallery."""

    video: str
    segment: int | None
    clip: Path | None


@dataclass(frozen=True)
class Cluster:
    """One cluster: its id, size and examples."""

    ident: str
    size: int | None
    examples: list[Example] = field(default_factory=list)


@dataclass(frozen=True)
class ClusterSection:
    """What the report shows of a cluster folder."""

    map_png: Path | None
    metrics: list[tuple[str, str]]
    clusters: list[Cluster]


def _scalar(value: Any) -> str | None:
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, float):
        return f"{value:.4g}"
    if isinstance(value, int | str):
        return str(value)[:80]
    return None


def _segment_id(item: dict[str, Any]) -> int | None:
    for key in _SEGMENT_KEYS:
        value = item.get(key)
        if isinstance(value, int) and not isinstance(value, bool):
            return value
    return None


def _clip(item: dict[str, Any], video: str, seg: int | None, roots: list[Path]) -> Path | None:
    """The example's clip file: its ``clip`` path under a known root, or the run's own clip.

    A relative ``clip`` is looked up under the cluster folder, the run root and the video's
    run folder (``video`` or its stem); without one, the run's ``clips/<segment>.mp4``.
    """
    clip = item.get("clip")
    runs = [roots[-1] / v for v in dict.fromkeys((video, Path(video).stem)) if v]
    candidates: list[Path] = []
    if isinstance(clip, str) and clip:
        path = Path(clip)
        candidates += [path] if path.is_absolute() else [r / path for r in [*roots, *runs]]
    if seg is not None:
        candidates += [RunPaths(run).clip(seg) for run in runs]
    return next((c for c in candidates if c.is_file()), None)


def _examples(raw: dict[str, Any], roots: list[Path]) -> list[Example]:
    items: list[Any] = next((raw[k] for k in _EXAMPLE_KEYS if isinstance(raw.get(k), list)), [])
    out = []
    for item in items[:MAX_EXAMPLES]:
        if not isinstance(item, dict):
            continue
        video = item.get("video") or item.get("video_name") or ""
        video = video if isinstance(video, str) else ""
        seg = _segment_id(item)
        out.append(Example(video, seg, _clip(item, video, seg, roots)))
    return out


def _cluster(index: int, raw: Any, roots: list[Path]) -> Cluster | None:
    if not isinstance(raw, dict):
        return None
    ident = _scalar(raw.get("id", raw.get("cluster", raw.get("label", index)))) or str(index)
    size = raw.get("size", raw.get("n_segments"))
    examples = _examples(raw, roots)
    if not isinstance(size, int) or isinstance(size, bool):
        size = None
    return Cluster(ident, size, examples)


def _metrics(doc: dict[str, Any]) -> list[tuple[str, str]]:
    """Top-level scalars, then the scalars of the ``metrics`` and ``ground_truth`` objects."""
    items = [(str(k), v) for k, v in doc.items()]
    for group in _METRIC_GROUPS:
        sub = doc.get(group)
        if isinstance(sub, dict):
            items += [(f"{group}.{k}", v) for k, v in sub.items()]
    pairs = [(key, _scalar(value)) for key, value in items]
    return [(key, text) for key, text in pairs if text is not None][:MAX_METRICS]


def read_clusters(folder: Path, run_root: Path) -> ClusterSection | None:
    """The cluster section of ``folder``, or None when it holds neither file."""
    doc = read_json(folder / CLUSTERS_FILE)
    map_png = folder / MAP_FILE
    has_map = map_png.is_file()
    if doc is None and not has_map:
        logger.warning(
            "no %s or %s in %s; cluster section left out", CLUSTERS_FILE, MAP_FILE, folder
        )
        return None
    raw_clusters: Any = doc.get("clusters") if isinstance(doc, dict) else doc
    metrics = _metrics(doc) if isinstance(doc, dict) else []
    clusters: list[Cluster] = []
    if isinstance(raw_clusters, list):
        roots = [folder, run_root]
        for i, raw in enumerate(raw_clusters[:MAX_CLUSTERS]):
            cluster = _cluster(i, raw, roots)
            if cluster is not None:
                clusters.append(cluster)
    return ClusterSection(map_png if has_map else None, metrics, clusters)
