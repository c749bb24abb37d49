"""laps.export: see docs/ARCHITECTURE.md."""
