"""The sweep configuration: wandb's schema as a dict or a YAML file, validated with every problem named.

`parse_config` returns a SweepConfig whose parameters are flat (nested `parameters` joined by '.'), each with
its distribution resolved (given, or inferred as wandb infers it: `value` constant, `values` categorical,
int `min`/`max` int_uniform, float ones uniform).
"""

from __future__ import annotations

import math
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from .distributions import (
    CATEGORICAL,
    CONSTANT,
    DISTRIBUTIONS,
    LOG_VALUE_BOUNDS,
    LOGARITHMIC,
    NORMAL_FAMILY,
    QUANTIZED,
    REQUIRED_KEYS,
    grid_values,
    value_range,
)
from .errors import SweepConfigError

METHODS = ("grid", "random", "bayes")
GOALS = ("minimize", "maximize")
TOP_LEVEL_KEYS = frozenset(
    ("method", "metric", "parameters", "early_terminate", "run_cap", "program", "command", "name",
     "description", "project", "entity", "controller", "seed")
)  # fmt: skip
PARAMETER_KEYS = frozenset(
    ("distribution", "value", "values", "probabilities", "min", "max", "mu", "sigma", "q", "description")
)
GRID_DISTRIBUTIONS = frozenset((CONSTANT, CATEGORICAL, "int_uniform", "q_uniform"))
DEFAULT_ETA = 3


@dataclass(frozen=True)
class Parameter:
    """One searched parameter; `name` joins nested keys with '.', `path` keeps them apart."""

    name: str
    path: tuple[str, ...]
    distribution: str
    value: Any = None
    values: tuple[Any, ...] | None = None
    probabilities: tuple[float, ...] | None = None
    min: float | int | None = None
    max: float | int | None = None
    mu: float = 0.0
    sigma: float = 1.0
    q: float | int = 1

    @property
    def varies(self) -> bool:
        return self.distribution != CONSTANT

    def describe(self) -> dict[str, Any]:
        """The snapshot's view of the parameter (kind, log, min, max, values)."""
        low, high = value_range(self)
        if self.distribution == CONSTANT:
            kind, values = "constant", [self.value]
        elif self.distribution == CATEGORICAL:
            kind, values = "categorical", list(self.values or ())
        elif self.distribution == "int_uniform" or (
            self.distribution in QUANTIZED and isinstance(self.q, int)
        ):
            kind, values = "integer", None
        else:
            kind, values = "continuous", None
        return {
            "name": self.name,
            "kind": kind,
            "log": self.distribution in LOGARITHMIC,
            "min": low,
            "max": high,
            "values": values,
        }


@dataclass(frozen=True)
class SweepConfig:
    """A validated sweep configuration. `raw` is the config as given (JSON-able), stored in sweep.json."""

    method: str
    parameters: tuple[Parameter, ...]
    metric: dict[str, Any] | None = None
    early_terminate: dict[str, Any] | None = None
    run_cap: int | None = None
    program: str | None = None
    command: tuple[str, ...] | None = None
    name: str | None = None
    project: str | None = None
    seed: int | None = None
    raw: dict[str, Any] = field(default_factory=dict)

    @property
    def grid_size(self) -> int | None:
        """How many configurations a grid enumerates (None for random and bayes)."""
        if self.method != "grid":
            return None
        return math.prod(len(grid_values(param)) for param in self.parameters)

    @property
    def total(self) -> int | None:
        """The most trials the sweep will run: grid size (capped by run_cap), run_cap, or None (unbounded)."""
        grid = self.grid_size
        if grid is not None:
            return min(grid, self.run_cap) if self.run_cap is not None else grid
        return self.run_cap


