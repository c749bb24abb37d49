"""Shared typer option aliases."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

ConfigOpt = Annotated[
    Path | None, typer.Option("--config", "-c", help="YAML config file (see `laps config show`).")
]
SetOpt = Annotated[
    list[str] | None,
    typer.Option("--set", "-s", help="Override a config key: section.key=value (repeatable)."),
]
OutOpt = Annotated[Path, typer.Option("--out", "-o", help="Output folder.")]
DebugOpt = Annotated[bool, typer.Option("--debug", help="Show tracebacks and debug logs.")]
QuietOpt = Annotated[bool, typer.Option("--quiet", "-q", help="Only warnings and errors.")]
TrackerOpt = Annotated[
    str | None, typer.Option("--tracker", help="Tracker backend: dis | lk | cotracker.")
]
CoTrackerRepoOpt = Annotated[
    Path | None,
    typer.Option(
        "--cotracker-repo", help="--tracker cotracker: local clone of facebookresearch/co-tracker."
    ),
]
CoTrackerCheckpointOpt = Annotated[
    Path | None,
    typer.Option(
        "--cotracker-checkpoint", help="--tracker cotracker: CoTracker3 online weights file."
    ),
]


def tracker_flags(
    tracker: str | None, repo: Path | None, checkpoint: Path | None
) -> dict[str, Any]:
    """The load_config flags of the tracker options (None = unset)."""
    return {
        "tracking__backend": tracker,
        "tracking__cotracker__repo": repo,
        "tracking__cotracker__checkpoint": checkpoint,
    }
