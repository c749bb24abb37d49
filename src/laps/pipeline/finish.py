"""The end-of-run outputs: segments.json, perf_summary.json, energy.png, config.yaml.

Their paths come from :class:`laps.export.run_folder.RunPaths`; the perf summary is built as
a :class:`~laps.export.run_folder.PerfSummary`.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING, Any

from laps.export.atomic import write_json_atomic, write_text_atomic
from laps.export.plot import plot_energy
from laps.export.run_folder import PerfSummary, RunPaths
from laps.export.segments import write_segments_json

if TYPE_CHECKING:
    from laps.pipeline.run import _Run

logger = logging.getLogger(__name__)


def finish_outputs(run: _Run, name: str, wall_time_s: float) -> dict[str, Any]:
    """Write the run's summary files into its staging folder; return the perf summary."""
    cfg, info, paths = run.cfg, run.source.info, RunPaths(run.staging)
    params = {
        **run.segmenter.parameters(),
        "window_length": cfg.window.length,
        "stride": cfg.window.stride,
        "target_fps": cfg.video.target_fps,
    }
    video = Path(info.uri).name if info.kind == "file" else info.uri
    duration = run.source.end_time_s if info.kind == "file" else None
    write_segments_json(paths.segments_json, video, run.segments, info.fps, duration, params)
    write_text_atomic(paths.config, cfg.to_yaml())
    perf = PerfSummary(**_perf(run, name, wall_time_s)).to_dict()
    write_json_atomic(paths.perf_summary, perf)
    if cfg.export.energy_plot and len(run.columns):
        cols = run.columns
        plot_energy(
            paths.energy_plot,
            (cols.cols["end_s"], cols.energy_raw, cols.energy),
            [(s.start_s, s.end_s) for s in run.segments],
            run.segmenter.energy_thresholds(),
            f"{name}: {cfg.energy.source.value} energy, {len(run.segments)} segments "
            f"({run.segmenter.method})",
        )
    return perf


def _perf(run: _Run, name: str, wall_time_s: float) -> dict[str, Any]:
    src = run.source
    stage_times = {"decode": src.decode_time_s, **run.times}
    perf = run.columns.summary(
        wall_time_s=wall_time_s,
        stage_times_s=stage_times,
        budget_s=run.cfg.budget_per_window_s,
        stride=run.cfg.window.stride,
    )
    perf["param_count"] = 0 if run.encoder is None else run.encoder.param_count
    return {
        **{
            "video": src.info.uri,
            "video_name": name,
            "live": src.info.live,
            "target_fps": run.cfg.video.target_fps,
            "stride": run.cfg.window.stride,
            "tracker": run.cfg.tracking.backend.value,
            "frames_decoded": src.n_decoded,
            "frames_sampled": src.n_sampled,
            "sampled_fps": src.n_sampled / wall_time_s if wall_time_s > 0 else 0.0,
            "trailing_samples_in_no_window": run.builder.n_trailing_samples,
            "segments": len(run.segments),
            "decode_time_s": src.decode_time_s,
        },
        **perf,
        **run.stream_section(),
    }