def load_config(source: Mapping[str, Any] | str | os.PathLike[str]) -> dict[str, Any]:
    """A config dict from a dict, or from a YAML (or JSON) file path."""
    if isinstance(source, Mapping):
        return dict(source)
    if isinstance(source, (str, os.PathLike)):
        path = os.fspath(source)
        if not os.path.isfile(path):
            raise SweepConfigError([f"config file {path!r} does not exist"])
        import yaml

        with open(path, encoding="utf-8") as handle:
            try:
                loaded = yaml.safe_load(handle)
            except yaml.YAMLError as error:
                raise SweepConfigError([f"{path} is not valid YAML: {error}"]) from error
        if not isinstance(loaded, Mapping):
            raise SweepConfigError([f"{path} must hold a mapping (method:, parameters:, ...)"])
        return dict(loaded)
    raise SweepConfigError([f"a sweep config is a dict or a YAML file path, not {type(source).__name__}"])


def parse_config(source: Mapping[str, Any] | str | os.PathLike[str]) -> SweepConfig:
    """Validate a wandb sweep config; raise SweepConfigError listing every problem."""
    raw = load_config(source)
    problems: list[str] = []
    unknown = sorted(set(raw) - TOP_LEVEL_KEYS)
    if unknown:
        problems.append(
            f"unknown key(s) {', '.join(map(repr, unknown))}; expected {', '.join(sorted(TOP_LEVEL_KEYS))}"
        )
    method = raw.get("method")
    if method not in METHODS:
        problems.append(f"method must be one of {', '.join(METHODS)}; got {method!r}")
    metric = _metric(raw.get("metric"), problems)
    if method == "bayes" and metric is None:
        problems.append(
            "method 'bayes' needs a metric to optimise: metric: {name: ..., goal: minimize|maximize}"
        )
    parameters: list[Parameter] = []
    given = raw.get("parameters")
    if not isinstance(given, Mapping) or not given:
        problems.append("parameters must be a non-empty mapping of parameter names to specs")
    else:
        _parameters(given, (), parameters, problems)
    if method == "grid":
        for param in parameters:
            if param.distribution not in GRID_DISTRIBUTIONS:
                problems.append(
                    f"parameters.{param.name}: grid search needs discrete values (values, value, "
                    "int_uniform or "
                    f"q_uniform); {param.distribution} has infinitely many"
                )
    early = _early_terminate(raw.get("early_terminate"), problems)
    if early is not None and metric is None:
        problems.append("early_terminate needs a metric to compare trials by")
    run_cap = _positive_int(raw.get("run_cap"), "run_cap", problems)
    seed = raw.get("seed")
    if seed is not None and (not isinstance(seed, int) or isinstance(seed, bool) or seed < 0):
        problems.append(f"seed must be a non-negative integer; got {seed!r}")
    command = raw.get("command")
    if command is not None and (
        not isinstance(command, list) or not all(isinstance(c, str) for c in command)
    ):
        problems.append(
            "command must be a list of strings, e.g. ['${env}', '${interpreter}', '${program}', '${args}']"
        )
    program = raw.get("program")
    if program is not None and not isinstance(program, str):
        problems.append(f"program must be a file name (string); got {program!r}")
    if problems:
        raise SweepConfigError(problems)
    return SweepConfig(
        method=method,  # type: ignore[arg-type]
        parameters=tuple(parameters),
        metric=metric,
        early_terminate=early,
        run_cap=run_cap,
        program=program,
        command=tuple(command) if command is not None else None,
        name=raw.get("name") if isinstance(raw.get("name"), str) else None,
        project=raw.get("project") if isinstance(raw.get("project"), str) else None,
        seed=seed,
        raw=raw,
    )


