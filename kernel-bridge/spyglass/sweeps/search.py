"""Picks the configuration of a newly claimed trial with the sweep's method."""

from __future__ import annotations

import warnings
from typing import Any

from .messages import SweepWarning, bayes_falls_back
from .schema import SweepConfig
from .search_bayes import RESULT_STATES, bayes_point
from .search_grid import grid_point
from .search_random import random_point

# bayes falls back to random once this many trials ended without ever logging the metric.
FALLBACK_AFTER = 3


def propose(
    config: SweepConfig, seed: int, index: int, trials: list[dict[str, Any]]
) -> tuple[dict[str, Any], dict[str, Any]] | None:
    """(params, latent) for trial `index`, or None when the method has nothing left (grid done)."""
    if config.method == "grid":
        return grid_point(config, index)
    if config.method == "bayes":
        ended = [t for t in trials if t.get("state") in RESULT_STATES]
        if len(ended) >= FALLBACK_AFTER and all(t.get("metric") is None for t in ended):
            name = (config.metric or {}).get("name", "?")
            warnings.warn(bayes_falls_back(name, len(ended)), SweepWarning, stacklevel=3)
            return random_point(config, seed, index)
        return bayes_point(config, seed, index, trials)
    return random_point(config, seed, index)
