"""Parameters of the baselines: flow features, ABD, TW-FINCH, periodic cut, flow energy."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path

from pydantic import Field

from laps._model import StageConfig
from laps.energy.config import Smoothing
from laps.segment.config import SegmentConfig
from laps.video.config import VideoConfig
from laps.window.config import WindowConfig


class FlowMethod(StrEnum):
    """Dense optical flow between consecutive sampled frames.

    The reference ran Dual TV-L1 (``cv2.optflow``), which needs opencv-contrib and conflicts
    with our opencv-python-headless; Farneback is in the main module (the reference's own
    ABD-HOF features used it), DIS at the medium preset is the faster alternative.
    """

    FARNEBACK = "farneback"
    DIS_MEDIUM = "dis_medium"


class HofNorm(StrEnum):
    """Normalisation of a window's orientation histogram (over all cells together)."""

    L1 = "l1"
    L2 = "l2"
    NONE = "none"


class FlowFeatureConfig(StageConfig):
    """Dense flow per sampled frame pair and the per-window HOF descriptor built on it."""

    method: FlowMethod = Field(FlowMethod.FARNEBACK, description="farneback | dis_medium")
    hof_bins: int = Field(16, ge=2, le=64, description="orientation bins of the HOF")
    hof_grid: int = Field(2, ge=1, le=8, description="HOF cells: hof_grid x hof_grid")
    hof_norm: HofNorm = Field(HofNorm.L1, description="l1 | l2 | none, over the whole HOF")
    magnitude_weight: float = Field(
        1.0, ge=0, description="factor of the appended mean |flow| dimension (0 mutes it)"
    )


class MotionConfig(StageConfig):
    """What decides the per-window motion features: sampling, windows, flow, cache."""

    video: VideoConfig = Field(default_factory=VideoConfig)
    window: WindowConfig = Field(default_factory=WindowConfig)
    flow: FlowFeatureConfig = Field(default_factory=FlowFeatureConfig)
    cache_dir: Path | None = Field(None, description="folder of per-video flow caches; None: off")


class AbdConfig(StageConfig):
    """ABD (Du et al., CVPR 2022); K from ``k`` or from ``segments_per_minute``."""

    k: int | None = Field(None, ge=1, description="segments to produce")
    segments_per_minute: float | None = Field(
        None, gt=0, description="K = round(rate * duration / 60) when k is None"
    )
    alpha: float = Field(
        0.4, gt=0, le=1, description="smoothing and NMS window L = floor(alpha * N / K)"
    )


class TwFinchConfig(StageConfig):
    """TW-FINCH (Sarfraz et al., CVPR 2021); K from ``k`` or ``segments_per_minute``."""

    k: int | None = Field(None, ge=1, description="clusters to produce")
    segments_per_minute: float | None = Field(
        None, gt=0, description="K = round(rate * duration / 60) when k is None"
    )


class PeriodicConfig(StageConfig):
    """Cut the video every ``period_s`` seconds."""

    period_s: float = Field(2.0, gt=0, description="segment length, s")


class FlowEnergyConfig(StageConfig):
    """Mean |flow| per window through our smoother and hysteresis segmenter."""

    smoothing: Smoothing = Field(Smoothing.EMA, description="none | ema | ma")
    alpha: float = Field(0.7, gt=0, le=1, description="EMA weight of the newest value")
    ma_window: int = Field(3, ge=1, description="causal moving-average length, windows")
    segment: SegmentConfig = Field(
        default_factory=SegmentConfig,
        description="state machine; threshold None = Otsu over the video's energies",
    )


class BaselinesConfig(StageConfig):
    """Every baseline's parameters; ``motion`` is shared by all feature-based methods."""

    motion: MotionConfig = Field(default_factory=MotionConfig)
    abd: AbdConfig = Field(default_factory=AbdConfig)
    twfinch: TwFinchConfig = Field(default_factory=TwFinchConfig)
    periodic: PeriodicConfig = Field(default_factory=PeriodicConfig)
    flow_energy: FlowEnergyConfig = Field(default_factory=FlowEnergyConfig)
