"""Primitive discovery (``laps cluster``): segment embeddings, cosine k-means, maps, GT scores.

Reference section 6; data flow in docs/ARCHITECTURE.md.
"""

from laps.cluster.discover import Discovery, discover
from laps.cluster.options import ClusterOptions, parse_k_range
from laps.cluster.outputs import write_outputs

__all__ = ["ClusterOptions", "Discovery", "discover", "parse_k_range", "write_outputs"]
