"""A stand-in for co-tracker's ``hubconf.py``: the same online call protocol, no learning.

``cotracker3_online(pretrained=False)`` returns a predictor shaped like CoTracker3's
``CoTrackerOnlinePredictor``: ``step``, a ``model`` holding ``window_len``, weights and its
``online_*`` state, and ``forward(video_chunk, is_first_step, queries, ...)`` returning the
whole history of (tracks, visibility) so far. It "tracks" by phase correlation of every chunk
frame against the chunk's first frame, so it follows translations of real frames, and it
refuses frames that are not 3-channel grey copies in [0, 255]. Tests copy this file into a
temporary folder and load it with ``torch.hub.load(folder, ..., source="local")``.
"""

from __future__ import annotations

import cv2
import numpy as np
import torch
from torch import nn

dependencies = ["torch", "numpy", "cv2"]


class StandInModel(nn.Module):
    """Holds what the real model holds between online calls."""

    def __init__(self, window_len: int) -> None:
        super().__init__()
        self.window_len = window_len
        self.gain = nn.Parameter(torch.ones(4))  # something for a checkpoint to fill
        self.chunk_lengths: list[int] = []
        self.init_video_online_processing()

    def init_video_online_processing(self) -> None:
        self.online_ind = 0
        self.online_coords_predicted: torch.Tensor | None = None
        self.online_vis_predicted: torch.Tensor | None = None


class StandInOnlinePredictor(nn.Module):
    def __init__(self, window_len: int = 16) -> None:
        super().__init__()
        self.model = StandInModel(window_len)
        self.step = window_len // 2
        self.queries: torch.Tensor | None = None

    @torch.no_grad()
    def forward(
        self,
        video_chunk: torch.Tensor,
        is_first_step: bool = False,
        queries: torch.Tensor | None = None,
        grid_size: int = 5,
        grid_query_frame: int = 0,
        add_support_grid: bool = False,
    ) -> tuple[torch.Tensor | None, torch.Tensor | None]:
        b, t, c, h, w = video_chunk.shape
        assert b == 1 and c == 3 and video_chunk.is_floating_point(), video_chunk.shape
        if is_first_step:
            assert queries is not None and queries.shape[-1] == 3
            self.model.init_video_online_processing()
            self.queries = queries.clone()
            return None, None
        m = self.model
        assert self.queries is not None and t <= m.window_len
        frames = video_chunk[0].cpu().numpy()
        assert frames.max() <= 255.0 and frames.max() > 2.0, "frames must be in [0, 255]"
        assert (frames[:, 0] == frames[:, 1]).all() and (frames[:, 0] == frames[:, 2]).all()
        xy, visible = self._track(frames[:, 0], w, h)
        m.chunk_lengths.append(t)
        self._append(torch.from_numpy(xy), torch.from_numpy(visible))
        m.online_ind += self.step
        assert m.online_coords_predicted is not None and m.online_vis_predicted is not None
        return m.online_coords_predicted.clone(), m.online_vis_predicted.clone()

    def _track(self, grey: np.ndarray, w: int, h: int) -> tuple[np.ndarray, np.ndarray]:
        assert self.queries is not None
        window = cv2.createHanningWindow((w, h), cv2.CV_32F)
        f0 = np.ascontiguousarray(grey[0], np.float32)
        shift = [np.zeros(2)] + [
            np.array(cv2.phaseCorrelate(f0, np.ascontiguousarray(f, np.float32), window)[0])
            for f in grey[1:]
        ]
        anchor = self.queries[0, :, 1:].cpu().numpy().astype(np.float64)
        prev = self.model.online_coords_predicted
        ind = self.model.online_ind
        if prev is not None:  # queries sit on frame 0: carry on from the last estimate
            anchor = prev[0, ind].numpy().astype(np.float64)
        xy = anchor[None] + np.stack(shift)[:, None]
        inside = (xy >= 0).all(-1) & (xy[..., 0] <= w - 1) & (xy[..., 1] <= h - 1)
        return xy.astype(np.float32), inside

    def _append(self, xy: torch.Tensor, visible: torch.Tensor) -> None:
        m = self.model
        ind, t = m.online_ind, len(xy)
        n = xy.shape[1]
        coords = torch.zeros((1, ind + t, n, 2))
        vis = torch.zeros((1, ind + t, n), dtype=torch.bool)
        if m.online_coords_predicted is not None and m.online_vis_predicted is not None:
            keep = min(ind, m.online_coords_predicted.shape[1])
            coords[:, :keep] = m.online_coords_predicted[:, :keep]
            vis[:, :keep] = m.online_vis_predicted[:, :keep]
        coords[0, ind:] = xy
        vis[0, ind:] = visible
        m.online_coords_predicted, m.online_vis_predicted = coords, vis


def cotracker3_online(*, pretrained: bool = True, **kwargs: object) -> StandInOnlinePredictor:
    assert not pretrained, "laps must never ask the hub to download weights"
    return StandInOnlinePredictor(window_len=16)
