"""laps.video: see docs/ARCHITECTURE.md."""
