"""Fail when a module under src/ passes the hard size cap of the house style (500 lines)."""

from __future__ import annotations

import sys
from pathlib import Path

HARD_CAP = 500


def main() -> int:
    too_big = [
        (p, n)
        for p in sorted(Path("src").rglob("*.py"))
        if (n := len(p.read_text(encoding="utf-8").splitlines())) > HARD_CAP
    ]
    for path, n in too_big:
        print(f"{path}: {n} lines > {HARD_CAP}; split it by concept")
    return 1 if too_big else 0


if __name__ == "__main__":
    sys.exit(main())
