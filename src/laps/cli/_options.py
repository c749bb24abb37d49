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


# -- batches (laps segment / tracks / run) ---------------------------------------------------
WorkersOpt = Annotated[
    int | None,
    typer.Option(
        help="Videos processed at once on this machine (processes; default 1). With --ray: "
        "CPUs of a Ray instance started here (default: all)."
    ),
]
RayOpt = Annotated[
    bool,
    typer.Option("--ray", help="Run on Ray (pip install 'laps\\[dist]'); see --ray-address."),
]
RayAddressOpt = Annotated[
    str | None,
    typer.Option(
        "--ray-address",
        help="Join this Ray cluster (auto, HOST:PORT or ray://HOST:PORT; implies --ray). "
        "Without it, --ray starts Ray on this machine.",
    ),
]
SourcesFromOpt = Annotated[
    list[Path] | None,
    typer.Option(
        "--sources-from", help="A text file listing videos or URIs, one per line (repeatable)."
    ),
]
RetriesOpt = Annotated[
    int, typer.Option(help="Extra attempts for a video whose failure may be transient.")
]


def ray_address(use_ray: bool, address: str | None) -> str | None:
    """The Ray address of ``--ray`` / ``--ray-address`` (None: no Ray; ``local``: start one)."""
    if address is not None:
        return address
    return "local" if use_ray else None


def batch_workers(workers: int | None, address: str | None) -> int:
    """``--workers`` as the batch options take it (0: every CPU of a local Ray instance)."""
    if workers is not None:
        return workers
    return 0 if address is not None else 1
