"""A 2-D map of the normalised embeddings: PCA, or UMAP when umap-learn is installed.

UMAP is an optional extra (``pip install laps[viz]``): it pays seconds of JIT per process.
"""

from __future__ import annotations

import importlib.util
import logging

import numpy as np
from numpy.typing import NDArray
from sklearn.decomposition import PCA

logger = logging.getLogger(__name__)


def umap_available() -> bool:
    """Whether umap-learn can be imported."""
    return importlib.util.find_spec("umap") is not None


def pca_map(x: NDArray[np.float64], seed: int) -> NDArray[np.float64]:
    """First two principal components (zeros pad a missing second one)."""
    n_comp = min(2, x.shape[0], x.shape[1])
    xy = PCA(n_components=n_comp, random_state=seed).fit_transform(x)
    return np.pad(xy, ((0, 0), (0, 2 - n_comp)))


def umap_map(x: NDArray[np.float64], seed: int) -> NDArray[np.float64]:
    """UMAP with the reference's settings (15 neighbours, min_dist 0.1, cosine)."""
    import umap  # noqa: PLC0415 - optional [viz] extra

    reducer = umap.UMAP(
        n_neighbors=min(15, len(x) - 1), min_dist=0.1, metric="cosine", random_state=seed
    )
    return np.asarray(reducer.fit_transform(x), dtype=np.float64)


def map_2d(x: NDArray[np.float64], method: str, seed: int) -> tuple[NDArray[np.float64], str]:
    """The 2-D map and the method used (``umap`` falls back to ``pca`` when unavailable)."""
    if method == "umap" and umap_available() and len(x) > 3:
        return umap_map(x, seed), "umap"
    if method == "umap":
        logger.warning("umap-learn is not installed (pip install 'laps[viz]'); map uses PCA")
    return pca_map(x, seed), "pca"
