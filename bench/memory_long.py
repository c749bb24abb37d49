"""Memory over a long stream (issue 2): peak RSS sampled while a long video is segmented.

Usage:
    python bench/memory_long.py [--video V.mp4] [--minutes 30] [--size 640x360] [--live]
Without ``--video`` a workstation video of ``--minutes`` is generated first (at ``--size``
to keep generation quick; the pipeline works at 320p whatever the source size). Prints the
RSS (MB) at every 10% of the windows and the growth from 10% to 100%.
"""

from __future__ import annotations

import argparse
import json
import resource
import tempfile
import time
from pathlib import Path

from laps.config import load_config
from laps.pipeline.run import segment_source


def rss_mb() -> float:
    """Current resident set size, MB (from /proc)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


class RssProbe:
    """Run observer sampling RSS every ``every`` windows."""

    def __init__(self, every: int) -> None:
        self.every = every
        self.samples: list[tuple[int, float, float]] = []
        self.t0 = time.monotonic()

    def started(self, name, info) -> None:
        self.samples.append((0, 0.0, rss_mb()))

    def frame(self, frame) -> None:
        pass

    def window(self, record) -> None:
        if record.window % self.every == 0:
            self.samples.append((record.window, record.end_s, rss_mb()))

    def finished(self, result) -> None:
        pass


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--video")
    ap.add_argument("--minutes", type=float, default=30.0)
    ap.add_argument("--size", default="640x360")
    ap.add_argument("--live", action="store_true")
    args = ap.parse_args()
    video = args.video
    if video is None:
        from laps.synth import SynthConfig, render_video

        w, h = (int(v) for v in args.size.split("x"))
        cfg = SynthConfig(seed=11, duration_s=args.minutes * 60, width=w, height=h)
        video = str(render_video(cfg, Path(tempfile.mkdtemp())).video)
    cfg = load_config(None, ["export.clips=false"])
    probe = RssProbe(every=100)
    with tempfile.TemporaryDirectory() as out:
        t0 = time.perf_counter()
        res = segment_source(video, Path(out), cfg, live=args.live, observer=probe)
        wall = time.perf_counter() - t0
    rss = [s[2] for s in probe.samples[1:]]
    tenth = rss[len(rss) // 10] if rss else float("nan")
    print(
        json.dumps(
            {
                "video": video,
                "video_s": res.perf["frames_sampled"] / cfg.video.target_fps,
                "windows": res.n_windows,
                "wall_s": wall,
                "rss_start_mb": probe.samples[0][2],
                "rss_at_10pct_mb": tenth,
                "rss_end_mb": rss[-1] if rss else None,
                "growth_10pct_to_end_mb": (rss[-1] - tenth) if rss else None,
                "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                "rss_trace": [
                    (w, round(t, 1), round(r, 1))
                    for w, t, r in probe.samples[:: max(1, len(probe.samples) // 10)]
                ],
            },
            indent=1,
        )
    )


if __name__ == "__main__":
    main()
