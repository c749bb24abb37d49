"""Pipeline runs of the accuracy benchmark: one per (configuration, video), cached, parallel.

A run is redone only when its folder is missing, incomplete, or was made with another
config or checkpoint (compared with the run's own ``manifest.json``), so an interrupted
benchmark resumes where it stopped. Videos run in worker processes (``jobs``); each worker
loads the tokenizer once.
"""

from __future__ import annotations

import json
import logging
import multiprocessing
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from laps.benchmark.suite import SuiteVideo
from laps.calibrate.run_data import run_config
from laps.config import PipelineConfig, load_config
from laps.errors import RunFolderError, SchemaVersionError
from laps.export.run_folder import RunPaths, read_manifest, read_perf_summary
from laps.pipeline.run import segment_source
from laps.tokenizer.loading import LoadedTokenizer, file_sha256, load_tokenizer

logger = logging.getLogger(__name__)

_TOKENIZERS: dict[tuple[str, str], LoadedTokenizer] = {}  # per worker process


@dataclass(frozen=True, slots=True)
class RunSpec:
    """One pipeline configuration of the benchmark.

    Attributes:
        tag: folder name under ``WORK/runs/``.
        overrides: ``section.key=value`` on top of the defaults (and the checkpoint's layer).
        checkpoint: tokenizer checkpoint, None for the velocity energy.
        device: tokenizer device.
        learned: the runs use the benchmark's tokenizer (see :meth:`bind`).
    """

    tag: str
    overrides: tuple[str, ...] = ()
    checkpoint: Path | None = None
    device: str = "cpu"
    learned: bool = False

    def bind(self, checkpoint: Path | None, device: str) -> RunSpec:
        """This spec with the benchmark's checkpoint and device when ``learned``."""
        return replace(self, checkpoint=checkpoint, device=device) if self.learned else self


def _tokenizer(spec: RunSpec) -> LoadedTokenizer | None:
    if spec.checkpoint is None:
        return None
    key = (str(spec.checkpoint), spec.device)
    if key not in _TOKENIZERS:
        loaded = load_tokenizer(spec.checkpoint, spec.device)
        assert loaded is not None
        _TOKENIZERS[key] = loaded
    return _TOKENIZERS[key]


def spec_config(spec: RunSpec, layer: dict[str, Any] | None = None) -> PipelineConfig:
    """The run config of a spec: defaults, checkpoint layer, overrides; Otsu, no clips."""
    base = layer
    if base is None and spec.checkpoint is not None:
        loaded = _tokenizer(spec)
        base = None if loaded is None else loaded.layer
    cfg = load_config(None, list(spec.overrides) + ["export.energy_plot=false"], base=base)
    return run_config(cfg)


def _plain(value: Any) -> Any:
    return json.loads(json.dumps(value, default=str))


def is_fresh(folder: Path, cfg: PipelineConfig, sha: str | None) -> bool:
    """A complete run of this exact config and checkpoint exists in ``folder``."""
    try:
        manifest = read_manifest(folder)
    except (RunFolderError, SchemaVersionError):
        return False
    return bool(
        manifest.complete
        and RunPaths(folder).windows.is_file()
        and _plain(manifest.config) == _plain(cfg.to_dict())
        and manifest.checkpoint_sha256 == sha
    )


def _run_one(spec: RunSpec, video: str, out_root: Path, name: str) -> float:
    """Worker: segment one video; returns the run's wall time, s."""
    loaded = _tokenizer(spec)
    cfg = spec_config(spec, None if loaded is None else loaded.layer)
    info = None if loaded is None else loaded.info
    encoder = None if loaded is None else loaded.encoder
    result = segment_source(video, out_root, cfg, encoder=encoder, name=name, checkpoint=info)
    return float(result.perf.get("wall_time_s", 0.0))


def ensure_runs(
    spec: RunSpec, videos: Sequence[SuiteVideo], work: Path, jobs: int = 1
) -> dict[str, Path]:
    """Run folders of ``spec`` for every video, computing only the missing or stale ones.

    Returns:
        ``{stem: run folder}``.

    Raises:
        LapsError: a video fails (the others already finished stay cached).
    """
    out_root = Path(work) / "runs" / spec.tag
    cfg = spec_config(spec)
    sha = None if spec.checkpoint is None else file_sha256(spec.checkpoint)
    todo = [v for v in videos if not is_fresh(out_root / v.stem, cfg, sha)]
    logger.info("runs %s: %d cached, %d to compute", spec.tag, len(videos) - len(todo), len(todo))
    if len(todo) == 1 or jobs <= 1:
        for v in todo:
            _run_one(spec, str(v.video), out_root, v.stem)
    elif todo:
        ctx = multiprocessing.get_context("spawn")  # torch and decoder threads do not fork well
        with ProcessPoolExecutor(max_workers=min(jobs, len(todo)), mp_context=ctx) as pool:
            futures = [pool.submit(_run_one, spec, str(v.video), out_root, v.stem) for v in todo]
            for f in futures:
                f.result()
    return {v.stem: out_root / v.stem for v in videos}


def run_wall_time(folder: Path) -> float:
    """Wall time of a run (its ``perf_summary.json``), s; NaN when unknown."""
    try:
        return read_perf_summary(folder).wall_time_s
    except RunFolderError:
        return float("nan")