def _metric(given: Any, problems: list[str]) -> dict[str, Any] | None:
    if given is None:
        return None
    if not isinstance(given, Mapping):
        problems.append(f"metric must be a mapping with name and goal; got {given!r}")
        return None
    name = given.get("name")
    if not isinstance(name, str) or not name:
        problems.append("metric.name must be the logged metric's name (a non-empty string)")
    goal = given.get("goal", "minimize")
    if goal not in GOALS:
        problems.append(f"metric.goal must be minimize or maximize; got {goal!r}")
    target = given.get("target")
    if target is not None and not _is_number(target):
        problems.append(f"metric.target must be a number; got {target!r}")
    unknown = sorted(set(given) - {"name", "goal", "target", "impute", "impute_while_running"})
    if unknown:
        problems.append(f"metric: unknown key(s) {', '.join(map(repr, unknown))}")
    metric = {"name": name, "goal": goal}
    if target is not None:
        metric["target"] = target
    return metric


def _parameters(
    given: Mapping[str, Any], prefix: tuple[str, ...], out: list[Parameter], problems: list[str]
) -> None:
    for key, spec in given.items():
        path = (*prefix, str(key))
        where = "parameters." + ".".join(path)
        if not isinstance(key, str) or not key or "." in key:
            problems.append(f"{where}: parameter names must be non-empty strings without '.'")
            continue
        if not isinstance(spec, Mapping):
            problems.append(
                f"{where}: expected a mapping such as {{values: [...]}} or {{min: 0, max: 1}}; got {spec!r}"
            )
            continue
        if "parameters" in spec:
            extra = sorted(set(spec) - {"parameters", "description"})
            if extra:
                problems.append(f"{where}: nested 'parameters' cannot be mixed with {', '.join(extra)}")
            nested = spec["parameters"]
            if not isinstance(nested, Mapping) or not nested:
                problems.append(f"{where}.parameters must be a non-empty mapping")
                continue
            _parameters(nested, path, out, problems)
            continue
        param = _parameter(".".join(path), path, spec, where, problems)
        if param is not None:
            out.append(param)


def _parameter(
    name: str, path: tuple[str, ...], spec: Mapping[str, Any], where: str, problems: list[str]
) -> Parameter | None:
    before = len(problems)
    unknown = sorted(set(spec) - PARAMETER_KEYS)
    if unknown:
        problems.append(
            f"{where}: unknown key(s) {', '.join(map(repr, unknown))}; "
            f"expected some of {', '.join(sorted(PARAMETER_KEYS))}"
        )
    distribution = spec.get("distribution") or _infer_distribution(spec)
    if distribution is None:
        problems.append(
            f"{where}: cannot tell the distribution; give value, values, min/max, or distribution"
        )
        return None
    if distribution not in DISTRIBUTIONS:
        problems.append(
            f"{where}: unknown distribution {distribution!r}; expected one of {', '.join(DISTRIBUTIONS)}"
        )
        return None
    missing = [key for key in REQUIRED_KEYS[distribution] if key not in spec]
    if missing:
        problems.append(f"{where}: distribution {distribution} needs {' and '.join(missing)}")
        return None
    fields: dict[str, Any] = {}
    if distribution == CONSTANT:
        fields["value"] = spec["value"]
    if distribution == CATEGORICAL:
        values = spec["values"]
        if not isinstance(values, list) or not values:
            problems.append(f"{where}: values must be a non-empty list")
            return None
        fields["values"] = tuple(values)
        probabilities = spec.get("probabilities")
        if probabilities is not None:
            fields["probabilities"] = _probabilities(probabilities, len(values), where, problems)
    if "min" in REQUIRED_KEYS[distribution]:
        low, high = spec["min"], spec["max"]
        if not (_is_number(low) and _is_number(high)):
            problems.append(f"{where}: min and max must be numbers; got {low!r} and {high!r}")
        elif low > high:
            problems.append(f"{where}: min ({low}) is greater than max ({high})")
        elif distribution == "int_uniform" and not (isinstance(low, int) and isinstance(high, int)):
            problems.append(f"{where}: int_uniform needs integer min and max; got {low!r} and {high!r}")
        elif distribution in LOG_VALUE_BOUNDS and low <= 0:
            problems.append(f"{where}: {distribution} draws in log space, so min must be > 0; got {low}")
        fields["min"], fields["max"] = low, high
    if distribution in NORMAL_FAMILY:
        mu, sigma = spec.get("mu", 0.0), spec.get("sigma", 1.0)
        if not (_is_number(mu) and _is_number(sigma)) or sigma <= 0:
            problems.append(
                f"{where}: {distribution} needs a number mu and a positive sigma; got {mu!r}, {sigma!r}"
            )
        fields["mu"], fields["sigma"] = mu, sigma
    if distribution in QUANTIZED:
        q = spec.get("q", 1)
        if not _is_number(q) or q <= 0:
            problems.append(f"{where}: q must be a positive number; got {q!r}")
        fields["q"] = q
    if len(problems) > before:
        return None
    return Parameter(name=name, path=path, distribution=distribution, **fields)


