"""laps.report: a static HTML report of a run (timelines, clips, perf, evaluation, clusters).

Typical use::

    from laps.report import build_report

    index = build_report(Path("out"), Path("out/report"), gt=Path("synth"))
"""

from laps.report.build import build_report

__all__ = ["build_report"]
