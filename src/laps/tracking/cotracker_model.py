"""CoTracker3-online from a user's clone and checkpoint, and one online run of it.

Nothing is downloaded: the model is built by the clone's own ``hubconf.py``
(``torch.hub.load(repo, "cotracker3_online", source="local", pretrained=False)``) and the
weights come from the user's file. torch is imported here only, so the default trackers never
load it. The model works on chunks of ``2 * step`` frames, ``step`` new ones per call, and keeps
its online state between calls; :class:`OnlineRun` drives that protocol.
"""

from __future__ import annotations

import copy
import logging
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.typing import NDArray

from laps.errors import ConfigError, TrackerError
from laps.tracking.config import CoTrackerConfig

if TYPE_CHECKING:
    import torch

logger = logging.getLogger(__name__)

HUB_ENTRY = "cotracker3_online"
_GET_REPO = "clone it with `git clone https://github.com/facebookresearch/co-tracker`"
_GET_WEIGHTS = (
    "download scaled_online.pth from the CoTracker3 release "
    "(huggingface.co/facebook/cotracker3) on a machine that can reach it"
)


def _checked_paths(cfg: CoTrackerConfig) -> tuple[Path, Path]:
    repo, checkpoint = cfg.repo, cfg.checkpoint
    if repo is None or not (Path(repo) / "hubconf.py").is_file():
        got = "nothing" if repo is None else f"{repo} (no hubconf.py there)"
        raise ConfigError(
            f"tracking.cotracker.repo: expected a local clone of the co-tracker repository, "
            f"got {got}; {_GET_REPO} and pass --cotracker-repo PATH"
        )
    if checkpoint is None or not Path(checkpoint).is_file():
        got = "nothing" if checkpoint is None else f"{checkpoint} (no such file)"
        raise ConfigError(
            f"tracking.cotracker.checkpoint: expected the CoTracker3 online weights file, "
            f"got {got}; {_GET_WEIGHTS} and pass --cotracker-checkpoint FILE"
        )
    return Path(repo), Path(checkpoint)


def resolve_device(name: str) -> torch.device:
    """``auto`` -> cuda when available, else cpu.

    Raises:
        ConfigError: cuda requested without a CUDA device.
    """
    import torch  # noqa: PLC0415 - lazy: only a cotracker run loads torch

    if name == "cuda" and not torch.cuda.is_available():
        raise ConfigError(
            "tracking.cotracker.device: expected a CUDA GPU for 'cuda', got none; "
            "set tracking.cotracker.device=cpu (slow: minutes per window)"
        )
    if name == "auto":
        return torch.device("cuda" if torch.cuda.is_available() else "cpu")
    return torch.device(name)


def _state_dict(checkpoint: Path) -> Mapping[str, Any]:
    import torch  # noqa: PLC0415 - lazy: only a cotracker run loads torch

    try:
        state = torch.load(checkpoint, map_location="cpu", weights_only=True)
    except Exception as err:  # torch raises many types for a bad file
        raise ConfigError(
            f"tracking.cotracker.checkpoint: expected a torch weights file, got {checkpoint} "
            f"which cannot be read ({type(err).__name__}: {err}); {_GET_WEIGHTS}"
        ) from err
    # The official file is a raw state dict; training checkpoints wrap it under "model".
    if isinstance(state, Mapping) and isinstance(state.get("model"), Mapping):
        state = state["model"]
    if not isinstance(state, Mapping):
        raise ConfigError(
            f"tracking.cotracker.checkpoint: expected a state dict (or a dict with a 'model' "
            f"state dict), got a {type(state).__name__} in {checkpoint}; {_GET_WEIGHTS}"
        )
    return state


