"""laps.pipeline: composes the streaming stages into one run per source."""
