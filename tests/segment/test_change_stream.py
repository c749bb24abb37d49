"""The streaming change segmenter against a batch reference computed from the step matrix."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from laps.segment.change import ChangeParams, change_scores, pick_boundaries
from laps.segment.change_stream import ChangeSegmenter, segment_changes
from laps.types import SegmentSpan

T, STRIDE = 16, 4


def planted_steps(
    lengths: list[int], dim: int, seed: int, noise: float = 0.05
) -> tuple[np.ndarray, list[int]]:
    """(S, D) step features: a random direction per run, a little noise; the change samples."""
    rng = np.random.default_rng(seed)
    dirs = rng.normal(size=(len(lengths), dim))
    x = np.vstack([np.tile(d, (n, 1)) for n, d in zip(lengths, dirs, strict=True)])
    return x + noise * rng.normal(size=x.shape), np.cumsum(lengths)[:-1].tolist()


def windows_of(
    steps: np.ndarray, length: int, stride: int, jitter: float = 0.0, seed: int = 0
) -> list[np.ndarray]:
    """Window ``w`` sees steps ``[w * stride, w * stride + length - 1)``, each with own noise."""
    rng = np.random.default_rng(seed)
    n = (len(steps) - (length - 1)) // stride + 1
    out = []
    for w in range(n):
        t = steps[w * stride : w * stride + length - 1]
        out.append(t + jitter * rng.normal(size=t.shape))
    return out


def reference_steps(
    windows: Sequence[np.ndarray | None], n_steps: int, dim: int, stride: int
) -> np.ndarray:
    """Mean token of every step over the windows that saw it (zero where none did)."""
    total, count = np.zeros((n_steps, dim)), np.zeros(n_steps)
    for w, t in enumerate(windows):
        if t is not None:
            total[w * stride : w * stride + len(t)] += t
            count[w * stride : w * stride + len(t)] += 1
    return total / np.maximum(count, 1)[:, None]


def stream(
    windows: Sequence[np.ndarray | None], p: ChangeParams, n_samples: int, length: int = T,
    stride: int = STRIDE,
) -> tuple[list[SegmentSpan], np.ndarray]:  # fmt: skip
    seg = ChangeSegmenter(p, length, stride)
    spans: list[SegmentSpan] = []
    for t in windows:
        new = seg.update(t)
        if new:  # decided spans are final: the last one ends where the open segment starts
            assert new[-1].end_sample == seg.earliest_open_sample()
        spans += new
    spans += seg.flush(n_samples)
    return spans, np.asarray(seg.scores)


def check_tiling(spans: list[SegmentSpan], n_samples: int, n_windows: int) -> None:
    assert spans[0].start_sample == 0
    assert spans[-1].end_sample == n_samples
    for a, b in zip(spans[:-1], spans[1:], strict=True):
        assert a.end_sample == b.start_sample  # no gap, no overlap
    for s in spans:
        assert s.start_sample < s.end_sample
        assert 0 <= s.start_window < s.end_window <= n_windows


def test_planted_changes_are_recovered_exactly() -> None:
    steps, changes = planted_steps([23, 31, 18, 40, 27], dim=6, seed=1)
    windows = windows_of(steps, T, STRIDE)
    n_steps = (len(windows) - 1) * STRIDE + T - 1
    n_samples = n_steps + 1
    p = ChangeParams(0.2, 4, 7)
    spans, scores = stream(windows, p, n_samples)
    assert [s.start_sample for s in spans[1:]] == changes
    check_tiling(spans, n_samples, len(windows))


@pytest.mark.parametrize(
    ("h", "r", "stride", "length"), [(4, 7, 4, 16), (1, 1, 3, 8), (6, 3, 5, 6)]
)
def test_stream_equals_the_batch_reference(h: int, r: int, stride: int, length: int) -> None:
    steps, _ = planted_steps([15, 9, 30, 12, 25, 14], dim=5, seed=h + r, noise=0.3)
    windows = windows_of(steps, length, stride, jitter=0.2, seed=7)
    n_steps = (len(windows) - 1) * stride + length - 1
    n_samples = n_steps + 3  # a few samples after the last window (no window fits)
    p = ChangeParams(0.05, h, r)
    spans, scores = stream(windows, p, n_samples, length, stride)
    ref = change_scores(reference_steps(windows, n_steps, 5, stride), h)
    assert len(scores) == n_samples  # one score per sample
    np.testing.assert_allclose(scores[:n_steps], ref, rtol=0, atol=1e-9)
    assert np.all(scores[n_steps:] == 0.0)
    expected = pick_boundaries(np.concatenate([ref, np.zeros(n_samples - n_steps)]), p)
    assert len(expected) >= 3
    assert [s.start_sample for s in spans[1:]] == expected
    check_tiling(spans, n_samples, len(windows))
    batch, batch_scores = segment_changes(windows, p, length, stride, n_samples)
    assert batch == spans and np.array_equal(batch_scores, scores)


@settings(max_examples=60, deadline=None)
@given(
    seed=st.integers(0, 2**16),
    n_windows=st.integers(1, 30),
    h=st.integers(1, 6),
    r=st.integers(1, 9),
    threshold=st.floats(0.0, 0.5),
    failed=st.sets(st.integers(0, 29)),
    extra=st.integers(1, 5),
)
def test_failed_windows_still_tile_and_match_the_reference(
    seed: int, n_windows: int, h: int, r: int, threshold: float, failed: set[int], extra: int
) -> None:
    rng = np.random.default_rng(seed)
    n_steps = (n_windows - 1) * STRIDE + T - 1
    lengths = [int(x) for x in rng.integers(3, 20, size=n_steps)]
    steps, _ = planted_steps(lengths, dim=3, seed=seed, noise=0.2)
    windows: list[np.ndarray | None] = list(windows_of(steps[:n_steps], T, STRIDE, 0.1, seed))
    assert len(windows) == n_windows
    windows = [None if w in failed else t for w, t in enumerate(windows)]
    n_samples = n_steps + extra
    p = ChangeParams(threshold, h, r)
    spans, scores = stream(windows, p, n_samples)
    check_tiling(spans, n_samples, n_windows)
    ref = change_scores(reference_steps(windows, n_steps, 3, STRIDE), h)
    ref = np.concatenate([ref, np.zeros(n_samples - n_steps)])
    np.testing.assert_allclose(scores, ref, rtol=0, atol=1e-9)
    assert [s.start_sample for s in spans[1:]] == pick_boundaries(ref, p)


def test_all_windows_failed_gives_one_span() -> None:
    n_samples = 3 * STRIDE + T
    spans, scores = stream([None] * 4, ChangeParams(0.0, 4, 7), n_samples)
    assert [(s.start_sample, s.end_sample) for s in spans] == [(0, n_samples)]
    check_tiling(spans, n_samples, 4)
    assert len(scores) == n_samples and not scores.any()


def test_constant_motion_gives_one_span_over_the_whole_stream() -> None:
    steps = np.tile([1.0, -2.0, 0.5], (3 * STRIDE + T - 1, 1))
    spans, scores = stream(windows_of(steps, T, STRIDE), ChangeParams(0.0, 4, 7), len(steps) + 1)
    assert [(s.start_window, s.end_window, s.start_sample, s.end_sample) for s in spans] == [
        (0, 4, 0, len(steps) + 1)
    ]
    assert not scores.any()


def test_span_windows_are_those_centred_inside() -> None:
    steps, changes = planted_steps([40, 40], dim=4, seed=5, noise=0.0)
    windows = windows_of(steps, T, STRIDE)
    spans, _ = stream(windows, ChangeParams(0.1, 4, 7), len(steps) + 1)
    (c,) = changes
    assert [s.start_sample for s in spans] == [0, c]
    centre = [w * STRIDE + T // 2 for w in range(len(windows))]
    for s in spans:
        inside = [w for w, m in enumerate(centre) if s.start_sample <= m < s.end_sample]
        assert (s.start_window, s.end_window) == (inside[0], inside[-1] + 1)
