"""laps.cli: see docs/ARCHITECTURE.md."""
