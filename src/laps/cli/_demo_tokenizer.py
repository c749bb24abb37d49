"""The demo's tokenizer: a training video, its window dataset, and a time-boxed CPU training."""

from __future__ import annotations

from pathlib import Path

from laps.config import load_config
from laps.synth import SynthConfig, render_video
from laps.tokenizer.budget import train_for_seconds
from laps.tokenizer.build import build_dataset

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
    return train_for_seconds(out / "windows", out / "tokenizer", budget_s)
