"""laps.energy: see docs/ARCHITECTURE.md."""
