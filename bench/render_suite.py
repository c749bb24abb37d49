"""Render a benchmark suite with several processes, then write its manifest.

`laps synth suite` renders one video at a time; on a many-core machine this script renders
them in parallel (same seeds, same files) and then lets `write_suite` check every video and
write `suite.json`.

Usage:
    python bench/render_suite.py --out suite/ [--jobs 16]
"""

from __future__ import annotations

import argparse
import logging
from multiprocessing import get_context
from pathlib import Path

from laps.synth.generate import render_video
from laps.synth.suite import SuiteEntry, suite_entries, write_suite


def _render(args: tuple[SuiteEntry, str]) -> str:
    entry, out = args
    folder = Path(out) / entry.split
    folder.mkdir(parents=True, exist_ok=True)
    render_video(entry.config, folder)
    return entry.config.file_stem


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", required=True)
    ap.add_argument("--jobs", type=int, default=2)
    args = ap.parse_args()
    logging.basicConfig(level=logging.WARNING)
    entries = suite_entries()
    with get_context("spawn").Pool(args.jobs) as pool:
        for stem in pool.imap_unordered(_render, [(e, args.out) for e in entries]):
            print("rendered", stem, flush=True)
    print("manifest", write_suite(Path(args.out)), flush=True)


if __name__ == "__main__":
    main()
