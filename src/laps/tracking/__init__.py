"""laps.tracking: see docs/ARCHITECTURE.md."""
