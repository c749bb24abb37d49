"""laps.window: the windows of T sampled frames the tracks are cut into (see config.py)."""

from laps.window.config import WindowConfig

__all__ = ["WindowConfig"]
