"""``laps cluster``: discover action primitives by clustering the segments of laps runs.

Examples:
    laps cluster out/ --out clusters/
    laps cluster out/ --out clusters/ --k 6 --embedding codes
    laps cluster out/ more_out/run1 --out clusters/ --k-range 3..12 --gt synth/ --seed 1
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Annotated

import typer

from laps.cli._errors import guarded, setup_logging
from laps.cli._options import DebugOpt, OutOpt, QuietOpt
from laps.cluster import ClusterOptions, Discovery, discover, parse_k_range, write_outputs

logger = logging.getLogger("laps.cli.cluster")


def _summary(d: Discovery, out: Path) -> str:
    sil = d.fit.metrics["silhouette"]
    text = f"{len(d.segments)} segments, K={d.fit.k}, silhouette {sil:.3f} -> {out}"
    if d.gt is not None:
        ours, base = d.gt["clusters"], d.gt["random_baseline"]
        text += (
            f"; vs GT: NMI {ours['nmi']:.3f} (random {base['nmi']:.3f}), "
            f"ARI {ours['ari']:.3f} (random {base['ari']:.3f}), "
            f"purity {ours['purity']:.3f} (random {base['purity']:.3f})"
        )
    return text


def cluster(
    runs: Annotated[
        list[Path], typer.Argument(help="Run folders, or output folders holding run folders.")
    ],
    out: OutOpt,
    k: Annotated[
        int | None, typer.Option("--k", help="Number of clusters (default: by silhouette).")
    ] = None,
    k_range: Annotated[
        str, typer.Option("--k-range", help="K tried when --k is not given: LO..HI.")
    ] = "2..20",
    embedding: Annotated[
        str, typer.Option(help="Segment embedding: frozen | codes | mean.")
    ] = "frozen",
    gt: Annotated[
        Path | None,
        typer.Option("--gt", help="Ground-truth folder (laps synth JSONs): NMI / ARI / purity."),
    ] = None,
    seed: Annotated[int, typer.Option(help="Seed of the encoder, k-means, map and baseline.")] = 0,
    map_method: Annotated[
        str, typer.Option("--map", help="2-D map: pca | umap (needs the [viz] extra).")
    ] = "pca",
    debug: DebugOpt = False,
    quiet: QuietOpt = False,
) -> None:
    """Cluster segments into primitives: clusters.json, segments.parquet, map.png."""
    setup_logging(debug, quiet)

    def options() -> ClusterOptions:
        return ClusterOptions(
            k=k,
            k_range=parse_k_range(k_range),
            embedding=embedding,
            seed=seed,
            map_method=map_method,
        )

    opts = guarded(options, debug)
    found = guarded(lambda: discover(runs, opts, gt), debug)
    guarded(lambda: write_outputs(out, found, opts), debug)
    logger.info("%s", _summary(found, out))
