"""Named model sizes of the motion tokenizer.

* ``paper``: the reference's model (D 768, 2 encoder layers, 8 heads, 1 decoder layer,
  N 400, T 16, FSQ [8, 8, 6, 5]): exactly 30,232,805 parameters, for GPUs.
* ``small``: for CPUs; its encoder + FSQ costs well under the stream's per-window budget on
  two cores (measured numbers in docs/BENCHMARKS.md).
"""

from __future__ import annotations

from typing import Any

from pydantic import ValidationError

from laps._model import describe_errors
from laps.errors import ConfigError
from laps.tokenizer.config import TokenizerConfig

PRESETS: dict[str, dict[str, Any]] = {
    "paper": {
        "d_model": 768,
        "n_layers": 2,
        "n_heads": 8,
        "n_decoder_layers": 1,
        "decoder_mlp_hidden": 256,
        "fsq_levels": (8, 8, 6, 5),
        "num_points": 400,
        "window_length": 16,
    },
    "small": {
        "d_model": 128,
        "n_layers": 2,
        "n_heads": 4,
        "n_decoder_layers": 1,
        "decoder_mlp_hidden": 128,
        "fsq_levels": (8, 8, 6, 5),
        "num_points": 400,
        "window_length": 16,
    },
}

PAPER_PARAMETER_COUNT = 30_232_805


def preset_config(name: str, **overrides: Any) -> TokenizerConfig:
    """The :class:`TokenizerConfig` of a preset, with some fields replaced.

    Raises:
        ConfigError: unknown preset name, or an override key or value that is not valid.
    """
    if name not in PRESETS:
        raise ConfigError(
            f"unknown tokenizer preset: expected one of {sorted(PRESETS)}, got {name!r}; "
            "pass --preset small (CPU) or --preset paper (GPU)"
        )
    try:
        return TokenizerConfig(**{**PRESETS[name], **overrides})
    except ValidationError as err:
        raise ConfigError(
            f"invalid tokenizer config for preset {name!r}: {describe_errors(err)}; "
            "fix the override"
        ) from err
