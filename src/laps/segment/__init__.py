"""laps.segment: see docs/ARCHITECTURE.md."""
