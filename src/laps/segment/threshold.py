"""Where thr_on comes from: Otsu (reference section 4.1), a calibration file, or a warm-up.

* :func:`otsu_threshold`: a ``bins``-bin histogram over ``[min, max]`` of the finite values,
  bin centres as class values, and the split maximising the between-class variance
  ``(mu_T * omega - mu)^2 / (omega * (1 - omega) + 1e-12)`` (first maximum). The threshold
  is the boundary of that split: the upper edge of the last lower-class bin, or the middle
  of the empty bins when several splits tie (a gap between two modes). So every value of the
  lower class is ``< thr`` and every value of the upper class ``>= thr``, matching the
  segmenter's ``e >= thr_on``; the reference returned the bin centre, which can fall below
  values of the lower class (a difference of at most half a bin). ``min < thr <= max``;
  constant input returns that value.
* :func:`threshold_from_energies`: Otsu over a whole file's finite energies.
* :class:`WarmupThreshold`: live sources; Otsu over the first ``n_windows`` finite
  energies, then held fixed for the rest of the stream.
* :func:`read_calibration`: a number at a dotted key of a JSON file.

With constant energies (e.g. a static scene, every window gated to 0) the threshold equals
that value and every window counts as positive; a warning is logged.
"""

from __future__ import annotations

import json
import logging
import math
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from laps.errors import ConfigError

logger = logging.getLogger(__name__)

_NO_DATA_FIX = "pass a fixed threshold (--threshold X) or a calibration file (--calibration F)"


def _finite(values: ArrayLike) -> NDArray[np.float64]:
    a = np.asarray(values, dtype=np.float64).ravel()
    return a[np.isfinite(a)]


def otsu_threshold(values: ArrayLike, bins: int = 256) -> float:
    """Otsu threshold of a set of values (non-finite values are ignored).

    Args:
        values: energies, any shape.
        bins: histogram bins over ``[min, max]``, >= 2.

    Returns:
        The class boundary, in ``(min, max]``; the value itself for constant input.

    Raises:
        ConfigError: no finite value, or fewer than 2 bins.
    """
    if isinstance(bins, bool) or not isinstance(bins, int) or bins < 2:
        raise ConfigError(f"otsu_threshold: expected bins >= 2, got {bins!r}; use bins=256")
    x = _finite(values)
    if x.size == 0:
        raise ConfigError(
            f"otsu_threshold: expected at least one finite value, got none of "
            f"{np.size(values)}; {_NO_DATA_FIX}"
        )
    lo, hi = float(x.min()), float(x.max())
    if lo == hi:
        return lo
    span = hi - lo
    if not math.isfinite(span):  # values near the float limits: work at half scale
        return 2.0 * otsu_threshold(x / 2.0, bins)
    idx = np.clip(np.floor((x - lo) / span * bins), 0, bins - 1).astype(np.int64)
    p = np.bincount(idx, minlength=bins).astype(np.float64) / x.size
    centres = lo + (np.arange(bins, dtype=np.float64) + 0.5) / bins * span
    omega = np.cumsum(p)
    mu = np.cumsum(p * centres)
    sigma_b = (mu[-1] * omega - mu) ** 2 / (omega * (1.0 - omega) + 1e-12)
    return float(np.clip(_class_boundary(sigma_b, lo, span), lo, hi))


def _class_boundary(sigma_b: NDArray[np.float64], lo: float, span: float) -> float:
    """Threshold between the classes of the first maximum of ``sigma_b``.

    Bins ``<= k`` form the lower class, so the boundary is bin k's upper edge. ``sigma_b`` is
    exactly flat across empty bins; over such a plateau the middle of the gap is returned.
    """
    bins = sigma_b.size
    k1 = int(np.argmax(sigma_b))
    k2 = k1
    while k2 + 1 < bins and sigma_b[k2 + 1] == sigma_b[k1]:
        k2 += 1
    return lo + ((k1 + 1) + (k2 + 1)) / (2.0 * bins) * span


def _warn_if_flat(x: NDArray[np.float64], where: str) -> None:
    if x.size and x.min() == x.max():
        logger.warning(
            "%s: all %d energies equal %.6g, so the threshold is that value and every window "
            "is above it; set segment.threshold for such sources",
            where,
            x.size,
            float(x[0]),
        )


