"""Fixtures of the tracker tests."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from .synthetic import AffineSequence, affine_sequence, step_matrix


@pytest.fixture
def make_sequence() -> Callable[..., AffineSequence]:
    """Factory: ``make_sequence(kind, n_steps, shift=(2.5, -1.5), seed=0)``."""

    def make(
        kind: str, n_steps: int = 8, shift: tuple[float, float] = (2.5, -1.5), seed: int = 0
    ) -> AffineSequence:
        return affine_sequence(step_matrix(kind, shift), n_steps, seed)

    return make
