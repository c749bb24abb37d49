"""Frame-wise labelling metrics as MS-TCN defines them: MoF, Edit, segmental F1@k.

All three read frame label arrays after the Hungarian renaming (``framewise.py``) and are on
a 0-100 scale, as in MS-TCN's ``eval.py``:

- MoF (MS-TCN's "Acc"): correct frames / frames, over all frames (background included).
- Edit: ``(1 - levenshtein / max(len)) * 100`` of the sequences of segment labels, background
  runs left out; 100 when both have no segment.
- F1@k: each predicted segment takes the true segment of the same label with the highest
  IoU (frames; union = hull, as MS-TCN) and is a TP when IoU >= k and that true segment is
  not yet hit. FN = true segments never hit. Counts are summed over videos before F1.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from laps.evaluate.framewise import BACKGROUND, Labels

F1_OVERLAPS = (0.10, 0.25, 0.50)

Run = tuple[str, int, int]  # label, first frame, end frame (exclusive)


@dataclass(frozen=True, slots=True)
class LabelScore:
    """One video's labelling counts and scores (MoF / Edit in 0-100)."""

    correct: int
    frames: int
    edit: float
    tp: tuple[int, ...]
    fp: tuple[int, ...]
    fn: tuple[int, ...]

    @property
    def mof(self) -> float:
        """Correct frames in percent (0 for an empty video)."""
        return 100.0 * self.correct / self.frames if self.frames else 0.0


def label_runs(frames: Labels, background: str = BACKGROUND) -> list[Run]:
    """Maximal runs of one label, background runs left out."""
    if frames.size == 0:
        return []
    change = np.flatnonzero(frames[1:] != frames[:-1]) + 1
    starts = np.concatenate(([0], change))
    ends = np.concatenate((change, [frames.size]))
    return [
        (str(frames[s]), int(s), int(e))
        for s, e in zip(starts, ends, strict=True)
        if frames[s] != background
    ]


def levenshtein(a: Sequence[str], b: Sequence[str]) -> int:
    """Edit distance (insertions, deletions, substitutions each cost 1)."""
    prev = list(range(len(b) + 1))
    for i, x in enumerate(a, start=1):
        cur = [i]
        for j, y in enumerate(b, start=1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (x != y)))
        prev = cur
    return prev[-1]


def edit_score(pred: Sequence[str], truth: Sequence[str]) -> float:
    """MS-TCN's normalised edit score of two segment label sequences, 0-100."""
    longest = max(len(pred), len(truth))
    if longest == 0:
        return 100.0
    return (1.0 - levenshtein(pred, truth) / longest) * 100.0


def segment_hits(pred: Sequence[Run], truth: Sequence[Run], overlap: float) -> tuple[int, int, int]:
    """MS-TCN's segmental (tp, fp, fn) at an IoU threshold."""
    if not truth:
        return 0, len(pred), 0
    t_label = np.array([r[0] for r in truth])
    t_start = np.array([r[1] for r in truth], dtype=np.float64)
    t_end = np.array([r[2] for r in truth], dtype=np.float64)
    hit = np.zeros(len(truth), dtype=bool)
    tp = fp = 0
    for label, start, end in pred:
        inter = np.minimum(end, t_end) - np.maximum(start, t_start)
        union = np.maximum(end, t_end) - np.minimum(start, t_start)
        iou = inter / union * (t_label == label)
        best = int(np.argmax(iou))
        if iou[best] >= overlap and not hit[best]:
            hit[best] = True
            tp += 1
        else:
            fp += 1
    return tp, fp, len(truth) - int(hit.sum())


def segmental_f1(tp: int, fp: int, fn: int) -> float:
    """F1 in percent from summed counts (0 when there is nothing to score)."""
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    total = precision + recall
    return 200.0 * precision * recall / total if total else 0.0


def score_labels(
    pred: Labels, truth: Labels, overlaps: Sequence[float] = F1_OVERLAPS
) -> LabelScore:
    """MoF counts, Edit and F1 counts of one video's renamed predicted frames."""
    p_runs, t_runs = label_runs(pred), label_runs(truth)
    hits = [segment_hits(p_runs, t_runs, k) for k in overlaps]
    return LabelScore(
        correct=int(np.sum(pred == truth)),
        frames=int(truth.size),
        edit=edit_score([r[0] for r in p_runs], [r[0] for r in t_runs]),
        tp=tuple(h[0] for h in hits),
        fp=tuple(h[1] for h in hits),
        fn=tuple(h[2] for h in hits),
    )


def missing_score(truth: Labels, overlaps: Sequence[float] = F1_OVERLAPS) -> LabelScore:
    """The score of a video without prediction: nothing right, every true segment missed."""
    n = len(label_runs(truth))
    zeros = tuple(0 for _ in overlaps)
    return LabelScore(0, int(truth.size), 0.0, zeros, zeros, tuple(n for _ in overlaps))
