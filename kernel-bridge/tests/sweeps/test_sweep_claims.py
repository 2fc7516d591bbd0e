"""Claims: parallel agent processes never share a configuration and lose no trial; a dead agent's trial is
retried once and then marked failed."""

from __future__ import annotations

import json
import multiprocessing
import os
import socket
import subprocess
import sys
import time

import pytest

import spyglass as sg
from spyglass.sweeps import find_sweep, snapshot
from spyglass.sweeps.store import SweepStore

AGENTS, PER_AGENT = 4, 50


def agent_process(sweep_id: str, root: str, count: int) -> None:
    import spyglass

    def train():
        spyglass.log({"loss": sum(float(v) for v in spyglass.config.values() if isinstance(v, (int, float)))})

    spyglass.agent(sweep_id, train, count=count, dir=root)


def run_parallel_agents(store, config, project):
    sweep_id = sg.sweep(config, project=project)
    context = multiprocessing.get_context("spawn")
    processes = [
        context.Process(target=agent_process, args=(sweep_id, str(store), PER_AGENT)) for _ in range(AGENTS)
    ]
    for process in processes:
        process.start()
    for process in processes:
        process.join(timeout=120)
        assert process.exitcode == 0
    return snapshot(find_sweep(sweep_id, dir=store))


@pytest.mark.parametrize("method", ["random", "grid"])
def test_four_agent_processes_run_two_hundred_distinct_configurations(store, method):
    if method == "grid":
        parameters = {"a": {"values": list(range(10))}, "b": {"values": list(range(20))}}
    else:
        parameters = {
            "a": {"min": 0.0, "max": 1.0},
            "b": {"distribution": "int_uniform", "min": 0, "max": 10**6},
        }
    snap = run_parallel_agents(
        store, {"method": method, "metric": {"name": "loss"}, "parameters": parameters}, method
    )
    trials = snap["trials"]
    assert [t["index"] for t in trials] == list(range(AGENTS * PER_AGENT))
    assert all(t["state"] == "finished" and t["metric"] is not None for t in trials)
    assert len({json.dumps(t["params"], sort_keys=True) for t in trials}) == AGENTS * PER_AGENT
    assert len({t["run_id"] for t in trials}) == AGENTS * PER_AGENT
    assert len({t["agent"] for t in trials}) == AGENTS  # every process took part


def dead_pid() -> int:
    process = subprocess.Popen([sys.executable, "-c", "pass"])
    process.wait()
    return process.pid


def plant_claim(sweep_dir, index, attempt, params, pid=None, host=None, claimed_at=None):
    SweepStore(sweep_dir).try_claim(index, attempt, {
        "agent": "ghost", "host": host or socket.gethostname(), "pid": pid or dead_pid(),
        "claimed_at": claimed_at or time.time(), "params": params, "latent": params,
    })  # fmt: skip


def test_a_crashed_agents_trial_is_retried_with_the_same_configuration(store):
    sweep_id = sg.sweep(
        {
            "method": "random",
            "metric": {"name": "loss"},
            "parameters": {"x": {"min": 0.0, "max": 1.0}},
            "run_cap": 2,
        },
        project="stale",
    )
    sweep_dir = find_sweep(sweep_id, dir=store)
    plant_claim(sweep_dir, 0, 0, {"x": 0.123})
    seen = []
    with pytest.warns(sg.sweeps.SweepWarning, match="trial 0: its agent ghost stopped answering"):
        sg.agent(sweep_id, lambda: (seen.append(sg.config["x"]), sg.log({"loss": 1.0})))
    assert seen[0] == 0.123 and len(seen) == 2
    trials = snapshot(sweep_dir)["trials"]
    assert [t["state"] for t in trials] == ["finished", "finished"]
    assert sorted(os.listdir(sweep_dir / "claims")) == ["0-0", "0-1", "1-0"]


def test_a_trial_whose_agents_died_twice_is_marked_failed_not_lost(store):
    sweep_id = sg.sweep(
        {
            "method": "random",
            "metric": {"name": "loss"},
            "parameters": {"x": {"min": 0.0, "max": 1.0}},
            "run_cap": 2,
        },
        project="stale2",
    )
    sweep_dir = find_sweep(sweep_id, dir=store)
    plant_claim(sweep_dir, 0, 0, {"x": 0.5})
    plant_claim(sweep_dir, 0, 1, {"x": 0.5})
    with pytest.warns(sg.sweeps.SweepWarning, match="marked failed"):
        assert sg.agent(sweep_id, lambda: sg.log({"loss": 1.0})) == 1
    first, second = snapshot(sweep_dir)["trials"]
    assert first["state"] == "failed" and "stopped answering 2 times" in first["error"]
    assert second["state"] == "finished"


def test_a_silent_agent_on_another_machine_is_stale_only_after_its_heartbeat_ages(store, monkeypatch):
    from spyglass.sweeps import store as store_module

    sweep_id = sg.sweep(
        {"method": "random", "parameters": {"x": {"min": 0.0, "max": 1.0}}, "run_cap": 1}, project="remote"
    )
    sweep_dir = find_sweep(sweep_id, dir=store)
    plant_claim(sweep_dir, 0, 0, {"x": 0.5}, pid=1, host="elsewhere", claimed_at=time.time())
    assert sg.agent(sweep_id, lambda: None) == 0  # fresh: the other machine's agent may well be alive
    monkeypatch.setattr(store_module, "STALE_AFTER", 0.0)
    time.sleep(0.01)
    with pytest.warns(sg.sweeps.SweepWarning):
        assert sg.agent(sweep_id, lambda: None) == 1


def test_a_killed_agent_process_leaves_a_trial_the_next_agent_retries(store, tmp_path):
    sweep_id = sg.sweep(
        {
            "method": "random",
            "metric": {"name": "loss"},
            "parameters": {"x": {"min": 0.0, "max": 1.0}},
            "run_cap": 1,
        },
        project="killed",
    )
    sweep_dir = find_sweep(sweep_id, dir=store)
    script = tmp_path / "hang.py"
    script.write_text(
        "import os, sys, time, spyglass\n"
        "def train():\n    spyglass.log({'loss': 1.0})\n    os.kill(os.getpid(), 9)\n"
        f"spyglass.agent({sweep_id!r}, train, dir={str(store)!r})\n"
    )
    subprocess.run([sys.executable, str(script)], timeout=60)
    [trial] = snapshot(sweep_dir)["trials"]
    assert trial["state"] == "running"  # the record says running; the process is gone
    with pytest.warns(sg.sweeps.SweepWarning):
        assert sg.agent(sweep_id, lambda: sg.log({"loss": 2.0})) == 1
    [trial] = snapshot(sweep_dir)["trials"]
    assert trial["state"] == "finished" and trial["metric"] == 2.0
