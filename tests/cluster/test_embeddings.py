from pathlib import Path

import numpy as np
import pytest

from laps.cluster.embeddings import code_histograms, embed, random_embeddings
from laps.cluster.frozen import FrozenSpec, frozen_embeddings
from laps.cluster.runs import SegmentRef
from laps.errors import ConfigError, LapsError

SMALL = FrozenSpec(d_model=32, n_layers=2, n_heads=4, dim_feedforward=64)


def seg(i: int, codes: tuple[tuple[int, ...], ...]) -> SegmentRef:
    return SegmentRef("v", Path("run"), i, float(i), i + 1.0, codes)


def test_code_histogram_sums_to_one() -> None:
    segs = [seg(0, ((1, 2, 2), (3,))), seg(1, ((0,),)), seg(2, ())]
    h = code_histograms(segs, 8)
    assert h.shape == (3, 8)
    assert h[0].sum() == pytest.approx(1.0)
    assert h[0, 2] == pytest.approx(0.5)
    assert h[1].sum() == pytest.approx(1.0)
    assert h[2].sum() == 0.0  # no codes: a zero row


def test_codes_embedding_uses_max_code_without_checkpoint(tmp_path: Path) -> None:
    segs = [SegmentRef("v", tmp_path, 0, 0.0, 1.0, ((4, 1),))]
    assert embed(segs, "codes", seed=0).shape == (1, 5)


def test_codes_embedding_without_codes_says_how_to_fix(tmp_path: Path) -> None:
    with pytest.raises(LapsError, match="--checkpoint"):
        embed([SegmentRef("v", tmp_path, 0, 0.0, 1.0, ())], "codes", seed=0)


def test_unknown_embedding() -> None:
    with pytest.raises(ConfigError, match="frozen | codes | mean"):
        embed([seg(0, ((1,),))], "clip", seed=0)


def test_frozen_is_deterministic_per_seed_and_differs_across_seeds() -> None:
    rng = np.random.default_rng(0)
    seqs = [rng.standard_normal((n, 12)).astype(np.float32) for n in (15, 30, 45)]
    a = frozen_embeddings(seqs, seed=0, spec=SMALL)
    b = frozen_embeddings(seqs, seed=0, spec=SMALL)
    c = frozen_embeddings(seqs, seed=1, spec=SMALL)
    assert a.shape == (3, 32)
    assert np.array_equal(a, b)
    assert not np.allclose(a, c)


def test_frozen_rejects_mixed_dimensions() -> None:
    seqs = [np.zeros((3, 4), np.float32), np.zeros((3, 5), np.float32)]
    with pytest.raises(LapsError, match="same tokenizer checkpoint"):
        frozen_embeddings(seqs, seed=0, spec=SMALL)


def test_random_embeddings_are_seeded() -> None:
    assert np.array_equal(random_embeddings(4, 3, 7), random_embeddings(4, 3, 7))
    assert not np.array_equal(random_embeddings(4, 3, 7), random_embeddings(4, 3, 8))
