"""Frame-wise labels from segments, and the Hungarian mapping of predicted to true labels.

Segments are half-open ``[start, end)`` and sampled at ``k / rate`` for ``k = 0 .. n-1``,
``n = ceil(end_of_video * rate)``, so a generator video at its own frame rate gives back its
per-frame labels. Time not covered by any segment gets :data:`BACKGROUND`; where predicted
segments overlap, the later-starting one wins.

Unsupervised labels (cluster ids) mean nothing by name, so each predicted label is mapped to
at most one true label, the one-to-one assignment that maximises the frames they share
(``scipy.optimize.linear_sum_assignment``); predicted labels left over map to
``unmatched:<name>``, which agrees with no true label. Predicted background (gaps) takes part
in the assignment like any label (gaps are often the idle primitive), but when it is left over
it stays background rather than becoming a wrong label.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence

import numpy as np
from numpy.typing import NDArray
from scipy.optimize import linear_sum_assignment

BACKGROUND = "__background__"
DEFAULT_RATE_HZ = 30.0

Labels = NDArray[np.str_]


def frame_times(end_s: float, rate_hz: float) -> NDArray[np.float64]:
    """Sample times ``k / rate`` covering ``[0, end_s)``."""
    n = max(0, math.ceil(end_s * rate_hz - 1e-9))
    return np.arange(n, dtype=np.float64) / rate_hz


def frame_labels(
    segments: Sequence[tuple[float, float]], labels: Sequence[str], times: NDArray[np.float64]
) -> Labels:
    """The label of each sample time: the segment containing it, else background."""
    out = np.full(times.size, BACKGROUND, dtype=object)
    order = sorted(range(len(segments)), key=lambda k: segments[k][0])
    for k in order:
        start, end = segments[k]
        lo, hi = np.searchsorted(times, [start, end], side="left")
        out[lo:hi] = labels[k]
    return out.astype(np.str_)


def overlap_counts(pred: Labels, truth: Labels) -> Counter[tuple[str, str]]:
    """Frames shared by each (predicted label, true label) pair.

    Predicted labels come in order of first appearance, so that ties in the assignment are
    broken the same way whatever the clusters are called.
    """
    if pred.size == 0:
        return Counter()
    names, first = np.unique(pred, return_index=True)
    rank = {str(n): int(f) for n, f in zip(names, first, strict=True)}
    pairs, counts = np.unique(np.stack([pred, truth]), axis=1, return_counts=True)
    found = [((str(p), str(t)), int(c)) for (p, t), c in zip(pairs.T, counts, strict=True)]
    return Counter(dict(sorted(found, key=lambda item: rank[item[0][0]])))


def hungarian_mapping(counts: Mapping[tuple[str, str], int]) -> dict[str, str]:
    """Predicted label -> true label maximising the shared frames, one to one."""
    pred_names = list(dict.fromkeys(p for p, _ in counts))  # first-appearance order
    true_names = sorted({t for _, t in counts})
    row = {name: i for i, name in enumerate(pred_names)}
    col = {name: j for j, name in enumerate(true_names)}
    overlap = np.zeros((len(pred_names), len(true_names)))
    for (p, t), c in counts.items():
        overlap[row[p], col[t]] = c
    rows, cols = linear_sum_assignment(overlap, maximize=True)
    # A pair sharing no frame is no match: it would only rename a label arbitrarily.
    mapping = {
        pred_names[r]: true_names[c] for r, c in zip(rows, cols, strict=True) if overlap[r, c]
    }
    for name in pred_names:
        mapping.setdefault(name, BACKGROUND if name == BACKGROUND else f"unmatched:{name}")
    return mapping


def apply_mapping(pred: Labels, mapping: Mapping[str, str]) -> Labels:
    """Rename predicted labels; names missing from the mapping become ``unmatched:<name>``."""
    names, inverse = np.unique(pred, return_inverse=True)
    renamed = np.array([mapping.get(str(n), f"unmatched:{n}") for n in names], dtype=np.str_)
    return renamed[inverse] if pred.size else pred


def merged_counts(parts: Iterable[Counter[tuple[str, str]]]) -> Counter[tuple[str, str]]:
    """Overlap counts summed over videos (for one mapping over the whole dataset)."""
    total: Counter[tuple[str, str]] = Counter()
    for part in parts:
        total.update(part)
    return total
