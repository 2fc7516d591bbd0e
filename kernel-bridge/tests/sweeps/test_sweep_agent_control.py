"""A failing trial is recorded and the sweep goes on; pause, resume, stop and stop_trial reach the agent."""

from __future__ import annotations

import threading
import time

import pytest
from sweep_test_helpers import RANDOM_CONFIG

import spyglass as sg
from spyglass.sweeps import SweepControlError, control, find_sweep, snapshot


def test_a_train_function_that_raises_fails_its_trial_with_the_traceback_and_the_sweep_goes_on(store):
    sweep_id = sg.sweep({**RANDOM_CONFIG, "run_cap": 4}, project="fail")
    calls = []

    def train():
        calls.append(1)
        sg.log({"loss": 1.0})
        if len(calls) == 2:
            raise ZeroDivisionError("bad batch")

    assert sg.agent(sweep_id, train) == 4
    snap = snapshot(find_sweep(sweep_id, dir=store))
    states = [t["state"] for t in snap["trials"]]
    assert states == ["finished", "failed", "finished", "finished"]
    failed = snap["trials"][1]
    assert "ZeroDivisionError: bad batch" in failed["error"] and "Traceback" in failed["error"]
    import json

    assert json.loads((store / "fail" / failed["run_id"] / "run.json").read_text())["state"] == "failed"


def run_agent_in_thread(sweep_id, train, **kwargs):
    thread = threading.Thread(target=sg.agent, args=(sweep_id, train), kwargs=kwargs, daemon=True)
    thread.start()
    return thread


def wait_for(predicate, timeout=10.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.05)
    raise AssertionError("condition not reached in time")


def test_pause_holds_the_agent_resume_continues_and_stop_ends_it(store):
    sweep_id = sg.sweep(RANDOM_CONFIG, project="control")
    sweep_dir = find_sweep(sweep_id, dir=store)
    assert control(sweep_dir, "pause")["state"] == "paused"

    def train():
        sg.log({"loss": 0.5})
        time.sleep(0.05)

    thread = run_agent_in_thread(sweep_id, train)
    time.sleep(1.5)
    assert snapshot(sweep_dir)["trials"] == [] and thread.is_alive()
    assert control(sweep_dir, "resume")["state"] == "running"
    wait_for(lambda: snapshot(sweep_dir)["counts"]["done"] >= 3)
    assert control(sweep_dir, "stop")["state"] == "stopped"
    thread.join(timeout=10)
    assert not thread.is_alive()
    done = snapshot(sweep_dir)["counts"]["done"]
    assert sg.agent(sweep_id, train) == 0  # a stopped sweep starts nothing
    control(sweep_dir, "resume")
    assert sg.agent(sweep_id, train, count=2) == 2 and snapshot(sweep_dir)["counts"]["done"] == done + 2


def test_stop_trial_reaches_the_running_trial(store):
    sweep_id = sg.sweep(RANDOM_CONFIG, project="stoptrial")
    sweep_dir = find_sweep(sweep_id, dir=store)
    started = threading.Event()

    def train():
        run = sg.init()
        started.set()
        for _ in range(400):
            run.log({"loss": 1.0})
            if run.should_stop:
                return
            time.sleep(0.025)

    thread = run_agent_in_thread(sweep_id, train, count=1)
    assert started.wait(10)
    wait_for(lambda: snapshot(sweep_dir)["trials"][0]["state"] == "running")
    assert control(sweep_dir, "stop_trial", 0)["ok"] is True
    thread.join(timeout=10)
    [trial] = snapshot(sweep_dir)["trials"]
    assert trial["state"] == "stopped" and trial["stopped_reason"] == "stopped by user"
    with pytest.raises(SweepControlError, match="not running"):
        control(sweep_dir, "stop_trial", 0)


def test_bad_control_requests_are_refused(store):
    sweep_dir = find_sweep(sg.sweep(RANDOM_CONFIG, project="badcontrol"), dir=store)
    with pytest.raises(SweepControlError, match="unknown sweep action"):
        control(sweep_dir, "explode")
    with pytest.raises(SweepControlError, match="trial index"):
        control(sweep_dir, "stop_trial")
    with pytest.raises(SweepControlError, match="no trial 3"):
        control(sweep_dir, "stop_trial", 3)


def test_the_controller_object_controls_and_displays(store):
    sweep_id = sg.sweep({**RANDOM_CONFIG, "run_cap": 2}, project="ctl")
    handle = sg.controller(sweep_id)
    assert handle.pause()["state"] == "paused" and handle.state == "paused"
    handle.resume()
    sg.agent(sweep_id, lambda: sg.log({"loss": 1.0}))
    bundle = handle._repr_mimebundle_()
    data = bundle["application/vnd.spyglass.sweep.v1+json"]
    assert data["sweep_id"] == sweep_id and data["snapshot"]["counts"]["done"] == 2
    assert "2 done" in bundle["text/plain"] and handle.state == "finished"