def _infer_distribution(spec: Mapping[str, Any]) -> str | None:
    if "value" in spec:
        return CONSTANT
    if "values" in spec:
        return CATEGORICAL
    if "min" in spec and "max" in spec:
        both_int = all(isinstance(spec[k], int) and not isinstance(spec[k], bool) for k in ("min", "max"))
        return "int_uniform" if both_int else "uniform"
    if "mu" in spec or "sigma" in spec:
        return "normal"
    return None


def _probabilities(given: Any, count: int, where: str, problems: list[str]) -> tuple[float, ...] | None:
    if not isinstance(given, list) or len(given) != count or not all(_is_number(p) and p >= 0 for p in given):
        problems.append(f"{where}: probabilities must be {count} non-negative numbers, one per value")
        return None
    total = float(sum(given))
    if not math.isclose(total, 1.0, abs_tol=1e-6):
        problems.append(f"{where}: probabilities must add up to 1; they add up to {total:g}")
        return None
    return tuple(float(p) for p in given)


def _early_terminate(given: Any, problems: list[str]) -> dict[str, Any] | None:
    if given is None:
        return None
    if not isinstance(given, Mapping) or given.get("type") != "hyperband":
        problems.append(
            "early_terminate must be {type: hyperband, min_iter: N} or {type: hyperband, max_iter: N, s: N}"
        )
        return None
    unknown = sorted(set(given) - {"type", "min_iter", "max_iter", "s", "eta", "strict"})
    if unknown:
        problems.append(f"early_terminate: unknown key(s) {', '.join(map(repr, unknown))}")
    eta = given.get("eta", DEFAULT_ETA)
    if not _is_number(eta) or eta <= 1:
        problems.append(f"early_terminate.eta must be a number greater than 1; got {eta!r}")
    out: dict[str, Any] = {"type": "hyperband", "eta": eta, "strict": bool(given.get("strict", False))}
    if "min_iter" in given:
        out["min_iter"] = _positive_int(given["min_iter"], "early_terminate.min_iter", problems)
    elif "max_iter" in given:
        out["max_iter"] = _positive_int(given["max_iter"], "early_terminate.max_iter", problems)
        out["s"] = _positive_int(given.get("s"), "early_terminate.s", problems, required=True)
    else:
        problems.append("early_terminate (hyperband) needs min_iter, or max_iter and s")
    return out


def _positive_int(given: Any, where: str, problems: list[str], required: bool = False) -> int | None:
    if given is None and not required:
        return None
    if not isinstance(given, int) or isinstance(given, bool) or given < 1:
        problems.append(f"{where} must be a positive integer; got {given!r}")
        return None
    return given


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


def nest(flat: Mapping[str, Any], parameters: tuple[Parameter, ...]) -> dict[str, Any]:
    """Turn {'optimizer.lr': v} into {'optimizer': {'lr': v}} using each parameter's path (run config)."""
    out: dict[str, Any] = {}
    for param in parameters:
        if param.name not in flat:
            continue
        node = out
        for key in param.path[:-1]:
            node = node.setdefault(key, {})
        node[param.path[-1]] = flat[param.name]
    return out