def threshold_from_energies(values: ArrayLike) -> float:
    """thr_on for a whole file: Otsu over its finite energies.

    Args:
        values: per-window energies, NaN for failed windows.

    Returns:
        The threshold.

    Raises:
        ConfigError: no finite energy.
    """
    x = _finite(values)
    _warn_if_flat(x, "threshold_from_energies")
    return otsu_threshold(x)


class WarmupThreshold:
    """Streaming threshold for live sources: Otsu on the first ``n_windows`` finite energies.

    ``update`` returns None until ``n_windows`` finite energies were seen, then the Otsu
    threshold of those, and that same value for every later call. While every energy seen
    is equal (a static scene) it keeps observing past ``n_windows``.

    Args:
        n_windows: finite energies to observe before the threshold is fixed, >= 1.
    """

    def __init__(self, n_windows: int) -> None:
        if isinstance(n_windows, bool) or not isinstance(n_windows, int) or n_windows < 1:
            raise ConfigError(
                f"segment.warmup_windows: expected an integer >= 1, got {n_windows!r}; "
                "fix segment.warmup_windows"
            )
        self.n_windows = n_windows
        self._seen: list[float] = []
        self._value: float | None = None

    @property
    def value(self) -> float | None:
        """The fixed threshold, None while warming up."""
        return self._value

    @property
    def n_seen(self) -> int:
        """Finite energies collected so far (stops growing once the threshold is fixed)."""
        return self.n_windows if self._value is not None else len(self._seen)

    def update(self, energy: float | None) -> float | None:
        """Observe one window's energy (None / NaN / inf are not counted).

        Returns:
            None while warming up, else the fixed threshold.
        """
        if self._value is not None:
            return self._value
        if energy is not None and math.isfinite(energy):
            self._seen.append(float(energy))
        if len(self._seen) < self.n_windows:
            return None
        x = np.asarray(self._seen, dtype=np.float64)
        if x.max() == x.min():
            # A static warm-up (all energies equal, e.g. gated to 0) has no two classes to
            # split: fixing a threshold now would make every later window positive.
            # Keep observing until the energies spread.
            return None
        self._value = otsu_threshold(x)
        self._seen = []
        logger.info("warm-up threshold fixed at %.6g after %d windows", self._value, x.size)
        return self._value

    def reset(self) -> None:
        """Start a new warm-up."""
        self._seen = []
        self._value = None


def _lookup(doc: Any, key: str, path: Path) -> Any:
    node = doc
    done: list[str] = []
    for part in key.split("."):
        if not isinstance(node, dict):
            where = ".".join(done) or "the top level"
            raise ConfigError(
                f"calibration {path}: expected an object at {where} to look up {part!r}, got "
                f"{type(node).__name__}; fix segment.calibration_key ({key!r})"
            )
        if part not in node:
            where = ".".join(done) or "the top level"
            present = ", ".join(sorted(map(str, node))) or "(none)"
            raise ConfigError(
                f"calibration {path}: key {key!r} not found: no {part!r} at {where}; keys "
                f"present: {present}; fix segment.calibration_key"
            )
        node = node[part]
        done.append(part)
    return node


def read_calibration(path: Path, key: str = "threshold") -> float:
    """Read thr_on from a calibration JSON file.

    Args:
        path: the JSON file.
        key: dotted key of the number, e.g. ``quantized_token_diff_best.best_f1.thr``.

    Returns:
        The threshold (a finite number >= 0).

    Raises:
        ConfigError: missing or unreadable file, bad JSON, missing key or not a number.
    """
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8")
    except OSError as err:
        raise ConfigError(
            f"calibration file {p}: cannot read it ({err.strerror or err}); "
            "fix segment.calibration (--calibration calib.json)"
        ) from err
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as err:
        raise ConfigError(
            f"calibration file {p}: expected JSON, got a parse error at line {err.lineno} "
            f"column {err.colno}: {err.msg}; fix or regenerate the file"
        ) from err
    value = _lookup(doc, key, p)
    ok = isinstance(value, int | float) and not isinstance(value, bool)
    if not ok or not math.isfinite(value) or value < 0:
        raise ConfigError(
            f"calibration {p}: expected a finite number >= 0 at {key!r}, got {value!r}; "
            "fix the file or segment.calibration_key"
        )
    return float(value)
