"""Dense DIS optical flow, sampled at the points of every active set."""

from __future__ import annotations

import cv2
import numpy as np
from numpy.typing import NDArray

from laps.tracking.config import DisPreset, TrackingConfig
from laps.tracking.functional import bilinear_sample, fb_lost
from laps.tracking.pointsets import PointSetTracker

_PRESETS = {
    DisPreset.ULTRAFAST: cv2.DISOpticalFlow_PRESET_ULTRAFAST,
    DisPreset.FAST: cv2.DISOpticalFlow_PRESET_FAST,
    DisPreset.MEDIUM: cv2.DISOpticalFlow_PRESET_MEDIUM,
}


class DisTracker(PointSetTracker):
    """Point tracker on OpenCV's DIS optical flow (Kroeger et al., ECCV 2016).

    Per frame pair it computes the dense forward flow F (prev -> cur) and backward flow B
    (cur -> prev) once, whatever the number of active sets, and moves each point by
    ``p1 = p0 + F(p0)`` with bilinear sampling. A point is lost when the round trip
    ``p1 + B(p1)`` misses ``p0`` by more than ``cfg.fb_threshold_px`` or ``p1`` leaves the frame.
    Cost does not depend on the number of points (about 4 ms per pair at 320x568, ultrafast).

    Args:
        cfg: tracking config; ``dis_preset``, ``dis_finest_scale``, ``fb_threshold_px``,
            ``min_texture`` and ``texture_block_px`` are used. Defaults to
            ``TrackingConfig(backend="dis")``.
    """

    name = "dis"

    def __init__(self, cfg: TrackingConfig | None = None) -> None:
        cfg = cfg if cfg is not None else TrackingConfig(backend="dis")
        super().__init__(cfg)
        # One instance, reused for both directions and every pair: creation allocates.
        self._dis = cv2.DISOpticalFlow.create(_PRESETS[DisPreset(cfg.dis_preset)])
        if cfg.dis_finest_scale is not None:
            self._dis.setFinestScale(cfg.dis_finest_scale)

    def _flow(self, img0: NDArray[np.uint8], img1: NDArray[np.uint8]) -> NDArray[np.float32]:
        # No output buffer: DIS takes any flow of the right size and type as its initial guess
        # (whatever setUseInitialFlow says), so a reused buffer would leak state between calls.
        flow = self._dis.calc(img0, img1, None)  # type: ignore[call-overload]
        return np.asarray(flow, dtype=np.float32)

    def _track_pair(
        self, prev: NDArray[np.uint8], cur: NDArray[np.uint8], xy: NDArray[np.float32]
    ) -> tuple[NDArray[np.float32], NDArray[np.bool_]]:
        forward = self._flow(prev, cur)
        backward = self._flow(cur, prev)
        xy1 = xy + bilinear_sample(forward, xy)
        xy0_back = xy1 + bilinear_sample(backward, xy1)
        ok = ~fb_lost(xy, xy0_back, self.cfg.fb_threshold_px)
        return xy1.astype(np.float32, copy=False), ok
