"""Synthetic window features with planted piecewise-constant structure."""

import numpy as np


def planted(
    cuts: list[int], n: int, d: int = 16, noise: float = 0.03, seed: int = 0, means=None
) -> np.ndarray:
    """(n, d) non-negative rows: block j has its own random mean, plus Gaussian noise."""
    rng = np.random.default_rng(seed)
    bounds = [0, *cuts, n]
    if means is None:
        means = rng.uniform(0, 1, (len(bounds) - 1, d))
    x = np.concatenate(
        [
            np.repeat(means[j][None], b - a, axis=0)
            for j, (a, b) in enumerate(zip(bounds, bounds[1:], strict=False))
        ]
    )
    return np.abs(x + rng.normal(0, noise, x.shape))
