"""laps.evaluate: see docs/ARCHITECTURE.md."""
