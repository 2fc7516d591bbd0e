"""An agent's `count` is recorded in the sweep's store: the snapshot's total ("3 of 8") and its finished state
follow it for a sweep with no bound of its own (random or bayes without run_cap)."""

from __future__ import annotations

import json

import pytest
from sweep_test_helpers import RANDOM_CONFIG

import spyglass as sg
from spyglass.sweeps import find_sweep, snapshot
from spyglass.sweeps.store import SweepStore


def progress(sweep_dir):
    snap = snapshot(sweep_dir)
    return snap["sweep"]["state"], snap["counts"]["total"], snap["counts"]["left"], snap["counts"]["done"]


def watched_sweep(store, project):
    """A sweep with no run_cap and a train() that records the sweep's progress as each trial runs."""
    sweep_id = sg.sweep(RANDOM_CONFIG, project=project)
    sweep_dir = find_sweep(sweep_id, dir=store)
    seen = []

    def train():
        sg.log({"loss": 1.0})
        seen.append(progress(sweep_dir))

    return sweep_id, sweep_dir, train, seen


def test_an_agent_count_is_the_total_of_an_unbounded_sweep_and_the_sweep_finishes_with_it(store):
    sweep_id, sweep_dir, train, seen = watched_sweep(store, "counted")
    assert sg.agent(sweep_id, train, count=8) == 8
    # While trial 3 runs: 3 trials claimed, 5 more to come, 2 done.
    assert seen[2] == ("running", 8, 5, 2)
    assert progress(sweep_dir) == ("finished", 8, 0, 8)
    agents = SweepStore(sweep_dir).agents()
    assert [(a["count"], a["live"]) for a in agents] == [(8, False)]


def test_a_second_agent_adds_its_count_and_the_sweep_runs_again_until_it_is_done(store):
    sweep_id, sweep_dir, train, seen = watched_sweep(store, "twice")
    sg.agent(sweep_id, train, count=3)
    assert progress(sweep_dir) == ("finished", 3, 0, 3)
    sg.agent(sweep_id, train, count=2)
    assert seen[3] == ("running", 5, 1, 3), "the second agent's first trial: 4 of 5 claimed"
    assert progress(sweep_dir) == ("finished", 5, 0, 5)


def test_an_agent_without_count_leaves_the_sweep_uncapped_while_it_runs(store):
    sweep_id, sweep_dir, train, seen = watched_sweep(store, "uncapped")

    def interrupted():
        train()
        if len(seen) == 2:
            raise KeyboardInterrupt  # the user interrupts the cell: the agent ends

    with pytest.raises(KeyboardInterrupt):
        sg.agent(sweep_id, interrupted)
    assert seen[0] == ("running", None, None, 0)
    assert progress(sweep_dir) == ("finished", 2, 0, 2), "the agent ended: what it ran is the sweep"


def test_the_run_cap_stays_the_total_whatever_the_agent_count(store):
    sweep_id = sg.sweep({**RANDOM_CONFIG, "run_cap": 5}, project="capped")
    sweep_dir = find_sweep(sweep_id, dir=store)
    sg.agent(sweep_id, lambda: sg.log({"loss": 1.0}), count=2)
    assert progress(sweep_dir) == ("running", 5, 3, 2)


def test_an_agent_whose_process_died_no_longer_holds_the_sweep_open(store):
    sweep_id = sg.sweep(RANDOM_CONFIG, project="crashed")
    sweep_dir = find_sweep(sweep_id, dir=store)
    sg.agent(sweep_id, lambda: sg.log({"loss": 1.0}), count=2)
    sweep_store = SweepStore(sweep_dir)
    sweep_store.register_agent("gone:1:abcd", 10)
    assert progress(sweep_dir) == ("running", 12, 10, 2), "a live agent with count 10 still to run"
    path = sweep_dir / "agents" / "gone_1_abcd.json"
    record = json.loads(path.read_text())
    path.write_text(json.dumps({**record, "pid": 2**22 + 12345}))  # no such process on this machine
    assert progress(sweep_dir) == ("finished", 2, 0, 2)


def test_a_sweep_made_before_agents_were_recorded_reads_as_uncapped(store):
    sweep_id = sg.sweep(RANDOM_CONFIG, project="older")
    sweep_dir = find_sweep(sweep_id, dir=store)
    assert not (sweep_dir / "agents").exists()
    assert progress(sweep_dir) == ("running", None, None, 0)
