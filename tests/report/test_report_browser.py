"""The report in a real headless Chromium: it loads from file:// with no network and no
console error, every image decodes, and a screenshot is taken.

Skips without a Chromium binary (install Debian ``chromium``); the Python-side checks of the
same page (references exist, escaping) are in test_report_build.py and run everywhere.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from laps.report import build_report

from .conftest import RunFixture
from .pagecheck import local_file, page_refs

BROWSERS = ("chromium", "chromium-browser", "google-chrome")
CONSOLE_ERROR = re.compile(r"Uncaught|ERROR:CONSOLE|Refused to|net::ERR_")


def _browser() -> str:
    for name in BROWSERS:
        path = shutil.which(name)
        if path:
            return path
    pytest.skip("no headless browser found: install Debian chromium")


def _chromium(binary: str, profile: Path, *args: str) -> subprocess.CompletedProcess[str]:
    base = [
        binary,
        "--headless",
        "--disable-gpu",
        "--no-sandbox",
        "--no-first-run",
        f"--user-data-dir={profile}",
        "--host-resolver-rules=MAP * ~NOTFOUND",  # no name resolution: no network
        "--enable-logging=stderr",
        "--v=0",
    ]
    return subprocess.run([*base, *args], capture_output=True, text=True, timeout=60, check=False)


def test_page_loads_in_chromium(report_run: RunFixture, tmp_path: Path) -> None:
    binary = _browser()
    index = build_report(report_run.out, tmp_path / "report", report_run.gt, report_run.clusters)
    for _, url in page_refs(index):
        target = local_file(index, url)
        assert target is None or target.is_file(), url
    url = index.resolve().as_uri()

    dom = _chromium(binary, tmp_path / "profile", "--dump-dom", url)
    assert dom.returncode == 0, dom.stderr[-2000:]
    body = re.search(r"<body[^>]*>", dom.stdout)
    assert body is not None, dom.stdout[:500]
    assert 'data-report="ready"' in body.group(0), body.group(0)  # the inline script ran
    assert 'data-broken-images="0"' in body.group(0), body.group(0)  # every <img> decoded
    shot = tmp_path / "shot.png"
    run = _chromium(
        binary, tmp_path / "profile", f"--screenshot={shot}", "--window-size=1280,2000", url
    )
    assert run.returncode == 0, run.stderr[-2000:]
    assert shot.is_file() and shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    for log in (dom.stderr, run.stderr):
        errors = [line for line in log.splitlines() if CONSOLE_ERROR.search(line)]
        assert not errors, errors