def load_predictor(cfg: CoTrackerConfig) -> tuple[Any, torch.device]:
    """Build the online predictor from the clone, load the checkpoint, move it to its device.

    Returns:
        The predictor (called as ``predictor(video_chunk, is_first_step=..., queries=...)``)
        and its device.

    Raises:
        ConfigError: a missing or unreadable clone or checkpoint, or weights that do not fit.
        TrackerError: if the clone's hub entry fails or lacks the online ``step``.
    """
    import torch  # noqa: PLC0415 - lazy: only a cotracker run loads torch

    repo, checkpoint = _checked_paths(cfg)
    device = resolve_device(cfg.device)
    try:
        predictor = torch.hub.load(str(repo), HUB_ENTRY, source="local", pretrained=False)
    except Exception as err:  # whatever the clone's code raises
        raise TrackerError(
            f"torch.hub.load({str(repo)!r}, {HUB_ENTRY!r}, source='local') failed: "
            f"{type(err).__name__}: {err}; expected a co-tracker clone with CoTracker3 "
            f"(hubconf.py defining {HUB_ENTRY}); {_GET_REPO}"
        ) from err
    target = getattr(predictor, "model", predictor)
    try:
        target.load_state_dict(_state_dict(checkpoint))
    except RuntimeError as err:
        raise ConfigError(
            f"tracking.cotracker.checkpoint: expected CoTracker3 online weights, got "
            f"{checkpoint} whose tensors do not fit the model ({str(err)[:300]}); {_GET_WEIGHTS}"
        ) from err
    if not isinstance(getattr(predictor, "step", None), int) or predictor.step < 1:
        raise TrackerError(
            f"{repo}: expected the online predictor to have an int `step` (frames per online "
            f"call), got {getattr(predictor, 'step', None)!r}; {_GET_REPO}"
        )
    predictor.to(device).eval()
    logger.info("cotracker: %s from %s, weights %s, on %s", HUB_ENTRY, repo, checkpoint, device)
    return predictor, device


def _online_state(predictor: Any) -> list[tuple[Any, str]]:
    # CoTracker keeps its stream state in attributes named online_* (some updated in place).
    holders = [predictor, getattr(predictor, "model", None)]
    return [(h, k) for h in holders if h is not None for k in vars(h) if k.startswith("online_")]


class OnlineRun:
    """One online pass of the predictor: queries fixed on its first frame, chunks in steps.

    Args:
        predictor: from :func:`load_predictor`.
        device: where frames go.
    """

    def __init__(self, predictor: Any, device: torch.device) -> None:
        self.predictor = predictor
        self.device = device
        self.step = int(predictor.step)
        self.window_len = 2 * self.step  # each call sees the last step frames plus step new ones
        self.n_calls = 0

    def start(self, first: torch.Tensor, points_xy: NDArray[np.float32]) -> None:
        """Reset the model's online state with ``points_xy`` queried on frame ``first``."""
        import torch  # noqa: PLC0415 - lazy: only a cotracker run loads torch

        pts = torch.as_tensor(points_xy, dtype=torch.float32, device=self.device)
        queries = torch.cat([torch.zeros_like(pts[:, :1]), pts], dim=1)[None]  # (1, N, 3) t,x,y
        self.predictor(_video([first]), is_first_step=True, queries=queries)

    def run(self, frames: list[torch.Tensor]) -> tuple[NDArray[np.float32], NDArray[np.bool_]]:
        """Feed the next chunk (the model's window: ``step`` frames it saw and the new ones).

        Returns:
            (T, N, 2) positions and (T, N) visibility on the chunk's T frames.
        """
        import torch  # noqa: PLC0415 - lazy: only a cotracker run loads torch

        with torch.no_grad():
            tracks, visible = self.predictor(_video(frames), is_first_step=False)
        self.n_calls += 1
        t = len(frames)  # the model returns its whole history; the chunk is its tail
        xy = tracks[0, -t:].float().cpu().numpy()
        return xy.astype(np.float32, copy=False), visible[0, -t:].bool().cpu().numpy()

    def peek(self, frames: list[torch.Tensor]) -> tuple[NDArray[np.float32], NDArray[np.bool_]]:
        """Like :meth:`run` on a chunk shorter than the window, then undo the model's step.

        The model pads a short chunk with its last frame; this is how positions up to the
        current frame are had between two regular steps.
        """
        saved = [(h, k, copy.deepcopy(getattr(h, k))) for h, k in _online_state(self.predictor)]
        try:
            return self.run(frames)
        finally:
            for holder, key, value in saved:
                setattr(holder, key, value)


def _video(frames: list[torch.Tensor]) -> torch.Tensor:
    """(1, T, 3, H, W) float in [0, 255], grey copied to the model's three channels.

    [0, 255] is the range CoTracker normalises from (the reference passed [0, 1] by mistake).
    """
    import torch  # noqa: PLC0415 - lazy: only a cotracker run loads torch

    chunk = torch.stack(frames)[None, :, None]  # (1, T, 1, H, W) uint8
    return chunk.expand(-1, -1, 3, -1, -1).float()
