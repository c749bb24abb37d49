"""``laps config show``: the resolved configuration as YAML."""

from __future__ import annotations

import typer

from laps.cli._errors import guarded
from laps.cli._options import ConfigOpt, DebugOpt, SetOpt
from laps.config import PipelineConfig, load_config

config_app = typer.Typer(help="Inspect the configuration.", no_args_is_help=True)


@config_app.command("show")
def show(config: ConfigOpt = None, overrides: SetOpt = None, debug: DebugOpt = False) -> None:
    """Print the resolved config (defaults < --config < --set) as YAML."""
    cfg = guarded(lambda: load_config(config, overrides or []), debug)
    typer.echo(cfg.to_yaml(), nl=False)


@config_app.command("keys")
def keys() -> None:
    """List every key with its description."""
    for section, field in PipelineConfig.model_fields.items():
        model = field.annotation
        for key, f in getattr(model, "model_fields", {}).items():
            typer.echo(f"{section}.{key}: {f.description or ''}")
