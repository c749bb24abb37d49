"""Options of ``laps cluster``, checked once."""

from __future__ import annotations

import re
from dataclasses import dataclass

from laps.cluster.embeddings import EMBEDDINGS
from laps.errors import ConfigError

DEFAULT_K_RANGE = (2, 20)
MAPS = ("pca", "umap")
_RANGE = re.compile(r"^\s*(\d+)\s*(?:\.\.|-|:)\s*(\d+)\s*$")


def parse_k_range(text: str) -> tuple[int, int]:
    """``"2..20"`` -> ``(2, 20)``.

    Raises:
        ConfigError: when it is not ``LO..HI`` with ``2 <= LO <= HI``.
    """
    m = _RANGE.match(text)
    lo, hi = (int(m.group(1)), int(m.group(2))) if m else (0, -1)
    if not m or lo < 2 or hi < lo:
        raise ConfigError(
            f"--k-range: expected LO..HI with 2 <= LO <= HI (e.g. 2..20), got {text!r}; "
            "fix the range"
        )
    return lo, hi


@dataclass(frozen=True)
class ClusterOptions:
    """What ``laps cluster`` does.

    Attributes:
        k: fixed number of clusters, or None to choose it by silhouette over ``k_range``.
        k_range: inclusive range of K tried when ``k`` is None.
        embedding: ``frozen`` | ``codes`` | ``mean``.
        seed: seed of the frozen encoder, k-means, the map and the random baseline.
        map_method: ``pca`` (default) | ``umap`` (needs the ``[viz]`` extra).
        baseline_repeats: random-embedding fits averaged for the GT baseline.
    """

    k: int | None = None
    k_range: tuple[int, int] = DEFAULT_K_RANGE
    embedding: str = "frozen"
    seed: int = 0
    map_method: str = "pca"
    baseline_repeats: int = 5

    def __post_init__(self) -> None:
        if self.embedding not in EMBEDDINGS:
            raise ConfigError(
                f"--embedding: expected one of {' | '.join(EMBEDDINGS)}, got "
                f"{self.embedding!r}; pick one of them"
            )
        if self.map_method not in MAPS:
            raise ConfigError(
                f"--map: expected one of {' | '.join(MAPS)}, got {self.map_method!r}; pick one"
            )
        if self.k is not None and self.k < 2:
            raise ConfigError(f"--k: expected at least 2 clusters, got {self.k}; pass --k 2+")
