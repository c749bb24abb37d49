"""laps: unsupervised action-primitive segmentation of long work videos."""

__version__ = "0.1.0"
__all__ = ["__version__"]
