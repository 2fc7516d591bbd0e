"""Bayesian search through Optuna's TPE sampler, rebuilt from the store for every new trial.

Each proposal creates an in-memory study, adds every finished trial (its latent draws and metric) and every
live one (as running, with TPE's constant liar so parallel agents spread out), then asks for one trial with a
sampler seeded by (sweep seed, index): the same history gives the same proposal, so seeded sweeps reproduce.
"""

from __future__ import annotations

import math
import warnings
from typing import Any

from .distributions import CATEGORICAL, LOG_VALUE_BOUNDS, latent_bounds, to_value
from .schema import Parameter, SweepConfig

# TPE draws this many trials at random before it models the metric (Optuna's default is 10).
STARTUP_TRIALS = 10
RESULT_STATES = frozenset(("finished", "stopped_early", "stopped"))


def optuna_distribution(param: Parameter) -> Any:
    """The Optuna distribution of a parameter's latent number."""
    from optuna.distributions import CategoricalDistribution, FloatDistribution, IntDistribution

    if param.distribution == CATEGORICAL:
        return CategoricalDistribution(list(range(len(param.values or ()))))
    if param.distribution == "int_uniform":
        return IntDistribution(int(param.min), int(param.max))  # type: ignore[arg-type]
    low, high = latent_bounds(param)
    return FloatDistribution(low, high, log=param.distribution in LOG_VALUE_BOUNDS)


def bayes_point(
    config: SweepConfig, seed: int, index: int, trials: list[dict[str, Any]]
) -> tuple[dict[str, Any], dict[str, Any]]:
    """(params, latent) proposed by TPE given the sweep's `trials` records."""
    import optuna
    from optuna.trial import TrialState, create_trial

    optuna.logging.set_verbosity(optuna.logging.WARNING)
    metric = config.metric or {}
    varying = [param for param in config.parameters if param.varies]
    distributions = {param.name: optuna_distribution(param) for param in varying}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", optuna.exceptions.ExperimentalWarning)
        sampler = optuna.samplers.TPESampler(
            seed=(seed * 1_000_003 + index) % (2**32),
            n_startup_trials=STARTUP_TRIALS,
            multivariate=True,
            constant_liar=True,
        )
    study = optuna.create_study(direction=metric.get("goal", "minimize"), sampler=sampler)
    for record in trials:
        latent = record.get("latent") or {}
        params = {name: latent[name] for name in distributions if name in latent}
        if len(params) != len(distributions) or not _inside(params, distributions):
            continue  # a trial from an older config, or a prior run outside the space
        value = record.get("metric")
        if record.get("state") in RESULT_STATES and _finite(value):
            state, values = TrialState.COMPLETE, [float(value)]
        elif record.get("state") in ("claimed", "running"):
            state, values = TrialState.RUNNING, None
        else:
            continue
        study.add_trial(create_trial(state=state, values=values, params=params, distributions=distributions))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", optuna.exceptions.ExperimentalWarning)
        trial = study.ask(distributions)
    latent = {name: trial.params[name] for name in distributions}
    params = {
        param.name: to_value(param, latent[param.name]) if param.varies else param.value
        for param in config.parameters
    }
    return params, latent


def _inside(params: dict[str, Any], distributions: dict[str, Any]) -> bool:
    return all(
        distributions[name]._contains(distributions[name].to_internal_repr(v)) for name, v in params.items()
    )


def _finite(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)
