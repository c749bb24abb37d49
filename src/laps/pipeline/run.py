"""One source, end to end: frames -> windows -> energy -> segments -> outputs.

``segment_source`` is the library entry point behind ``laps segment``. Outputs are written
into a staging folder and swapped into ``OUT/<name>/`` only when the run completes, so a
failing run never damages an earlier run's outputs (see :mod:`laps.export.layout`).
"""

from __future__ import annotations

import logging
import time
from array import array
from dataclasses import asdict, replace
from pathlib import Path
from typing import Any

import numpy as np

from laps.config import PipelineConfig
from laps.energy.stream import CausalSmoother
from laps.errors import InputTooShortError
from laps.export.atomic import write_json_atomic
from laps.export.clip_worker import ClipWorker
from laps.export.frame_store import FrameStore
from laps.export.jsonl import JsonlSink
from laps.export.layout import commit_dir, discard_dir, output_name, stage_dir
from laps.export.manifest import now_iso, write_manifest
from laps.export.npz import NpzAppender
from laps.export.perf import PerfColumns
from laps.export.run_folder import CLIPS_DIR, LATENTS, MANIFEST, SEGMENTS, WINDOWS
from laps.export.segments import segment_record
from laps.pipeline.codes import CodeStore
from laps.pipeline.encode import WindowEncoder, encode_windows
from laps.pipeline.finish import finish_outputs
from laps.pipeline.gaps import describe_gap, stream_summary
from laps.pipeline.pregate import PairGate
from laps.pipeline.process import (
    Gated,
    Processed,
    WindowRecord,
    gap_record,
    gate_window,
    make_record,
    score_window,
)
from laps.pipeline.result import RunObserver, RunResult
from laps.pipeline.segmenters import make_segmenter
from laps.pipeline.spans import SampleLedger, SegmentAssembler
from laps.segment.base import ThresholdChoice, WindowInput
from laps.segment.content import IDLE
from laps.tracking.registry import make_tracker
from laps.types import Latents, Segment, WindowStatus
from laps.video.base import FrameSource
from laps.video.reconnect import ReconnectingSource, StreamGap, open_live
from laps.video.spec import SpecKind, parse_spec
from laps.window.builder import TrackedWindow, WindowBuilder

__all__ = ["RunObserver", "RunResult", "segment_source"]  # the observer types live in .result

logger = logging.getLogger(__name__)


def segment_source(
    spec: str,
    out_root: Path,
    cfg: PipelineConfig,
    *,
    live: bool | None = None,
    encoder: WindowEncoder | None = None,
    name: str | None = None,
    observer: RunObserver | None = None,
    checkpoint: dict[str, Any] | None = None,
    source: FrameSource | None = None,
) -> RunResult:
    """Segment one source and write its outputs to ``out_root/<name>/``.

    A live camera or stream is reopened when it drops (``video.reconnect_*``); the run goes
    on across the gap (see :mod:`laps.pipeline.gaps`).

    Args:
        spec: a file, ``camera:N`` or stream URL (it names the outputs).
        out_root: outputs go to ``out_root/<name>/``.
        cfg: the resolved pipeline config.
        live: pacing (None: ``cfg.video.pacing``).
        encoder: a motion tokenizer (None: velocity features only).
        name: the output folder's name (default: from ``spec``).
        observer: receives progress events.
        checkpoint: the tokenizer checkpoint's description, for the manifest.
        source: an opened source to read instead of opening ``spec``; the run closes it.

    Raises:
        VideoOpenError, VideoDecodeError: the source cannot be read.
        InputTooShortError: fewer sampled frames than one window.
        ExportError: outputs cannot be written.
    """
    name = name or output_name(spec)
    if source is None:
        file_source = parse_spec(spec).kind is SpecKind.FILE
        keep_color = cfg.export.clips and not file_source  # live clips need the frames kept
        source = open_live(spec, cfg.video, live=live, keep_color=keep_color)
    with source:
        staging = stage_dir(out_root, name)
        run: _Run | None = None
        try:
            run = _Run(spec, source, staging, cfg, encoder, observer)
            run.checkpoint = checkpoint
            run.segmenter.check_checkpoint(checkpoint)
            result = run.execute(name, out_root / name)
        except BaseException:
            if run is not None and run.clips is not None:
                run.clips.abort()  # its thread must not write into the folder being removed
            discard_dir(staging)
            raise
    commit_dir(staging, out_root / name)
    if observer is not None:
        observer.finished(result)
    return result


