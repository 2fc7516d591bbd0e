"""Grid enumerates once and finishes; random and bayes run to count or run_cap; seeded bayes reproduces."""

from __future__ import annotations

import json
import math
import warnings

import pytest
from sweep_test_helpers import RANDOM_CONFIG, quadratic_train

import spyglass as sg
from spyglass.sweeps import SweepWarning, find_sweep, snapshot


def trials_of(sweep_id, store):
    return snapshot(find_sweep(sweep_id, dir=store))["trials"]


def test_grid_enumerates_every_combination_exactly_once_and_finishes(store):
    config = {
        "method": "grid",
        "parameters": {"a": {"values": [1, 2, 3]}, "b": {"values": ["x", "y"]}, "c": {"value": 0}},
    }
    sweep_id = sg.sweep(config, project="grid")
    seen = []
    assert sg.agent(sweep_id, lambda: seen.append((sg.config["a"], sg.config["b"]))) == 6
    assert sorted(seen) == sorted((a, b) for a in (1, 2, 3) for b in "xy")
    snap = snapshot(find_sweep(sweep_id, dir=store))
    assert (
        snap["sweep"]["state"] == "finished" and snap["counts"]["total"] == 6 and snap["counts"]["left"] == 0
    )
    assert sg.agent(sweep_id, lambda: None) == 0  # nothing left: a second agent returns at once


def test_random_runs_until_count_then_until_run_cap(store):
    sweep_id = sg.sweep({**RANDOM_CONFIG, "run_cap": 5}, project="rand")
    assert sg.agent(sweep_id, quadratic_train, count=2) == 2
    assert sg.agent(sweep_id, quadratic_train) == 3  # resumes at trial 2 and stops at the cap
    trials = trials_of(sweep_id, store)
    assert [t["index"] for t in trials] == [0, 1, 2, 3, 4] and all(t["state"] == "finished" for t in trials)
    assert len({json.dumps(t["params"], sort_keys=True) for t in trials}) == 5
    assert all(t["metric"] is not None for t in trials)


def test_each_trial_is_a_run_holding_its_parameters_and_the_sweep(store):
    sweep_id = sg.sweep({**RANDOM_CONFIG, "run_cap": 1}, project="runs")
    sg.agent(sweep_id, quadratic_train)
    [trial] = trials_of(sweep_id, store)
    meta = json.loads((store / "runs" / trial["run_id"] / "run.json").read_text())
    assert meta["config"]["lr"] == trial["params"]["lr"]
    assert meta["config"]["optimizer"] == {
        "name": trial["params"]["optimizer.name"],
        "momentum": trial["params"]["optimizer.momentum"],
    }
    assert (
        meta["config"]["sweep_id"] == sweep_id
        and meta["sweep"]["id"] == sweep_id
        and meta["sweep"]["trial"] == 0
    )
    assert meta["state"] == "finished" and trial["run_dir"] == str(store / "runs" / trial["run_id"])


def test_the_train_functions_own_init_config_stays_under_the_sweep_values(store):
    sweep_id = sg.sweep({**RANDOM_CONFIG, "run_cap": 1}, project="merge")
    seen = {}

    def train():
        run = sg.init(project="ignored", config={"lr": 123.0, "epochs": 4})
        seen.update(lr=run.config["lr"], epochs=run.config["epochs"], same=run is sg.run)

    sg.agent(sweep_id, train)
    [trial] = trials_of(sweep_id, store)
    assert seen == {"lr": trial["params"]["lr"], "epochs": 4, "same": True}


def propose_sequence(store, seed: int, project: str) -> list[float]:
    config = {
        "method": "bayes", "seed": seed, "run_cap": 14, "metric": {"name": "loss", "goal": "minimize"},
        "parameters": {"x": {"min": -2.0, "max": 2.0}, "k": {"values": ["a", "b"]}},
    }  # fmt: skip
    sweep_id = sg.sweep(config, project=project)

    def train():
        sg.log({"loss": (sg.config["x"] - 0.5) ** 2 + (0.0 if sg.config["k"] == "a" else 1.0)})

    sg.agent(sweep_id, train)
    return [t["params"]["x"] for t in trials_of(sweep_id, store)]


def test_seeded_bayes_reproduces_and_moves_towards_the_optimum(store):
    first, second = propose_sequence(store, 11, "bayes1"), propose_sequence(store, 11, "bayes2")
    assert first == second and len(first) == 14
    assert propose_sequence(store, 12, "bayes3") != first
    # After its 10 random startup trials TPE proposes near x = 0.5.
    assert min(abs(x - 0.5) for x in first[10:]) < min(abs(x - 0.5) for x in first[:10]) + 0.2


def test_bayes_falls_back_to_random_with_a_warning_when_the_metric_is_never_logged(store):
    sweep_id = sg.sweep(
        {**RANDOM_CONFIG, "method": "bayes", "run_cap": 5, "metric": {"name": "val_loss"}}, project="nometric"
    )
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        sg.agent(sweep_id, quadratic_train)
    assert any(issubclass(w.category, SweepWarning) and "val_loss" in str(w.message) for w in caught)
    snap = snapshot(find_sweep(sweep_id, dir=store))
    assert snap["counts"]["done"] == 5 and any("never logged" in text for text in snap["warnings"])


def test_a_metric_target_ends_the_sweep(store):
    config = {**RANDOM_CONFIG, "metric": {"name": "loss", "goal": "minimize", "target": 100.0}}
    sweep_id = sg.sweep(config, project="target")
    assert sg.agent(sweep_id, quadratic_train, count=10) == 1
    assert snapshot(find_sweep(sweep_id, dir=store))["sweep"]["state"] == "finished"


def test_prior_runs_enter_as_finished_trials(store):
    with sg.init(project="prior", config={"lr": 0.01, "optimizer": {"name": "adam", "momentum": 0.5}}) as run:
        run.log({"loss": 0.25})
    sweep_id = sg.sweep(
        {**RANDOM_CONFIG, "method": "bayes", "run_cap": 2}, project="prior", prior_runs=[run.id]
    )
    sg.agent(sweep_id, quadratic_train)
    first, second = trials_of(sweep_id, store)
    assert first["run_id"] == run.id and first["metric"] == 0.25 and first["params"]["lr"] == 0.01
    assert second["state"] == "finished" and second["run_id"] != run.id


def test_importance_appears_once_enough_trials_finished(store):
    sweep_id = sg.sweep({**RANDOM_CONFIG, "run_cap": 8}, project="importance")
    sg.agent(sweep_id, quadratic_train, count=3)
    assert snapshot(find_sweep(sweep_id, dir=store))["importance"] is None
    sg.agent(sweep_id, quadratic_train)
    found = {row["param"]: row for row in snapshot(find_sweep(sweep_id, dir=store))["importance"]}
    assert set(found) == {"lr", "optimizer.name", "optimizer.momentum"}
    assert found["optimizer.name"]["correlation"] is None and -1 <= found["lr"]["correlation"] <= 1
    assert math.isclose(sum(row["importance"] for row in found.values()), 1.0, rel_tol=1e-6)


@pytest.mark.parametrize("given", ["nosuch", "someproject/nosuch"])
def test_a_sweep_id_that_does_not_exist_is_a_clear_error(store, given):
    with pytest.raises(sg.sweeps.SweepNotFoundError, match="no sweep 'nosuch'"):
        sg.agent(given, lambda: None)
