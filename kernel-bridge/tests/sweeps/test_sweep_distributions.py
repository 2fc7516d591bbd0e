"""Every wandb distribution draws inside its range, quantizes with q and spreads in the right space."""

from __future__ import annotations

import math

import numpy as np
import pytest

from spyglass.sweeps.distributions import grid_values, sample_latent, to_value
from spyglass.sweeps.schema import parse_config

N = 3000


def draws(spec: dict) -> np.ndarray:
    [param] = parse_config({"method": "random", "parameters": {"x": spec}}).parameters
    rng = np.random.default_rng(7)
    return np.array([to_value(param, sample_latent(param, rng)) for _ in range(N)], dtype=object)


def test_constant_and_categorical_with_probabilities():
    assert set(draws({"value": "a"})) == {"a"}
    values = draws({"values": ["a", "b", "c"], "probabilities": [0.8, 0.2, 0.0]})
    assert set(values) == {"a", "b"} and 0.75 < np.mean(values == "a") < 0.85


def test_int_uniform_covers_both_ends_as_ints():
    values = draws({"distribution": "int_uniform", "min": 2, "max": 5})
    assert set(values) == {2, 3, 4, 5} and all(type(v) is int for v in values)


def test_uniform_and_q_uniform():
    values = draws({"distribution": "uniform", "min": -1.0, "max": 3.0}).astype(float)
    assert values.min() >= -1 and values.max() <= 3 and abs(values.mean() - 1.0) < 0.1
    quantized = draws({"distribution": "q_uniform", "min": 0, "max": 1, "q": 0.25}).astype(float)
    assert set(quantized) <= {0.0, 0.25, 0.5, 0.75, 1.0}


def test_log_uniform_bounds_are_natural_logs_and_values_ones_are_values():
    values = draws({"distribution": "log_uniform", "min": math.log(1e-3), "max": math.log(1.0)}).astype(float)
    assert values.min() >= 1e-3 and values.max() <= 1.0
    assert (
        abs(np.median(np.log10(values)) - (-1.5)) < 0.1
    )  # uniform in log space: median at the geometric mean
    by_value = draws({"distribution": "log_uniform_values", "min": 1e-3, "max": 1.0}).astype(float)
    assert by_value.min() >= 1e-3 and by_value.max() <= 1.0 and abs(np.median(np.log10(by_value)) + 1.5) < 0.1


def test_quantized_log_distributions_give_multiples_of_q():
    values = draws({"distribution": "q_log_uniform_values", "min": 16, "max": 512, "q": 16})
    assert all(type(v) is int and v % 16 == 0 and 16 <= v <= 512 for v in values)
    spaced = draws({"distribution": "q_log_uniform", "min": math.log(1), "max": math.log(100), "q": 5})
    assert all(v % 5 == 0 and 0 <= v <= 100 for v in spaced)


def test_inverse_log_uniform():
    values = draws({"distribution": "inv_log_uniform", "min": 0.0, "max": math.log(100)}).astype(float)
    assert values.min() >= 0.01 - 1e-12 and values.max() <= 1.0
    by_value = draws({"distribution": "inv_log_uniform_values", "min": 0.01, "max": 1.0}).astype(float)
    assert by_value.min() >= 0.01 - 1e-12 and by_value.max() <= 1.0 + 1e-12


@pytest.mark.parametrize("name", ["normal", "q_normal"])
def test_normal_family_has_its_mean_and_spread(name):
    values = draws({"distribution": name, "mu": 5.0, "sigma": 2.0, "q": 0.5}).astype(float)
    assert abs(values.mean() - 5.0) < 0.15 and abs(values.std() - 2.0) < 0.15
    if name == "q_normal":
        assert np.all(np.isclose(values * 2, np.round(values * 2)))


def test_log_normal_family_is_normal_in_log_space():
    values = draws({"distribution": "log_normal", "mu": 0.0, "sigma": 1.0}).astype(float)
    assert values.min() > 0 and abs(np.mean(np.log(values))) < 0.1
    quantized = draws({"distribution": "q_log_normal", "mu": 2.0, "sigma": 0.5, "q": 1})
    assert all(type(v) is int for v in quantized)


def test_grid_values_of_discrete_distributions():
    [q] = parse_config(
        {"method": "grid", "parameters": {"x": {"distribution": "q_uniform", "min": 0, "max": 1, "q": 0.25}}}
    ).parameters
    assert grid_values(q) == [0.0, 0.25, 0.5, 0.75, 1.0]
    [i] = parse_config({"method": "grid", "parameters": {"x": {"min": 1, "max": 3}}}).parameters
    assert grid_values(i) == [1, 2, 3]


def test_parameter_descriptions_for_the_panel():
    parsed = parse_config({"method": "random", "parameters": {
        "lr": {"distribution": "log_uniform", "min": math.log(1e-4), "max": 0.0},
        "bs": {"distribution": "q_log_uniform_values", "min": 16, "max": 256, "q": 16},
        "w": {"distribution": "normal"}, "k": {"value": 3}}})  # fmt: skip
    described = {p.name: p.describe() for p in parsed.parameters}
    assert described["lr"]["kind"] == "continuous" and described["lr"]["log"] is True
    assert math.isclose(described["lr"]["min"], 1e-4) and math.isclose(described["lr"]["max"], 1.0)
    assert described["bs"]["kind"] == "integer" and described["w"]["min"] is None
    assert described["k"] == {
        "name": "k",
        "kind": "constant",
        "log": False,
        "min": None,
        "max": None,
        "values": [3],
    }
