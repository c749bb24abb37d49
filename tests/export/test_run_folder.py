"""The run-folder module: names, records written and read back, schema and damage errors."""

from __future__ import annotations

import json
import logging
import math
from dataclasses import replace
from pathlib import Path

import pytest

from laps.config import load_config
from laps.errors import RunFolderError, SchemaVersionError
from laps.export.atomic import write_json_atomic
from laps.export.jsonl import JsonlSink
from laps.export.manifest import write_manifest
from laps.export.run_folder import (
    FILES,
    SCHEMA_VERSION,
    PerfSummary,
    RunPaths,
    SegmentRecord,
    WindowRecord,
    clip_name,
    is_complete,
    or_default,
    read_manifest,
    read_perf_summary,
    read_segments,
    read_windows,
)
from laps.export.segments import segment_record
from laps.pipeline.run import segment_source
from laps.types import Segment

MANIFEST_FIELDS = {
    "name": "v1",
    "status": "complete",
    "started_at": "2026-01-01T00:00:00+00:00",
    "updated_at": "2026-01-01T00:00:09+00:00",
    "source": {"uri": "/videos/v1.mp4", "kind": "file", "fps": 30.0},
    "threshold": {"value": 0.5, "method": "otsu", "detail": "file"},
    "tracks": {"backend": "dis", "frame_size_wh": [320, 240]},
    "checkpoint": {"path": "/ckpt.pt", "sha256": "ab" * 32},
    "config": {"window": {"length": 16, "stride": 4}},
}


def _window(index: int, **changes: object) -> WindowRecord:
    record = WindowRecord(
        window=index, start_frame=4 * index, end_frame=4 * index + 16, start_s=0.4 * index,
        end_s=0.4 * index + 1.5, start_sample=4 * index, end_sample=4 * index + 16,
        outcome="ok", energy_raw=0.25, energy=0.2, pre_gate={"dropped": False, "mad": 0.1},
        motion_gate=None, codes=[1, 2, 3], t_track_s=0.01, t_forward_s=0.002, t_total_s=0.012,
        budget_s=0.4, slack_s=0.388, status="OK", latency_s=0.02, proxy=0.25,
    )  # fmt: skip
    return replace(record, **changes)


def _segment(seg_id: int) -> Segment:
    return Segment(seg_id, 10, 40, 1.0000004, 4.0, 1, 8, 4, 36, 0.5, 0.9, [[1, 2], [3]])


def _perf(**changes: object) -> PerfSummary:
    stats = {"mean": 0.01, "p50": 0.01, "p95": 0.02, "max": 0.03}
    summary = PerfSummary(
        video="/videos/v1.mp4", video_name="v1", live=False, target_fps=10.0, stride=4,
        tracker="dis", frames_decoded=300, frames_sampled=100, sampled_fps=50.0,
        trailing_samples_in_no_window=0, segments=2, decode_time_s=0.5, windows_done=22,
        wall_time_s=2.0, budget_per_window_s=0.4, ok_ratio=1.0, realized_windows_per_sec=11.0,
        throughput_fps_estimate=44.0, t_track_s=stats, t_forward_s=stats, t_total_s=stats,
        latency_s={"mean": None, "p50": None, "p95": None, "max": None},
        gpu_max_mem_allocated_mb=None, gpu_max_mem_reserved_mb=None, cpu_max_rss_mb=300.0,
        param_count=0, window_outcomes={"ok": 22}, stage_time_s={"decode": 0.5},
        stage_share={"decode": 1.0},
    )  # fmt: skip
    return replace(summary, **changes)


def _write_lines(path: Path, rows: list[dict]) -> None:
    with JsonlSink(path) as sink:
        for row in rows:
            sink.write(row)


# --- names and paths -------------------------------------------------------------------------


def test_paths_and_names() -> None:
    paths = RunPaths(Path("out/v1"))
    assert paths.manifest == Path("out/v1/manifest.json")
    assert paths.segments_json.name == "segments.json" and paths.segments.name == "segments.jsonl"
    assert paths.clip(7) == paths.folder / clip_name(7) == Path("out/v1/clips/000007.mp4")
    assert len(set(FILES)) == len(FILES) == 11


# --- round trips -----------------------------------------------------------------------------


def test_manifest_round_trip(tmp_path: Path) -> None:
    write_manifest(RunPaths(tmp_path).manifest, MANIFEST_FIELDS)
    manifest = read_manifest(tmp_path)
    assert manifest.schema_version == SCHEMA_VERSION and manifest.complete
    assert {k: getattr(manifest, k) for k in MANIFEST_FIELDS} == MANIFEST_FIELDS
    assert manifest.checkpoint_sha256 == "ab" * 32 and manifest.source_uri == "/videos/v1.mp4"
    assert "laps" in manifest.versions and manifest.stream is None
    on_disk = json.loads(RunPaths(tmp_path).manifest.read_text())
    assert list(on_disk) == [*manifest.to_dict()] and "stream" not in on_disk


def test_manifest_refuses_unknown_fields_on_write(tmp_path: Path) -> None:
    with pytest.raises(TypeError, match="colour"):
        write_manifest(RunPaths(tmp_path).manifest, MANIFEST_FIELDS | {"colour": "red"})


def test_windows_round_trip_keeps_nan_timings_and_nulls(tmp_path: Path) -> None:
    nan = float("nan")
    gap = _window(1, outcome="gap", energy_raw=None, energy=None, pre_gate=None, codes=None,
                  t_track_s=nan, t_total_s=nan, slack_s=nan, status="GAP", error="gap")  # fmt: skip
    written = [_window(0), gap]
    _write_lines(RunPaths(tmp_path).windows, [w.to_dict() for w in written])
    ok, cut = read_windows(tmp_path)
    assert ok == written[0]
    assert math.isnan(cut.t_track_s) and cut.energy is None and cut.error == "gap"
    assert cut.t_forward_s == gap.t_forward_s and cut.codes is None


