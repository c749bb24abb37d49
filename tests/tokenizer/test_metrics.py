"""Epoch metrics: usage of the true codebook, perplexity, accuracy on all and moving steps."""

import math

import torch

from laps.tokenizer.loss import LossParts
from laps.tokenizer.metrics import EpochStats, codebook_usage_pct, displacement_hits, perplexity


def test_usage_counts_against_the_true_codebook_size() -> None:
    counts = torch.zeros(1920, dtype=torch.int64)
    counts[:960] = 1
    assert codebook_usage_pct(counts) == 50.0


def test_perplexity_is_the_effective_number_of_codes() -> None:
    counts = torch.zeros(100, dtype=torch.int64)
    counts[:4] = 25
    assert math.isclose(perplexity(counts), 4.0)
    counts[0] = 1000
    assert 1.0 < perplexity(counts) < 4.0
    assert perplexity(torch.zeros(5, dtype=torch.int64)) == 0.0


def test_hits_on_all_and_on_moving_steps() -> None:
    target = torch.tensor([112, 112, 3, 4, 5])
    logits = torch.nn.functional.one_hot(torch.tensor([112, 0, 3, 0, 5]), 225).float()
    mask = torch.tensor([True, True, True, True, False])
    h = displacement_hits(logits, target, mask, centre=112)
    assert tuple(h) == (2, 4, 1, 2)


def test_epoch_stats_weight_batches_by_windows() -> None:
    stats = EpochStats(codebook_size=10)
    one = torch.tensor(1.0)
    still = torch.full((1,), 112)
    logits = torch.nn.functional.one_hot(still, 225).float()
    h = displacement_hits(logits, still, torch.ones(1, dtype=torch.bool), 112)
    stats.add(LossParts(one, one, one * 0), h, torch.zeros(1, 3, dtype=torch.long))
    stats.add(LossParts(one * 4, one * 4, one * 0), h, torch.ones(3, 3, dtype=torch.long))
    s = stats.summary("val")
    assert s["val_loss"] == (1 + 4 * 3) / 4 and s["val_windows"] == 4
    assert s["val_usage_pct"] == 20.0 and s["val_accuracy"] == 1.0
    assert math.isnan(s["val_moving_accuracy"])  # no moving step seen