class _Run:
    """The mutable state of one run; each method is one named step."""

    def __init__(
        self,
        spec: str,
        source: FrameSource,
        staging: Path,
        cfg: PipelineConfig,
        encoder: WindowEncoder | None,
        observer: RunObserver | None,
    ) -> None:
        self.spec, self.source, self.staging, self.cfg = spec, source, staging, cfg
        self.encoder, self.observer = encoder, observer
        self.live = source.info.live
        self.builder = WindowBuilder(make_tracker(cfg.tracking), cfg.window, cfg.tracking.grid_size)
        pg = cfg.gates.pre_gate
        self.pregate = PairGate(pg, cfg.window.length) if pg.enabled else None
        e = cfg.energy
        self.smoother = CausalSmoother(e.smoothing, e.alpha, e.ma_window)
        self.segmenter = make_segmenter(cfg, self.live, encoder is not None)
        self.ledger = SampleLedger()
        self.energies: array[float] = array("d")
        self.assembler = SegmentAssembler(self.ledger, self.energies)
        self.columns = PerfColumns()
        self.checkpoint: dict[str, Any] | None = None
        self._pending: list[Gated] = []
        self.reconnecting = source if isinstance(source, ReconnectingSource) else None
        self.gaps: list[StreamGap] = [] if self.reconnecting is None else self.reconnecting.gaps
        self._n_gaps = 0  # gaps already handled
        self.codes = CodeStore(cfg.window.length, cfg.window.stride, cfg.export.latents)
        self.latents = NpzAppender(staging / LATENTS) if cfg.export.latents else None
        self.segments: list[Segment] = []
        self.times = {"track": 0.0, "gate_energy": 0.0, "segment_export": 0.0}
        self.clips: ClipWorker | None = None
        self.store: FrameStore | None = None
        if cfg.export.clips:
            file_source = source.info.kind == SpecKind.FILE.value
            self.store = None if file_source else FrameStore()
            ex = cfg.export
            self.clips = ClipWorker(
                spec if file_source else None,
                staging / CLIPS_DIR,
                ex.clip_crf,
                ex.clip_preset,
                fps=cfg.video.target_fps,
            )

    def execute(self, name: str, final_dir: Path) -> RunResult:
        """Run the stream to its end and write every output."""
        t_start = time.perf_counter()
        started_at = now_iso()
        self._name, self._started_at = name, started_at
        self._write_manifest(name, started_at, "running", None)
        if self.observer is not None:
            self.observer.started(name, self.source.info)
        with (
            JsonlSink(self.staging / WINDOWS) as wsink,
            JsonlSink(self.staging / SEGMENTS) as ssink,
        ):
            self.wsink, self.ssink = wsink, ssink
            self._consume()
            self._flush()
        if self.clips is not None:
            t0 = time.perf_counter()
            self.clips.close()  # clips are cut on their own thread; this is the wait left
            self.times["clips_wait"] = time.perf_counter() - t0
        wall = time.perf_counter() - t_start
        choice = self.segmenter.choice
        assert choice is not None  # flush() always fixes one
        perf = finish_outputs(self, name, wall)
        self._write_manifest(name, started_at, "complete", choice)
        failed = self.columns.outcomes["failed"]
        return RunResult(
            name,
            final_dir,
            self.source.info,
            len(self.columns),
            failed,
            self.segments,
            choice,
            perf,
        )

    def _consume(self) -> None:
        for frame in self.source.frames():
            if len(self.gaps) > self._n_gaps:  # the first frame after an outage
                self._at_gap(self.gaps[self._n_gaps])
            self.ledger.add(frame)
            if self.store is not None:
                self.store.add(frame)
            t0 = time.perf_counter()
            if self.pregate is not None:
                self.pregate.update(frame.image)
            self.times["gate_energy"] += time.perf_counter() - t0
            for tw in self.builder.update(frame):
                self._gate(tw)
            self._emit(self.assembler.ready())
            self._prune()
            if self.observer is not None:
                self.observer.frame(frame)
        self._drain()
        if self.builder.n_windows == 0:
            self._too_short()

    def _too_short(self) -> None:
        n, t = self.builder.n_samples, self.cfg.window.length
        fps = self.cfg.video.target_fps
        raise InputTooShortError(
            f"{self.source.info.uri}: {n} sampled frames at target_fps {fps:g}, but one window "
            f"needs window.length={t} ({t / fps:.1f} s); use a longer video or a smaller "
            "window.length / larger video.target_fps"
        )

    def _gate(self, tw: TrackedWindow) -> None:
        """Gate a new window; decide it now (live, no encoder) or with its batch (offline)."""
        w, cfg = tw.window, self.cfg
        pre = self.pregate.window(int(w.samples[0]), w.n_frames) if self.pregate else None
        self._pending.append(gate_window(tw, pre, cfg.gates, cfg.energy, self.encoder is not None))
        if self.live or self.encoder is None or len(self._pending) >= cfg.energy.batch_windows:
            self._drain()

    def _drain(self) -> None:
        """Encode the pending windows in one batch, then decide each in order."""
        pending, self._pending = self._pending, []
        todo = [g for g in pending if g.encode]
        latents: dict[int, Latents | str] = {}
        share = 0.0
        if self.encoder is not None and todo:
            vel = [g.tracked.window.velocities for g in todo]
            out, seconds = encode_windows(self.encoder, vel)
            latents = {g.tracked.window.index: x for g, x in zip(todo, out, strict=True)}
            share = seconds / len(todo)
        for g in pending:
            got = latents.get(g.tracked.window.index)
            res = score_window(g, got, self.cfg.energy, share if g.encode else 0.0)
            self._decide(g.tracked, res, got)

    def _decide(self, tw: TrackedWindow, res: Processed, latents: Latents | str | None) -> None:
        w, cfg = tw.window, self.cfg
        t0 = time.perf_counter()
        smoothed = None
        if res.energy_raw is not None:
            smoothed = self.smoother.update(res.energy_raw)
        else:
            self.smoother.update(float("nan"))
        used = smoothed if cfg.energy.use_smoothed else res.energy_raw
        self.energies.append(float("nan") if used is None else used)
        had_threshold = self.segmenter.choice is not None
        failed = res.outcome is WindowStatus.FAILED
        self.assembler.add(
            self.segmenter.feed(
                WindowInput(
                    w.index,
                    None if failed else w.velocities,
                    None if failed else w.visible,
                    latents if isinstance(latents, Latents) else None,
                    used,
                    latents if isinstance(latents, str) else None,
                )
            )
        )
        if not had_threshold and self.segmenter.choice is not None:
            # a live warm-up just fixed the threshold: record it for whoever watches the run
            self._write_manifest(self._name, self._started_at, "running", self.segmenter.choice)
        record = make_record(tw, res, used, self.cfg.budget_per_window_s)
        self.times["track"] += tw.t_track_s
        self.times["gate_energy"] += res.t_forward_s
        self.times["segment_export"] += time.perf_counter() - t0
        self.codes.add(w.index, res.codes, res.quantized)
        self._record(record)

    def _record(self, record: WindowRecord) -> None:
        row = record.to_dict()
        self.columns.add(row)
        self.wsink.write(row)
        if self.observer is not None:
            self.observer.window(record)

    def _at_gap(self, gap: StreamGap) -> None:
        """Close out the stream before an outage (the steps are in :mod:`laps.pipeline.gaps`)."""
        self._n_gaps += 1
        self._drain()
        for ow in self.builder.break_at_gap():
            self._record(gap_record(ow, self.cfg.budget_per_window_s, describe_gap(gap)))
            self.energies.append(float("nan"))
        self.assembler.add_break(gap.sample, gap.end_frame, gap.start_s)
        self.assembler.add(self.segmenter.break_at(self.builder.n_windows, gap.sample))
        self.smoother.reset()
        self._emit(self.assembler.ready())
        self._write_manifest(self._name, self._started_at, "running", self.segmenter.choice)

    def _flush(self) -> None:
        self.assembler.add(self.segmenter.finish(len(self.ledger)))
        for file_name, doc in self.segmenter.artifacts().items():
            write_json_atomic(self.staging / file_name, doc)
        end_index = self.source.last_index + 1
        end_s = self.source.end_time_s
        if end_s is None:
            end_s = self.ledger.at(len(self.ledger) - 1)[1]
        self._emit(self.assembler.ready(end_index, end_s))

    def _emit(self, segments: list[Segment]) -> None:
        for seg in map(self._attach_codes, segments):
            clip = None
            if self.clips is not None and self._wanted(seg):
                frames = None
                if self.store is not None:
                    frames = self.store.take(seg.start_sample, seg.end_sample)
                self.clips.submit(seg, frames)
                clip = self.clips.clip_path(seg)
            self.segments.append(seg)
            self.ssink.write(segment_record(seg, clip))

    def _wanted(self, seg: Segment) -> bool:
        """Clips and latents of idle segments only when ``export.idle_clips`` asks."""
        return seg.label != IDLE or self.cfg.export.idle_clips

    def _prune(self) -> None:
        """Release kept frames and codes no pending or future segment can reach."""
        first = self._earliest_needed_sample()
        if self.store is not None:
            self.store.prune(first)
        length, stride = self.cfg.window.length, self.cfg.window.stride
        self.codes.prune((first - length) // stride + 1 if first >= length else 0)

    def _attach_codes(self, seg: Segment) -> Segment:
        """Add the codes (and latents) of the windows overlapping the segment."""
        span = (seg.start_sample, seg.end_sample)
        ratio = self.cfg.export.codes_min_overlap_ratio
        windows, codes, vectors = self.codes.select(span, ratio)
        if self.latents is not None and vectors is not None and self._wanted(seg):
            self.latents.add(f"segment_{seg.id:06d}", vectors)
            self.latents.add(f"segment_{seg.id:06d}_windows", np.asarray(windows))
        return replace(seg, codes=codes)

    def _earliest_needed_sample(self) -> int:
        """First sample a pending or future segment's clip may still need."""
        pending = self.assembler.earliest_pending_sample()
        window = self.segmenter.earliest_open_window()
        stride = self.cfg.window.stride
        if window is None:  # nothing can reach back: keep only the newest window's frames
            window = self.builder.n_windows
        candidates = [window * stride] + ([] if pending is None else [pending])
        return min(candidates)

    def _write_manifest(
        self, name: str, started_at: str, status: str, choice: ThresholdChoice | None
    ) -> None:
        info = self.source.info
        write_manifest(
            self.staging / MANIFEST,
            {
                "name": name,
                "status": status,
                "started_at": started_at,
                "updated_at": now_iso(),
                "source": asdict(info),
                "threshold": None if choice is None else asdict(choice),
                "segmenter": {"method": self.segmenter.method, "tiles": self.segmenter.tiles},
                "tracks": self.builder.describe(),
                "checkpoint": self.checkpoint,
                "config": self.cfg.to_dict(),
                **self.stream_section(),
            },
        )

    def stream_section(self) -> dict[str, Any]:
        """``{"stream": reconnects and gaps}`` for a reconnecting source, else nothing."""
        if self.reconnecting is None:
            return {}
        return {"stream": stream_summary(self.reconnecting)}
