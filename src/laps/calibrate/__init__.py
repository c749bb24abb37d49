"""laps.calibrate: fit thresholds and decision parameters on finished runs (docs/CALIBRATION.md).

The one home of calibration. It sits above ``laps.pipeline`` (it runs or reads runs) and below
``laps.benchmark`` and ``laps.cli``; the run-time threshold rules it writes for stay in
``laps.segment.threshold``.
"""
