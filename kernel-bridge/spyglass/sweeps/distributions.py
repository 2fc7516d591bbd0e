"""wandb's parameter distributions: what each one needs, how to draw it, and how its value is shaped.

Every parameter that varies is drawn as a *latent* number (an index for categorical, the uniform or normal
draw before exp/1/x/quantizing for the rest) and turned into its value by `to_value`. Trials store both, so
the bayes strategy gives Optuna the latent numbers it drew, on the space it knows, and any strategy can read
them back.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

CONSTANT = "constant"
CATEGORICAL = "categorical"
# distribution -> the keys it requires (beyond the ones it may have).
REQUIRED_KEYS: dict[str, tuple[str, ...]] = {
    "constant": ("value",),
    "categorical": ("values",),
    "int_uniform": ("min", "max"),
    "uniform": ("min", "max"),
    "q_uniform": ("min", "max"),
    "log_uniform": ("min", "max"),
    "log_uniform_values": ("min", "max"),
    "q_log_uniform": ("min", "max"),
    "q_log_uniform_values": ("min", "max"),
    "inv_log_uniform": ("min", "max"),
    "inv_log_uniform_values": ("min", "max"),
    "normal": (),
    "q_normal": (),
    "log_normal": (),
    "q_log_normal": (),
}
DISTRIBUTIONS = tuple(REQUIRED_KEYS)
QUANTIZED = frozenset(name for name in DISTRIBUTIONS if name.startswith("q_"))
NORMAL_FAMILY = frozenset(("normal", "q_normal", "log_normal", "q_log_normal"))
# min/max are natural logarithms of the bounds (wandb's meaning), not the values themselves.
LOG_SPACE_BOUNDS = frozenset(("log_uniform", "q_log_uniform", "inv_log_uniform"))
# min/max are the values themselves; the draw is uniform in their logarithm, so both must be > 0.
LOG_VALUE_BOUNDS = frozenset(("log_uniform_values", "q_log_uniform_values", "inv_log_uniform_values"))
LOGARITHMIC = LOG_SPACE_BOUNDS | LOG_VALUE_BOUNDS | {"log_normal", "q_log_normal"}
# A normal draw has no bounds; the bayes strategy searches mu ± this many sigma.
NORMAL_SPAN_SIGMAS = 4.0


def sample_latent(param: Any, rng: np.random.Generator) -> float | int | None:
    """Draw the latent number of a varying parameter (see the module docstring)."""
    kind = param.distribution
    if kind == CONSTANT:
        return None
    if kind == CATEGORICAL:
        probabilities = param.probabilities
        return int(rng.choice(len(param.values), p=probabilities))
    if kind == "int_uniform":
        return int(rng.integers(int(param.min), int(param.max) + 1))
    if kind in NORMAL_FAMILY:
        return float(rng.normal(param.mu, param.sigma))
    low, high = latent_bounds(param)
    if kind in LOG_VALUE_BOUNDS:
        return float(math.exp(rng.uniform(math.log(low), math.log(high))))
    return float(rng.uniform(low, high))


def latent_bounds(param: Any) -> tuple[float, float]:
    """The interval the latent number lives in (for normal draws, mu ± NORMAL_SPAN_SIGMAS sigma)."""
    kind = param.distribution
    if kind in NORMAL_FAMILY:
        span = NORMAL_SPAN_SIGMAS * param.sigma
        return (param.mu - span, param.mu + span)
    if kind == "inv_log_uniform_values":
        return (1.0 / param.max, 1.0 / param.min)
    return (float(param.min), float(param.max))


def to_value(param: Any, latent: float | int | None) -> Any:
    """The parameter's value for a latent draw (constants ignore `latent`)."""
    kind = param.distribution
    if kind == CONSTANT:
        return param.value
    if kind == CATEGORICAL:
        return param.values[int(latent)]  # type: ignore[arg-type]
    if kind == "int_uniform":
        return int(latent)  # type: ignore[arg-type]
    x = float(latent)  # type: ignore[arg-type]
    if kind in ("log_uniform", "q_log_uniform", "log_normal", "q_log_normal"):
        x = math.exp(x)
    elif kind == "inv_log_uniform":
        x = math.exp(-x)
    elif kind == "inv_log_uniform_values":
        x = 1.0 / x
    if kind in QUANTIZED:
        return quantize(x, param.q)
    return x


def quantize(x: float, q: float | int) -> float | int:
    """round(x / q) * q as wandb does; an integer q gives an int (batch sizes, layer counts)."""
    rounded = round(x / q) * q
    if isinstance(q, int):
        return int(rounded)
    return round(rounded, 12)  # 0.1 * 3 is 0.30000000000000004; show 0.3


def value_range(param: Any) -> tuple[float | None, float | None]:
    """The smallest and largest value the parameter can take (None, None for unbounded normal draws)."""
    kind = param.distribution
    if kind in NORMAL_FAMILY or kind in (CONSTANT, CATEGORICAL):
        return (None, None)
    if kind in LOG_SPACE_BOUNDS:
        low, high = math.exp(param.min), math.exp(param.max)
        return (1.0 / high, 1.0 / low) if kind == "inv_log_uniform" else (low, high)
    return (param.min, param.max)


def grid_values(param: Any) -> list[Any]:
    """Every value a discrete parameter takes, in order (grid search enumerates these)."""
    kind = param.distribution
    if kind == CONSTANT:
        return [param.value]
    if kind == CATEGORICAL:
        return list(param.values)
    if kind == "int_uniform":
        return list(range(int(param.min), int(param.max) + 1))
    if kind == "q_uniform":
        count = math.floor((param.max - param.min) / param.q + 1e-9) + 1
        return list(dict.fromkeys(quantize(param.min + i * param.q, param.q) for i in range(count)))
    raise ValueError(f"{param.name}: distribution {kind} has no finite set of values for a grid")
