"""The Python snapshot has exactly the keys of the contract and of the sweep panel's golden fixture."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import spyglass as sg
from spyglass.sweeps import find_sweep, snapshot

FIXTURE = (
    Path(__file__).resolve().parents[3] / "packages" / "protocol" / "fixtures" / "sweep" / "snapshot.json"
)
TOP = {"sweep", "counts", "trials", "importance", "warnings"}
SWEEP = {
    "id",
    "project",
    "name",
    "method",
    "metric",
    "state",
    "run_cap",
    "created_at",
    "early_terminate",
    "parameters",
}
PARAMETER = {"name", "kind", "log", "min", "max", "values"}
COUNTS = {"done", "running", "failed", "stopped_early", "left", "total"}
TRIAL = {
    "index", "run_id", "run_dir", "state", "params", "metric", "best_so_far", "stopped_reason", "error",
    "agent", "started_at", "ended_at",
}  # fmt: skip
IMPORTANCE = {"param", "correlation", "importance"}


def key_sets(snap: dict) -> dict[str, set[str]]:
    return {
        "top": set(snap),
        "sweep": set(snap["sweep"]),
        "parameter": set().union(*(set(p) for p in snap["sweep"]["parameters"])),
        "counts": set(snap["counts"]),
        "trial": set().union(*(set(t) for t in snap["trials"])),
        "importance": set().union(*(set(i) for i in snap["importance"] or [{}])),
    }


@pytest.fixture
def python_snapshot(store):
    config = {
        "method": "random", "run_cap": 7, "metric": {"name": "val/loss", "goal": "minimize"},
        "early_terminate": {"type": "hyperband", "min_iter": 3, "eta": 3},
        "parameters": {
            "optimizer": {"parameters": {
                "lr": {"distribution": "log_uniform_values", "min": 1e-5, "max": 0.1},
                "name": {"values": ["adam", "sgd"]},
            }},
            "epochs": {"value": 3},
        },
    }  # fmt: skip
    sweep_id = sg.sweep(config, project="contract")

    def train():
        for epoch in range(3):
            sg.log({"val/loss": sg.config["optimizer"]["lr"] / (epoch + 1)})

    sg.agent(sweep_id, train, count=6)
    return snapshot(find_sweep(sweep_id, dir=store))


def test_the_snapshot_has_exactly_the_contracts_keys(python_snapshot):
    assert key_sets(python_snapshot) == {
        "top": TOP, "sweep": SWEEP, "parameter": PARAMETER, "counts": COUNTS, "trial": TRIAL,
        "importance": IMPORTANCE,
    }  # fmt: skip
    assert python_snapshot["sweep"]["metric"] == {"name": "val/loss", "goal": "minimize"}
    assert json.loads(json.dumps(python_snapshot)) == python_snapshot  # plain JSON


@pytest.mark.skipif(not FIXTURE.is_file(), reason="the sweep panel's golden fixture is not written yet")
def test_the_snapshot_has_the_same_keys_as_the_panels_fixture(python_snapshot):
    fixture = json.loads(FIXTURE.read_text())
    assert key_sets(python_snapshot) == key_sets(fixture)
