"""The pipeline config: one typed model per stage, composed, loadable from YAML.

Precedence: defaults < YAML file (``--config``) < ``--set section.key=value`` overrides <
dedicated CLI flags. The resolved config is written beside every output.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from pydantic import Field, ValidationError

from laps._model import StageConfig, describe_errors
from laps.energy.config import EnergyConfig
from laps.errors import ConfigError
from laps.export.config import ExportConfig
from laps.gates.config import GatesConfig
from laps.segment.config import SegmentConfig
from laps.tracking.config import TrackingConfig
from laps.video.config import VideoConfig
from laps.window.config import WindowConfig


class PipelineConfig(StageConfig):
    """Every stage's config in one model."""

    video: VideoConfig = Field(default_factory=VideoConfig)
    tracking: TrackingConfig = Field(default_factory=TrackingConfig)
    window: WindowConfig = Field(default_factory=WindowConfig)
    gates: GatesConfig = Field(default_factory=GatesConfig)
    energy: EnergyConfig = Field(default_factory=EnergyConfig)
    segment: SegmentConfig = Field(default_factory=SegmentConfig)
    export: ExportConfig = Field(default_factory=ExportConfig)

    @property
    def budget_per_window_s(self) -> float:
        """Real-time budget of one window: stride / target_fps seconds."""
        return self.window.stride / self.video.target_fps

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dict of the resolved config."""
        return self.model_dump(mode="json")

    def to_yaml(self) -> str:
        """YAML text of the resolved config."""
        return yaml.safe_dump(self.to_dict(), sort_keys=False)


def _format_validation_error(err: ValidationError, origin: str) -> str:
    return (
        f"invalid config ({origin}): {describe_errors(err)}. "
        "Fix the value or key; `laps config show` lists every key with its default."
    )


def build_config(data: dict[str, Any], origin: str = "config") -> PipelineConfig:
    """Validate a nested dict into a :class:`PipelineConfig`.

    Raises:
        ConfigError: naming every wrong key or value.
    """
    try:
        return PipelineConfig.model_validate(data)
    except ValidationError as err:
        raise ConfigError(_format_validation_error(err, origin)) from err


def read_yaml(path: Path) -> dict[str, Any]:
    """Read a YAML mapping from a file, with clear errors."""
    if not path.is_file():
        raise ConfigError(f"config file not found: {path}. Pass an existing YAML file.")
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as err:
        raise ConfigError(f"config file {path} is not valid YAML: {err}") from err
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise ConfigError(f"config file {path}: expected a mapping, got {type(data).__name__}")
    return data


def apply_override(data: dict[str, Any], assignment: str) -> None:
    """Apply one ``section.key=value`` override in place; the value is parsed as YAML."""
    key, sep, raw = assignment.partition("=")
    if not sep or not key.strip():
        raise ConfigError(f"override {assignment!r}: expected section.key=value")
    node = data
    parts = key.strip().split(".")
    for part in parts[:-1]:
        child = node.setdefault(part, {})
        if not isinstance(child, dict):
            raise ConfigError(f"override {assignment!r}: '{part}' is not a section")
        node = child
    node[parts[-1]] = yaml.safe_load(raw) if raw.strip() else None


def merge(base: dict[str, Any], top: dict[str, Any]) -> dict[str, Any]:
    """Nested dict merge: values of ``top`` win, sections merge recursively."""
    out = dict(base)
    for key, value in top.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = merge(out[key], value)
        else:
            out[key] = value
    return out


def load_config(
    path: Path | None = None,
    overrides: list[str] | tuple[str, ...] = (),
    *,
    base: dict[str, Any] | None = None,
    **flags: Any,
) -> PipelineConfig:
    """Load defaults, a base layer, a YAML file, ``--set`` overrides, then flags.

    Args:
        path: optional YAML file.
        overrides: ``section.key=value`` strings.
        base: values under the file (e.g. what a tokenizer checkpoint imposes).
        **flags: dotted keys (``segment.threshold``) set by dedicated CLI flags; None = unset.

    Raises:
        ConfigError: on a missing file, bad YAML, unknown key or bad value.
    """
    data = merge(base or {}, read_yaml(path) if path is not None else {})
    origin = str(path) if path is not None else "command line"
    for assignment in overrides:
        apply_override(data, assignment)
    for dotted, value in flags.items():
        if value is not None:
            _set_dotted(data, dotted.replace("__", "."), value)
    return build_config(data, origin)


def _set_dotted(data: dict[str, Any], dotted: str, value: Any) -> None:
    node = data
    parts = dotted.split(".")
    for part in parts[:-1]:
        child = node.setdefault(part, {})
        if not isinstance(child, dict):
            raise ConfigError(f"config key '{dotted}': '{part}' is not a section")
        node = child
    node[parts[-1]] = value
