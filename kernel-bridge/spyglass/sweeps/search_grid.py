"""Grid search: trial i is the i-th combination of every discrete parameter's values (last one fastest)."""

from __future__ import annotations

from typing import Any

from .distributions import CATEGORICAL, grid_values
from .schema import SweepConfig


def grid_point(config: SweepConfig, index: int) -> tuple[dict[str, Any], dict[str, Any]] | None:
    """(params, latent) of combination `index`, or None once every combination was handed out."""
    size = config.grid_size or 0
    if index >= size:
        return None
    params: dict[str, Any] = {}
    latent: dict[str, Any] = {}
    remainder = index
    choices = [(param, grid_values(param)) for param in config.parameters]
    # Decode `index` in mixed radix from the last parameter (as itertools.product orders combinations).
    for param, values in reversed(choices):
        remainder, position = divmod(remainder, len(values))
        params[param.name] = values[position]
        if param.varies:
            latent[param.name] = position if param.distribution == CATEGORICAL else values[position]
    ordered = {param.name: params[param.name] for param in config.parameters}
    return ordered, latent
