"""What `import wandb` gives under `spyglass wandb-compat install`: Spyglass's API plus wandb-only names.

`wandb.run`, `wandb.config`, `wandb.summary` and `wandb.sklearn`/`xgboost`/... are looked up on each access
(module __getattr__), as in Spyglass, so they follow the current run and load frameworks only when used.
"""

from __future__ import annotations

from typing import Any

import spyglass
from spyglass import *  # noqa: F403 - the whole public API is wandb's public API here

from .internals import Error, termerror, termlog, termwarn
from .shim_files import SHIM_VERSION as __version__  # noqa: F401 - wandb.__version__

__all__ = [*spyglass.__all__, "Error", "require", "setup", "termerror", "termlog", "termwarn"]


def require(*requirements: Any, **options: Any) -> None:
    """wandb.require("service", ...) switches wandb's internal features; Spyglass has none to switch."""


def setup(settings: Any = None) -> None:
    """wandb.setup() prepares wandb's background service; Spyglass has no service, so it returns at once."""


def __getattr__(name: str) -> Any:
    return getattr(spyglass, name)
