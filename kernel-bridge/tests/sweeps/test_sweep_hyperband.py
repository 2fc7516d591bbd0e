"""Hyperband: the bracket schedule against worked examples, the cut rule, and the signal a trial sees."""

from __future__ import annotations

import pytest

import spyglass as sg
from spyglass.sweeps import find_sweep, snapshot
from spyglass.sweeps.hyperband import Hyperband, schedule


def test_min_iter_bands_grow_by_eta():
    assert schedule({"min_iter": 3, "eta": 3})[:5] == [3, 9, 27, 81, 243]
    assert schedule({"min_iter": 1, "eta": 2})[:6] == [1, 2, 4, 8, 16, 32]


def test_max_iter_bands_are_s_divisions_by_eta_ascending():
    # wandb's worked example: max_iter 27, eta 3, s 2 -> brackets at 3 and 9 iterations.
    assert schedule({"max_iter": 27, "eta": 3, "s": 2}) == [3, 9]
    assert schedule({"max_iter": 81, "eta": 3, "s": 3}) == [3, 9, 27]
    assert schedule({"max_iter": 10, "eta": 3, "s": 5}) == [1, 3]  # stops before a band below 1


def test_the_cut_keeps_the_best_third_of_the_trials_at_a_band():
    # Nine trials reached band 3 with these losses; eta 3 keeps the best 1/3.
    at_band = [0.9, 0.1, 0.5, 0.3, 0.8, 0.2, 0.7, 0.4, 0.6]
    rule = Hyperband({"min_iter": 3, "eta": 3}, "minimize")
    cut = rule.cut(at_band)
    assert cut == pytest.approx(0.3667, abs=1e-3)  # numpy quantile 1/3 of 0.1..0.9
    stopped = sorted(v for v in at_band if rule.stops(v, at_band)[0])
    assert stopped == [0.4, 0.5, 0.6, 0.7, 0.8, 0.9]


def test_maximize_keeps_the_top_and_a_band_needs_eta_trials():
    rule = Hyperband({"min_iter": 1, "eta": 3}, "maximize")
    assert rule.cut([0.5, 0.9]) is None  # two trials are not enough company for eta 3
    assert rule.stops(0.2, [0.2, 0.5, 0.9])[0] and not rule.stops(0.9, [0.2, 0.5, 0.9])[0]


def curve_sweep(store, project, **extra):
    config = {
        "method": "grid", "metric": {"name": "loss", "goal": "minimize"},
        "parameters": {"quality": {"values": [1.0, 5.0, 6.0, 7.0, 8.0, 9.0]}},
        "early_terminate": {"type": "hyperband", "min_iter": 2, "eta": 2},
        **extra,
    }  # fmt: skip
    return sg.sweep(config, project=project)


def test_a_trial_below_the_cut_sees_should_stop_and_is_recorded_stopped_early(store):
    sweep_id = curve_sweep(store, "hb")
    steps = {}

    def train():
        run = sg.init()
        for step in range(1, 21):
            run.log({"loss": sg.config["quality"] / step})
            if run.should_stop:
                break
        steps[sg.config["quality"]] = step

    sg.agent(sweep_id, train)
    trials = snapshot(find_sweep(sweep_id, dir=store))["trials"]
    states = {t["params"]["quality"]: t["state"] for t in trials}
    assert states[1.0] == "finished" and steps[1.0] == 20
    assert [q for q, s in states.items() if s == "stopped_early"] and all(
        steps[q] < 20 for q, s in states.items() if s == "stopped_early"
    )
    early = next(t for t in trials if t["state"] == "stopped_early")
    assert early["stopped_reason"].startswith("hyperband: loss=") and early["metric"] is not None


def test_raise_on_stop_raises_trial_stopped_at_the_next_log(store):
    sweep_id = curve_sweep(store, "hbraise")
    raised = []

    def train():
        run = sg.init()
        try:
            for step in range(1, 21):
                run.log({"loss": sg.config["quality"] / step})
        except sg.TrialStopped:
            raised.append((sg.config["quality"], step, run.should_stop))
            raise

    sg.agent(sweep_id, train, raise_on_stop=True)
    snap = snapshot(find_sweep(sweep_id, dir=store))
    assert raised and all(should for _, _, should in raised)
    assert snap["counts"]["failed"] == 0 and snap["counts"]["stopped_early"] == len(raised)


def test_runs_outside_sweeps_have_no_wrapper_on_log(store):
    run = sg.init(project="plain")
    assert run.log == run._history.log and run.should_stop is False
    run.finish()
