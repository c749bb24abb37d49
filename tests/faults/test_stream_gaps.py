"""A live stream that stops and comes back, through the whole pipeline.

The source is in memory: a first connection that breaks while the scene moves, a reopen that
fails once, a second connection with more motion. The run must reconnect, record the windows
cut by the gap, close the open segment at the gap and keep every output consistent.
"""

from __future__ import annotations

import http.server
import json
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from laps.cli import app
from laps.config import load_config
from laps.errors import VideoDecodeError, VideoOpenError
from laps.pipeline.run import RunResult, segment_source
from laps.types import Frame, SourceInfo
from laps.video.reconnect import Backoff, ReconnectingSource
from videos import render_motion_video

H, W = 72, 96
INFO = SourceInfo("rtsp://***@cam.local/live", "stream", W, H, 10.0, None, None, "h264", True)
T, STRIDE = 16, 4
GAP_WALL_S = 4.0  # wall-clock seconds between the last frame before the outage and the next


def _texture(seed: int) -> np.ndarray:
    rng = np.random.default_rng(seed)
    small = rng.integers(0, 256, (H // 4 + 2, W // 4 + 2)).astype(np.uint8)
    return np.kron(small, np.ones((4, 4), np.uint8))


class ScriptedConnection:
    """One connection: ``n`` frames at 10 fps; the scene pans 2 px a frame where ``moving``."""

    def __init__(
        self, n: int, moving: Callable[[int], bool], arrival0: float, fail: bool, seed: int
    ) -> None:
        self.info = INFO
        self.n, self.moving, self.arrival0, self.fail = n, moving, arrival0, fail
        self.tex = _texture(seed)
        self.decode_time_s, self.n_decoded, self.n_sampled = 0.0, 0, 0
        self.last_index, self.end_time_s = -1, None

    def frames(self) -> Iterator[Frame]:
        x = 0
        for k in range(self.n):
            x += 2 if self.moving(k) else 0
            image = np.ascontiguousarray(np.roll(self.tex, x, axis=1)[:H, :W])
            self.n_decoded, self.n_sampled, self.last_index = k + 1, k + 1, k
            self.end_time_s = (k + 1) / 10
            color = np.repeat(image[:, :, None], 3, axis=2)  # live clips are cut from these
            yield Frame(k, k, k / 10, image, self.arrival0 + k / 10, color)
        if self.fail:
            raise VideoDecodeError(f"stream {INFO.uri} broke after {self.n} frames")

    def close(self) -> None:
        pass

    def __enter__(self) -> ScriptedConnection:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _source(waits: list[float]) -> ReconnectingSource:
    """60 frames, moving from frame 30 to the break; then a failed reopen; then 70 frames."""
    first = ScriptedConnection(60, lambda k: k >= 30, 0.0, True, 1)
    plan: list[ScriptedConnection | None] = [
        None,
        ScriptedConnection(70, lambda k: 20 <= k < 45, 5.9 + GAP_WALL_S, False, 2),
    ]

    def reopen() -> ScriptedConnection:
        item = plan.pop(0) if plan else None
        if item is None:
            raise VideoOpenError(f"cannot open stream {INFO.uri}: Connection refused")
        return item

    return ReconnectingSource(first, reopen, Backoff(2, 0.5, 8.0), wait=waits.append)


def _run(tmp_path: Path, method: str) -> tuple[RunResult, list[float]]:
    keys = ["export.energy_plot=false"]
    if method == "hysteresis":  # a fixed threshold: the gap meets a running state machine
        keys += ["segment.method=hysteresis", "segment.threshold=0.02"]
    elif method == "warmup":  # the gap comes while energies wait for the warm-up threshold
        keys += ["segment.method=hysteresis", "segment.warmup_windows=20"]
    else:
        keys += [f"segment.method={method}"]
    cfg = load_config(None, keys)
    waits: list[float] = []
    source = _source(waits)
    result = segment_source("rtsp://cam.local/live", tmp_path, cfg, source=source, name="cam")
    return result, waits


def _lines(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text().splitlines()]


def _check_windows(rows: list[dict], g: int) -> None:
    assert [r["window"] for r in rows] == list(range(len(rows)))  # contiguous, none dropped
    cut = [r for r in rows if r["outcome"] == "gap"]
    expected = [w for w in range(len(rows)) if w * STRIDE < g < w * STRIDE + T]
    assert [r["window"] for r in cut] == expected  # exactly the windows across the gap
    for r in rows:
        assert None not in (r["start_frame"], r["end_frame"], r["start_s"], r["end_s"])
        assert r["end_sample"] <= g or r["start_sample"] >= g  # no window spans the gap
        assert r["start_frame"] < r["end_frame"] and r["start_s"] <= r["end_s"]
    for r in cut:
        assert r["status"] == "GAP" and r["energy"] is None and "stream gap" in r["error"]
        assert r["end_sample"] == g and r["t_total_s"] is None
    starts = [r["start_s"] for r in rows]
    assert starts == sorted(starts)


@pytest.mark.timeout(60)
@pytest.mark.parametrize("method", ["hysteresis", "warmup", "change"])
def test_stream_gap_through_the_pipeline(tmp_path: Path, method: str) -> None:
    result, waits = _run(tmp_path, method)
    assert waits == [0.5, 1.0, 0.5, 1.0]  # two tries to come back, two before giving up
    out = result.out_dir
    rows = _lines(out / "windows.jsonl")
    g = 60  # first sample after the gap
    _check_windows(rows, g)
    gap_end_frame, gap_start_s, gap_end_s = 60, 6.0, 5.9 + GAP_WALL_S

    segs = _lines(out / "segments.jsonl")
    assert [s["id"] for s in segs] == list(range(len(segs)))
    for s in segs:
        before = s["end_sample"] <= g
        assert before or s["start_sample"] >= g  # no segment spans the gap
        if before:
            assert s["end_frame"] <= gap_end_frame and s["end_s"] <= gap_start_s
        else:
            assert s["start_frame"] >= gap_end_frame and s["start_s"] >= gap_end_s - 1e-6
    closed = [s for s in segs if s["end_sample"] == g]
    assert len(closed) == 1  # the segment open at the break ends at the gap
    assert closed[0]["end_frame"] == gap_end_frame
    assert closed[0]["end_s"] == pytest.approx(gap_start_s)
    assert any(s["start_sample"] >= g for s in segs)  # segmenting went on after it
    if method == "change":  # spans tile each side of the gap
        pre = [s for s in segs if s["end_sample"] <= g]
        post = [s for s in segs if s["start_sample"] >= g]
        assert pre[0]["start_sample"] == 0 and post[0]["start_sample"] == g
        for side in (pre, post):
            ends, starts = (
                [a["end_sample"] for a in side[:-1]],
                [b["start_sample"] for b in side[1:]],
            )
            assert ends == starts

    doc = json.loads((out / "segments.json").read_text())
    assert len(doc["segments"]) == len(segs)
    assert all(0 <= s["start_sec"] < s["end_sec"] for s in doc["segments"])

    perf = json.loads((out / "perf_summary.json").read_text())
    n_cut = sum(r["outcome"] == "gap" for r in rows)
    assert perf["window_outcomes"]["gap"] == n_cut and perf["windows_done"] == len(rows)
    assert perf["stream"]["reconnects"] == 1 and perf["stream"]["gave_up"]
    assert perf["stream"]["gap_s"] == pytest.approx(gap_end_s - gap_start_s)
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["status"] == "complete" and manifest["stream"]["gaps"] == 1
    assert manifest["stream"]["gap_list"][0]["end_frame"] == gap_end_frame
    assert sorted(p.name for p in (out / "clips").iterdir()) == [f"{s['id']:06d}.mp4" for s in segs]


class _DroppingHandler(http.server.BaseHTTPRequestHandler):
    """GET 1: half of the video, then the connection drops; GET 2: all of it; then 404."""

    video = b""
    hits: list[str] = []

    def do_GET(self) -> None:  # noqa: N802 - the http.server hook name
        self.hits.append(self.path)
        if len(self.hits) > 2:
            self.send_error(404)
            return
        self.send_response(200)
        self.send_header("Content-Type", "video/mp2t")
        self.send_header("Content-Length", str(len(self.video)))
        self.end_headers()
        part = self.video if len(self.hits) == 2 else self.video[: len(self.video) // 2]
        self.wfile.write(part)
        self.wfile.flush()
        self.close_connection = True  # the first answer is cut short: the stream drops

    def log_message(self, *args: object) -> None:
        pass


@pytest.mark.network
@pytest.mark.timeout(60)
def test_http_stream_drops_and_comes_back_through_the_cli(tmp_path: Path) -> None:
    video = render_motion_video(tmp_path / "cam.ts", seconds=6.0, active=((1.0, 5.0),))
    handler = type("Handler", (_DroppingHandler,), {"video": video.read_bytes(), "hits": []})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://user:hunter2@127.0.0.1:{server.server_address[1]}/cam.ts"
    keys = ["video.resize_shorter=120", "video.read_timeout_s=1", "video.open_timeout_s=2"]
    keys += ["video.reconnect_attempts=2", "video.reconnect_backoff_s=0.1"]
    args = ["segment", url, "--live", "--out", str(tmp_path / "out")]
    try:
        result = CliRunner().invoke(app, [*args, *[a for k in keys for a in ("--set", k)]])
    finally:
        server.shutdown()
        server.server_close()
    assert result.exit_code == 0, result.output
    assert len(handler.hits) == 4  # the cut answer, the full one, two refused tries
    (out,) = [m.parent for m in (tmp_path / "out").glob("*/manifest.json")]
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["status"] == "complete" and "hunter2" not in json.dumps(manifest)
    stream = manifest["stream"]
    assert stream["reconnects"] == 1 and stream["gaps"] == 1 and stream["gave_up"]
    gap = stream["gap_list"][0]
    rows = _lines(out / "windows.jsonl")
    _check_windows(rows, gap["sample"])
    segs = _lines(out / "segments.jsonl")
    for s in segs:
        assert s["end_sample"] <= gap["sample"] or s["start_sample"] >= gap["sample"]
    assert segs and segs[-1]["start_sample"] >= gap["sample"]  # segmenting went on after it
