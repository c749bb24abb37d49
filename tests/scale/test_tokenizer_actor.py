"""The tokenizer actor gathers concurrent requests from several videos into one forward."""

from __future__ import annotations

import asyncio
from pathlib import Path

import numpy as np

from laps.scale.ray import TokenizerActor
from laps.tokenizer.loading import load_tokenizer

SHIPPED = Path(__file__).parents[2] / "src" / "laps" / "tokenizer" / "assets" / "suite1_small.pt"


def test_concurrent_calls_share_one_forward_and_get_their_own_windows() -> None:
    actor = TokenizerActor(SHIPPED.read_bytes(), "cpu")
    direct = load_tokenizer(SHIPPED, "cpu")
    assert direct is not None
    rng = np.random.default_rng(0)
    n_points = 400
    requests = [rng.normal(0, 0.05, (k, 15, n_points, 2)).astype(np.float32) for k in (3, 1, 5)]

    async def three_videos() -> list[list]:
        return list(await asyncio.gather(*(actor.encode(r) for r in requests)))

    answers = asyncio.run(three_videos())
    assert actor.stats() == {"calls": 3, "batches": 1, "windows": 9}
    for request, answer in zip(requests, answers, strict=True):
        expected = direct.encoder.encode_batch(request)
        assert len(answer) == len(request)
        for got, want in zip(answer, expected, strict=True):
            np.testing.assert_array_equal(got.codes, want.codes)
            np.testing.assert_allclose(got.quantized, want.quantized, atol=1e-6)


def test_a_failing_forward_reaches_every_caller_of_its_batch() -> None:
    actor = TokenizerActor(SHIPPED.read_bytes(), "cpu")
    bad = np.zeros((2, 15, 7, 2), np.float32)  # 7 points: not the checkpoint's grid

    async def two_videos() -> list[object]:
        calls = (actor.encode(bad), actor.encode(bad))
        return list(await asyncio.gather(*calls, return_exceptions=True))

    results = asyncio.run(two_videos())
    assert len(results) == 2 and all(isinstance(r, Exception) for r in results)
    assert actor.stats()["batches"] == 0
