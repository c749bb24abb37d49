"""laps.evaluate: score predicted segments against ground truth (docs/EVALUATION.md).

Typical use::

    from laps.evaluate import EvalOptions, evaluate, load_pairs

    report = evaluate(load_pairs(Path("out/"), Path("synth/")), EvalOptions(labels=True))
    report.summary["f1@2s"], report.summary["map@0.5"], report.per_video[0]
"""

from laps.evaluate.evaluator import EvalReport, evaluate
from laps.evaluate.options import EvalOptions
from laps.evaluate.pairing import collect_tracks, load_pairs
from laps.evaluate.tracks import SegmentTrack, VideoPair

__all__ = [
    "EvalOptions",
    "EvalReport",
    "SegmentTrack",
    "VideoPair",
    "collect_tracks",
    "evaluate",
    "load_pairs",
]
