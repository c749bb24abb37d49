"""The run folders a report covers, read defensively: a damaged file drops its part only."""

from __future__ import annotations

import json
import logging
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

from laps.errors import LapsError
from laps.export.layout import run_folders

logger = logging.getLogger(__name__)

MANIFEST = "manifest.json"


@dataclass(frozen=True)
class RunData:
    """What the report shows of one video's run folder ``OUT/<name>/``.

    Attributes:
        name: the folder's name.
        folder: the run folder.
        video: the source's file name (or URI), as the manifest says.
        method: segmenter, ``change`` or ``hysteresis`` (``""`` when unknown).
        threshold: the run's threshold (change score or energy), NaN when unknown.
        hysteresis_ratio: end threshold = ``threshold * hysteresis_ratio`` (hysteresis).
        target_fps: sampling rate of the stream, samples/s.
        window_end_s: per window end time, s.
        energy_raw: per window raw energy (NaN = none).
        energy: per window segmenter energy (NaN = none).
        scores: per sample change score, or None without ``change_scores.json``.
        segments: rows of ``segments.jsonl``.
        perf: ``perf_summary.json`` (empty when absent).
    """

    name: str
    folder: Path
    video: str
    method: str
    threshold: float
    hysteresis_ratio: float
    target_fps: float
    window_end_s: NDArray[np.float64]
    energy_raw: NDArray[np.float64]
    energy: NDArray[np.float64]
    scores: NDArray[np.float64] | None
    segments: list[dict[str, Any]] = field(default_factory=list)
    perf: dict[str, Any] = field(default_factory=dict)

    def clip_path(self, segment: dict[str, Any]) -> Path | None:
        """The clip file of a segment when it exists on disk."""
        clip = segment.get("clip")
        if not isinstance(clip, str) or not clip:
            return None
        path = self.folder / clip
        return path if path.is_file() else None


def read_json(path: Path) -> Any:
    """A JSON document, or None (with a warning) when the file is missing or malformed."""
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError, ValueError) as err:
        logger.warning("skipping %s: %s", path, err)
        return None


def read_jsonl(path: Path) -> list[dict[str, Any]]:
    """The object lines of a JSONL file; malformed lines are skipped with a warning."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return []
    except (OSError, UnicodeDecodeError) as err:
        logger.warning("skipping %s: %s", path, err)
        return []
    rows = []
    for n, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except ValueError:
            logger.warning("skipping line %d of %s: not JSON", n, path)
            continue
        if isinstance(row, dict):
            rows.append(row)
    return rows


def number(value: Any, default: float = math.nan) -> float:
    """``value`` as a float, ``default`` for anything that is not a number."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return default
    return float(value)


def find_runs(run_root: Path) -> list[Path]:
    """The run folders under ``run_root`` (or ``run_root`` itself when it is one), by name.

    Raises:
        LapsError: when ``run_root`` is missing or holds no run.
    """
    if not run_root.is_dir():
        raise LapsError(
            f"expected a laps output folder, got {run_root} (missing or not a folder); "
            "pass the --out folder of `laps segment`"
        )
    runs = run_folders(run_root, (MANIFEST,))
    if not runs:
        raise LapsError(
            f"no run in {run_root}: expected folders <name>/ with a {MANIFEST}; "
            "run `laps segment VIDEOS --out " + str(run_root) + "` first"
        )
    return runs


def _dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _series(rows: list[dict[str, Any]], key: str) -> NDArray[np.float64]:
    return np.array([number(r.get(key)) for r in rows], dtype=np.float64)


def _scores(folder: Path) -> tuple[NDArray[np.float64] | None, float]:
    doc = read_json(folder / "change_scores.json")
    if not isinstance(doc, dict) or not isinstance(doc.get("scores"), list):
        return None, math.nan
    scores = np.array([number(s) for s in doc["scores"]], dtype=np.float64)
    return scores, number(doc.get("threshold"))


def load_run(folder: Path) -> RunData:
    """Read one run folder; every missing or damaged part is left empty."""
    manifest = _dict(read_json(folder / MANIFEST))
    config = _dict(manifest.get("config"))
    seg_cfg, video_cfg = _dict(config.get("segment")), _dict(config.get("video"))
    source, thr = _dict(manifest.get("source")), _dict(manifest.get("threshold"))
    uri = source.get("uri")
    video = Path(uri).name if isinstance(uri, str) and source.get("kind") == "file" else uri
    windows = read_jsonl(folder / "windows.jsonl")
    scores, score_thr = _scores(folder)
    method = seg_cfg.get("method")
    return RunData(
        name=folder.name,
        folder=folder,
        video=str(video) if video else folder.name,
        method=method if isinstance(method, str) else "",
        threshold=number(thr.get("value"), score_thr),
        hysteresis_ratio=number(seg_cfg.get("hysteresis_ratio"), 1.0),
        target_fps=number(video_cfg.get("target_fps"), 10.0),
        window_end_s=_series(windows, "end_s"),
        energy_raw=_series(windows, "energy_raw"),
        energy=_series(windows, "energy"),
        scores=scores,
        segments=read_jsonl(folder / "segments.jsonl"),
        perf=_dict(read_json(folder / "perf_summary.json")),
    )