def test_segments_round_trip(tmp_path: Path) -> None:
    segs = [_segment(0), _segment(1)]
    _write_lines(RunPaths(tmp_path).segments, [segment_record(s, clip_name(s.id)) for s in segs])
    got = read_segments(tmp_path)
    assert got == [SegmentRecord.from_segment(s, clip_name(s.id)) for s in segs]
    assert got[0].start_s == 1.0 and got[0].codes == ((1, 2), (3,)) and got[1].clip is not None


def test_perf_summary_round_trip(tmp_path: Path) -> None:
    perf = _perf(stream={"reconnects": 1, "gaps": 0})
    write_json_atomic(RunPaths(tmp_path).perf_summary, perf.to_dict())
    assert read_perf_summary(tmp_path) == perf
    assert "stream" not in _perf().to_dict()


def test_a_real_run_reads_back(motion_video: Path, tmp_path: Path) -> None:
    cfg = load_config(None, ["video.resize_shorter=160", "export.clips=false"])
    result = segment_source(str(motion_video), tmp_path, cfg)
    folder = result.out_dir
    manifest = read_manifest(folder)
    assert manifest.complete and manifest.name == "motion" and manifest.config == cfg.to_dict()
    assert [w.window for w in read_windows(folder)] == list(range(result.n_windows))
    assert [s.id for s in read_segments(folder)] == [s.id for s in result.segments]
    assert read_perf_summary(folder).to_dict() == result.perf
    assert is_complete(folder, RunPaths(folder).windows.name)


# --- schema version --------------------------------------------------------------------------


@pytest.mark.parametrize(("version", "shown"), [(99, "99"), (None, "None"), ("1", "'1'")])
def test_another_schema_version_is_refused(tmp_path: Path, version, shown: str) -> None:
    doc = {"schema_version": version, **MANIFEST_FIELDS}
    RunPaths(tmp_path).manifest.write_text(json.dumps(doc))
    message = rf"expected schema_version {SCHEMA_VERSION}, got {shown}; re-run `laps segment`"
    with pytest.raises(SchemaVersionError, match=message):
        read_manifest(tmp_path)
    assert not is_complete(tmp_path)


# --- missing and damaged files ---------------------------------------------------------------


def test_a_missing_file_says_which(tmp_path: Path) -> None:
    with pytest.raises(RunFolderError, match=r"expected .*manifest\.json, got no such file") as e:
        read_manifest(tmp_path)
    assert e.value.missing
    with pytest.raises(RunFolderError, match=r"segments\.jsonl, got no such file"):
        read_segments(tmp_path)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("{not json", r"manifest\.json: expected JSON, got a parse error"),
        ("[1, 2]", r"manifest\.json: expected a JSON object, got list"),
        (json.dumps({"schema_version": 1, "name": "v"}), r"expected key 'status', got none"),
        (
            json.dumps({"schema_version": 1, **MANIFEST_FIELDS, "config": [1]}),
            r"'config': expected dict, got list",
        ),
    ],
)
def test_a_corrupt_manifest_says_what_is_wrong(tmp_path: Path, text: str, message: str) -> None:
    RunPaths(tmp_path).manifest.write_text(text)
    with pytest.raises(RunFolderError, match=message) as e:
        read_manifest(tmp_path)
    assert not e.value.missing and "; re-run `laps segment`" in str(e.value)


def test_a_corrupt_line_names_its_line_and_key(tmp_path: Path) -> None:
    rows = [_window(0).to_dict(), _window(1).to_dict() | {"window": "one"}, _window(2).to_dict()]
    _write_lines(RunPaths(tmp_path).windows, rows)
    with pytest.raises(RunFolderError, match=r"windows\.jsonl line 2: 'window': expected int"):
        read_windows(tmp_path)
    assert [w.window for w in read_windows(tmp_path, skip_bad_lines=True)] == [0, 2]
    RunPaths(tmp_path).segments.write_text('{"id": 0, "start_s": 1}\n')
    with pytest.raises(RunFolderError, match=r"line 1: expected key 'end_s'"):
        read_segments(tmp_path)


def test_hand_made_segment_lines_get_defaults(tmp_path: Path) -> None:
    RunPaths(tmp_path).segments.write_text(
        '{"start_s": 0, "end_s": 1.5, "energy_mean": null}\n\n{"start_s": 2, "end_s": 3}\n'
    )
    first, second = read_segments(tmp_path)
    assert (first.id, second.id) == (0, 1) and math.isnan(first.energy_mean)
    assert second.clip is None and second.codes == () and second.start_frame is None


def test_or_default_is_silent_for_missing_and_warns_for_damage(tmp_path: Path, caplog) -> None:
    with caplog.at_level(logging.WARNING, logger="laps"):
        assert or_default(lambda: read_manifest(tmp_path), None) is None
        assert not caplog.records
        RunPaths(tmp_path).manifest.write_text("{not json")
        assert or_default(lambda: read_manifest(tmp_path), None) is None
    assert "expected JSON" in caplog.text


def test_is_complete_needs_status_and_files(tmp_path: Path) -> None:
    write_manifest(RunPaths(tmp_path).manifest, MANIFEST_FIELDS | {"status": "running"})
    assert not is_complete(tmp_path)
    write_manifest(RunPaths(tmp_path).manifest, MANIFEST_FIELDS)
    assert is_complete(tmp_path) and not is_complete(tmp_path, "segments.jsonl")
    RunPaths(tmp_path).segments.write_text("")
    assert is_complete(tmp_path, "segments.jsonl")
