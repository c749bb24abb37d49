"""Ground truth of a generated video: segments, per-frame labels, timestamps, parameters.

Segments are derived from the per-frame labels and the real frame times, so the JSON, the
label array and the video always agree: a segment starts at the time of its first frame
and ends at the time of the next segment's first frame (half-open), the last one at the
end of the video.
"""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import av
import cv2
import numpy as np
from numpy.typing import NDArray

from laps.synth.config import ALL_LABELS, GENERATOR_VERSION, LABELS, SynthConfig
from laps.synth.render import FrameTimes
from laps.synth.script import Plan
from laps.synth.writer import atomic_write_bytes


def segments_from_labels(
    labels: NDArray[np.int64], seconds: NDArray[np.float64], end_s: float
) -> list[dict[str, Any]]:
    """Contiguous half-open segments ``{start_sec, end_sec, label}`` covering the video."""
    change = np.flatnonzero(np.diff(labels)) + 1
    starts = np.concatenate([[0], change]).astype(int)
    bounds = [round(float(seconds[s]), 6) for s in starts] + [round(float(end_s), 6)]
    return [
        {"start_sec": bounds[k], "end_sec": bounds[k + 1], "label": ALL_LABELS[int(labels[s])]}
        for k, s in enumerate(starts)
    ]


def transition_kinds(plan: Plan, segments: list[dict[str, Any]]) -> list[str]:
    """Kind of each boundary between consecutive segments: ``continuous`` or ``pause``."""
    ends = np.array([s.end_s for s in plan.steps])
    kinds = []
    for seg in segments[:-1]:
        k = int(np.argmin(np.abs(ends - seg["end_sec"])))
        kinds.append("continuous" if plan.steps[k].continuous else "pause")
    return kinds


def json_bytes(data: Any) -> bytes:
    """Indented UTF-8 JSON with a final newline."""
    return (json.dumps(data, indent=2) + "\n").encode("utf-8")


def _npy_bytes(arr: NDArray[Any]) -> bytes:
    buf = io.BytesIO()
    np.save(buf, arr, allow_pickle=False)
    return buf.getvalue()


def params_dict(cfg: SynthConfig, times: FrameTimes, kinds: list[str]) -> dict[str, Any]:
    """Everything needed to know how a video was made (no clock times: byte-stable)."""
    return {
        "generator": "laps.synth",
        "generator_version": GENERATOR_VERSION,
        "seed": cfg.seed,
        "preset": cfg.preset.value,
        "view": cfg.view.value,
        "width": cfg.width,
        "height": cfg.height,
        "fps": cfg.fps,
        "vfr": cfg.vfr,
        "duration_s": cfg.duration_s,
        "n_frames": int(len(times.pts)),
        "time_base": str(times.time_base),
        "video_duration_sec": round(times.end_s, 6),
        "labels": list(LABELS),
        "nuisance": cfg.nuisance.model_dump(mode="json"),
        "script": cfg.script.model_dump(mode="json"),
        "encoder": {
            "codec": "libx264",
            "pix_fmt": "yuv420p",
            "crf": cfg.nuisance.crf,
            "preset": cfg.encoder_preset,
            "threads": cfg.encoder_threads,
            "thread_type": "frame",
            "gop": gop_frames(cfg),
        },
        "transitions": {"continuous": kinds.count("continuous"), "pause": kinds.count("pause")},
        "transition_kinds": kinds,
        "versions": {"numpy": np.__version__, "opencv": cv2.__version__, "av": av.__version__},
        "config": cfg.model_dump(mode="json"),
    }


def variety_params(
    plan: Plan, labels: NDArray[np.int64], background: dict[str, Any]
) -> dict[str, Any]:
    """Suite-v2 entries of the params file: label table, labelled hand, idle share, footage."""
    arm = plan.dominant or 0
    return {
        "labels": list(ALL_LABELS),
        "labelled_hand": {"arm": arm, "side": "left" if arm == 1 else "right"},
        "idle_fraction": round(float(np.mean(labels == ALL_LABELS.index("idle"))), 4),
        "background": background,
    }


def gop_frames(cfg: SynthConfig) -> int:
    """Key-frame interval: 2 s of frames, as IP cameras commonly use."""
    return max(1, round(2 * cfg.fps))


def write_truth(
    out_dir: Path,
    cfg: SynthConfig,
    plan: Plan,
    times: FrameTimes,
    labels: NDArray[np.int64],
    background: dict[str, Any] | None = None,
) -> dict[str, Path]:
    """Write ``<stem>.json``, ``.labels.npy``, ``.params.json`` (and ``.times.npy`` if VFR).

    ``background`` (suite v2) records the footage still under the bench.

    Returns:
        Paths by kind: ground_truth, labels, params, and times when written.
    """
    stem = cfg.file_stem
    segments = segments_from_labels(labels, times.seconds, times.end_s)
    truth = {
        "video": f"{stem}.mp4",
        "segments": segments,
        "fps": cfg.fps,
        "video_duration_sec": round(times.end_s, 6),
    }
    paths = {
        "ground_truth": out_dir / f"{stem}.json",
        "labels": out_dir / f"{stem}.labels.npy",
        "params": out_dir / f"{stem}.params.json",
    }
    atomic_write_bytes(paths["ground_truth"], json_bytes(truth))
    atomic_write_bytes(paths["labels"], _npy_bytes(labels.astype(np.int16)))
    if cfg.vfr:
        paths["times"] = out_dir / f"{stem}.times.npy"
        atomic_write_bytes(paths["times"], _npy_bytes(times.seconds))
    params = params_dict(cfg, times, transition_kinds(plan, segments))
    if cfg.variety is not None:
        params |= variety_params(plan, labels, background or {"source": "procedural"})
    params["files"] = {k: p.name for k, p in paths.items()} | {"video": f"{stem}.mp4"}
    atomic_write_bytes(paths["params"], json_bytes(params))
    return paths
