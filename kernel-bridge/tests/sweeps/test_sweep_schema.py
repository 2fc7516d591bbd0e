"""The sweep config follows wandb's schema, and every mistake is named in one error."""

from __future__ import annotations

import pytest

from spyglass.sweeps import SweepConfigError
from spyglass.sweeps.schema import parse_config


def config(**parameters):
    return {"method": "random", "parameters": parameters}


def problems_of(raw) -> list[str]:
    with pytest.raises(SweepConfigError) as caught:
        parse_config(raw)
    return caught.value.problems


def test_a_dict_config_is_parsed_with_distributions_inferred_as_wandb_does():
    parsed = parse_config(
        config(
            a={"value": 3}, b={"values": [1, 2]}, c={"min": 1, "max": 5}, d={"min": 0.0, "max": 1.0},
            e={"distribution": "q_log_uniform_values", "min": 16, "max": 256, "q": 16},
        )
    )  # fmt: skip
    kinds = {p.name: p.distribution for p in parsed.parameters}
    assert kinds == {
        "a": "constant",
        "b": "categorical",
        "c": "int_uniform",
        "d": "uniform",
        "e": "q_log_uniform_values",
    }


def test_nested_parameters_are_flattened_with_dots_and_keep_their_path():
    parsed = parse_config(
        config(optimizer={"parameters": {"lr": {"min": 0.1, "max": 0.2}, "kind": {"value": "adam"}}})
    )
    assert [p.name for p in parsed.parameters] == ["optimizer.lr", "optimizer.kind"]
    assert parsed.parameters[0].path == ("optimizer", "lr")


def test_a_yaml_file_is_read(tmp_path):
    path = tmp_path / "sweep.yaml"
    path.write_text(
        "method: grid\nmetric: {name: acc, goal: maximize}\nparameters:\n  depth: {values: [1, 2, 3]}\n"
    )
    parsed = parse_config(str(path))
    assert (
        parsed.method == "grid"
        and parsed.metric == {"name": "acc", "goal": "maximize"}
        and parsed.grid_size == 3
    )


def test_an_unknown_distribution_is_named_with_the_known_ones():
    [problem] = problems_of(config(lr={"distribution": "loguniform", "min": 1, "max": 2}))
    assert "parameters.lr: unknown distribution 'loguniform'" in problem and "log_uniform_values" in problem


def test_min_greater_than_max_is_refused():
    [problem] = problems_of(config(lr={"min": 0.5, "max": 0.1}))
    assert problem == "parameters.lr: min (0.5) is greater than max (0.1)"


def test_bayes_without_a_metric_is_refused():
    assert any(
        "bayes' needs a metric" in p
        for p in problems_of({"method": "bayes", "parameters": {"x": {"min": 0.0, "max": 1.0}}})
    )


def test_every_problem_is_reported_at_once():
    found = problems_of(
        {"method": "newton", "parameters": {"a": {"min": 2, "max": 1}, "b": {"values": []}}, "run_cap": 0}
    )
    assert len(found) == 4 and any("method must be one of" in p for p in found)


@pytest.mark.parametrize(
    ("spec", "expected"),
    [
        ({"values": [1, 2], "probabilities": [0.5, 0.6]}, "add up to 1"),
        ({"values": [1, 2], "probabilities": [1.0]}, "one per value"),
        ({"distribution": "log_uniform_values", "min": 0, "max": 1}, "min must be > 0"),
        ({"distribution": "int_uniform", "min": 0.5, "max": 3}, "integer min and max"),
        ({"distribution": "uniform", "min": 0}, "needs max"),
        ({"distribution": "normal", "sigma": -1}, "positive sigma"),
        ({"distribution": "q_uniform", "min": 0, "max": 1, "q": 0}, "q must be a positive"),
        ({"min": 0, "max": 1, "mn": 3}, "unknown key(s) 'mn'"),
        ("adam", "expected a mapping"),
    ],
)
def test_bad_parameter_specs_are_explained(spec, expected):
    assert any(expected in p for p in problems_of(config(x=spec)))


def test_grid_refuses_continuous_parameters():
    found = problems_of({"method": "grid", "parameters": {"lr": {"min": 0.1, "max": 0.2}}})
    assert "grid search needs discrete values" in found[0]


def test_hyperband_needs_min_iter_or_max_iter_and_s_and_a_metric():
    base = {"method": "random", "parameters": {"x": {"values": [1]}}}
    assert any(
        "needs min_iter" in p
        for p in problems_of({**base, "metric": {"name": "m"}, "early_terminate": {"type": "hyperband"}})
    )
    assert any(
        "early_terminate.s" in p
        for p in problems_of(
            {**base, "metric": {"name": "m"}, "early_terminate": {"type": "hyperband", "max_iter": 27}}
        )
    )
    assert any(
        "needs a metric" in p
        for p in problems_of({**base, "early_terminate": {"type": "hyperband", "min_iter": 3}})
    )
    parsed = parse_config(
        {**base, "metric": {"name": "m"}, "early_terminate": {"type": "hyperband", "min_iter": 3, "eta": 2}}
    )
    assert parsed.early_terminate == {"type": "hyperband", "eta": 2, "strict": False, "min_iter": 3}


def test_unknown_top_level_keys_and_bad_metric_goals_are_refused():
    found = problems_of({**config(x={"values": [1]}), "metrc": {}, "metric": {"name": "m", "goal": "lowest"}})
    assert any("unknown key(s) 'metrc'" in p for p in found) and any(
        "minimize or maximize" in p for p in found
    )


def test_a_missing_config_file_is_named(tmp_path):
    assert "does not exist" in problems_of(str(tmp_path / "nope.yaml"))[0]
