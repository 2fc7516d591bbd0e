"""Random search: trial i draws every parameter from a generator seeded by (sweep seed, i).

Seeding by index makes a trial's configuration a pure function of its claim, so parallel agents never need to
agree on anything but the index, and a resumed sweep draws the configurations it would have drawn anyway.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .distributions import sample_latent, to_value
from .schema import SweepConfig


def random_point(config: SweepConfig, seed: int, index: int) -> tuple[dict[str, Any], dict[str, Any]]:
    """(params, latent) of trial `index`."""
    rng = np.random.default_rng([seed, index])
    params: dict[str, Any] = {}
    latent: dict[str, Any] = {}
    for param in config.parameters:
        if param.varies:
            latent[param.name] = sample_latent(param, rng)
            params[param.name] = to_value(param, latent[param.name])
        else:
            params[param.name] = param.value
    return params, latent
