"""The run folders a report covers, read defensively: a damaged file drops its part only."""

from __future__ import annotations

import json
import logging
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

from laps.errors import LapsError
from laps.export.layout import run_folders
from laps.export.run_folder import (
    MANIFEST,
    Manifest,
    PerfSummary,
    SegmentRecord,
    WindowRecord,
    or_default,
    read_change_scores,
    read_manifest,
    read_perf_summary,
    read_segments,
    read_windows,
)

logger = logging.getLogger(__name__)


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
        segments: the records of ``segments.jsonl`` (its readable lines).
        perf: ``perf_summary.json``, None when absent or unreadable.
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
    segments: list[SegmentRecord] = field(default_factory=list)
    perf: PerfSummary | None = None

    def clip_path(self, segment: SegmentRecord) -> Path | None:
        """The clip file of a segment when it exists on disk."""
        if not segment.clip:
            return None
        path = self.folder / segment.clip
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


def _series(values: Sequence[float | None]) -> NDArray[np.float64]:
    return np.array([number(v) for v in values], dtype=np.float64)


def _scores(folder: Path) -> tuple[NDArray[np.float64] | None, float]:
    doc: dict[str, Any] = or_default(lambda: read_change_scores(folder), {})
    if not isinstance(doc.get("scores"), list):
        return None, math.nan
    scores = np.array([number(s) for s in doc["scores"]], dtype=np.float64)
    return scores, number(doc.get("threshold"))


def _video(manifest: Manifest | None) -> str | None:
    source = {} if manifest is None else manifest.source
    uri = source.get("uri")
    return Path(uri).name if isinstance(uri, str) and source.get("kind") == "file" else uri


def load_run(folder: Path) -> RunData:
    """Read one run folder; a missing part is left empty, a damaged one too (with a warning)."""
    manifest = or_default(lambda: read_manifest(folder), None)
    config = {} if manifest is None else manifest.config
    seg_cfg, video_cfg = _dict(config.get("segment")), _dict(config.get("video"))
    thr = _dict(None if manifest is None else manifest.threshold)
    windows: list[WindowRecord] = or_default(lambda: read_windows(folder, skip_bad_lines=True), [])
    scores, score_thr = _scores(folder)
    method, video = seg_cfg.get("method"), _video(manifest)
    return RunData(
        name=folder.name,
        folder=folder,
        video=str(video) if video else folder.name,
        method=method if isinstance(method, str) else "",
        threshold=number(thr.get("value"), score_thr),
        hysteresis_ratio=number(seg_cfg.get("hysteresis_ratio"), 1.0),
        target_fps=number(video_cfg.get("target_fps"), 10.0),
        window_end_s=_series([w.end_s for w in windows]),
        energy_raw=_series([w.energy_raw for w in windows]),
        energy=_series([w.energy for w in windows]),
        scores=scores,
        segments=or_default(lambda: read_segments(folder, skip_bad_lines=True), []),
        perf=or_default(lambda: read_perf_summary(folder), None),
    )
