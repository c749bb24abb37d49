"""The demo's tokenizer: a training video, its window dataset, and a time-boxed CPU training."""

from __future__ import annotations

import logging
import time
from pathlib import Path

from laps.config import load_config
from laps.synth import SynthConfig, render_video
from laps.tokenizer.build import build_dataset
from laps.tokenizer.config import TrainConfig
from laps.tokenizer.train import train

logger = logging.getLogger(__name__)

TRAIN_VIDEO_S = 60.0  # one generated training video, another seed than the demo's
TRAIN_STRIDE = 2


def train_demo_tokenizer(
    out: Path, preset: str, seed: int, budget_s: float, video_s: float = TRAIN_VIDEO_S
) -> Path:
    """Render a training video, track it, and train the ``small`` preset for ``budget_s``.

    Args:
        out: the demo's output folder.
        preset: generator preset of the training video.
        seed: the demo's seed (the training video uses another).
        budget_s: training time budget, s.
        video_s: length of the training video, s.

    Training runs one epoch at a time (resuming ``last.pt``) until the time budget is spent,
    so it takes about ``budget_s`` whatever the machine.

    Returns:
        The best checkpoint.
    """
    synth = SynthConfig(seed=seed + 1000, duration_s=video_s, preset=preset)
    video = render_video(synth, out / "videos" / "train")
    cfg = load_config(None, [f"window.stride={TRAIN_STRIDE}"])
    build_dataset([str(video.video)], out / "windows", cfg, raise_errors=True)
    run_dir = out / "tokenizer"
    t0, epochs, best = time.monotonic(), 0, run_dir / "best.pt"
    # One training video on purpose: hide the "no validation split" warning that every
    # resumed epoch would repeat, and restore the logger afterwards (it is process-wide).
    loaders_log = logging.getLogger("laps.tokenizer.loaders")
    level = loaders_log.level
    loaders_log.setLevel(logging.ERROR)
    try:
        while epochs == 0 or time.monotonic() - t0 < budget_s:
            epochs += 1
            tcfg = TrainConfig(preset="small", epochs=epochs, device="cpu", val_fraction=0.0)
            best = train(tcfg, out / "windows", run_dir, resume=epochs > 1, progress=False)
    finally:
        loaders_log.setLevel(level)
    logger.info(
        "trained the small tokenizer for %d epochs in %.0f s", epochs, time.monotonic() - t0
    )
    return best
