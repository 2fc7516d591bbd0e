"""Sweeps across machines: agents in processes with their own host name and local root share a sweep through
the bucket alone (claims created with If-None-Match). No trial runs twice, a dead machine's trial is retried
once, and pause, resume, stop and stop-trial reach every agent (docs/team.md, "Sweeps and artifacts")."""

from __future__ import annotations

import json
import os
import signal
import time

from s3_machines import machine, read_line, start_script, wait_for

import spyglass as sg
from spyglass.store.bucket import Bucket
from spyglass.store.store_url import parse_store_url

# An agent machine: runs `sg.agent` on the sweep; every trial says when it starts (run id and sweep trial),
# then logs `epochs` values `delay` seconds apart (forever for "hang", until told to stop for "until-stop").
AGENT_SCRIPT = r"""
import json, sys, time
import spyglass as sg
url, sweep_id, mode, delay, epochs = sys.argv[1:6]
def train():
    run = sg.init()
    print(json.dumps({"trial": run._sweep["trial"], "run_id": run.id}), flush=True)
    if mode == "hang":
        time.sleep(3600)
    for epoch in range(10**6 if mode == "until-stop" else int(epochs)):
        run.log({"loss": float(sg.config["x"]) + 1.0 / (epoch + 1)})
        if run.should_stop:
            break
        time.sleep(float(delay))
ran = sg.agent(sweep_id, function=train, dir=url)
print(json.dumps({"ran": ran}), flush=True)
"""
STALE = 4  # seconds without a heartbeat after which the agent machines take a trial over
CONFIG = {
    "method": "random",
    "metric": {"name": "loss", "goal": "minimize"},
    "parameters": {"x": {"min": 0.0, "max": 1.0}},
}


def agent(tmp_path, s3_server, url, name, sweep_id, mode="quick", delay=0.05, epochs=3, **extra):
    env = machine(tmp_path, s3_server.process_env("writer"), name, **extra)
    return start_script(name, env, AGENT_SCRIPT, url, sweep_id, mode, delay, epochs)


def lines_until_exit(process, timeout=180):
    out, err = process.communicate(timeout=timeout)
    assert process.returncode == 0, err[-4000:]
    return [json.loads(line) for line in out.splitlines() if line.strip()]


def claims(url, sweep_id, project="p"):
    bucket = Bucket.for_url(parse_store_url(url))
    return sorted(info.key.rsplit("/", 1)[1] for info in bucket.list(f"{project}/.sweeps/{sweep_id}/claims/"))


def test_two_machines_share_a_sweep_and_never_run_a_trial_twice(s3_store, s3_server, tmp_path):
    sweep_id = sg.sweep({**CONFIG, "run_cap": 10}, project="p")
    machines = [agent(tmp_path, s3_server, s3_store, name, sweep_id) for name in ("machine-a", "machine-b")]
    outputs = {name: lines_until_exit(process) for name, process in zip(("a", "b"), machines, strict=True)}
    ran = {name: lines[-1]["ran"] for name, lines in outputs.items()}
    assert sum(ran.values()) == 10 and all(ran.values()), ran  # both machines took part
    started = [line["trial"] for lines in outputs.values() for line in lines if "trial" in line]
    assert sorted(started) == list(range(10)), "every trial ran exactly once, on one machine"

    # This process (a third local root) reads the sweep from the bucket alone.
    snap = sg.controller(sweep_id, dir=s3_store).snapshot()
    assert snap["sweep"]["state"] == "finished" and snap["counts"]["done"] == 10
    trials = snap["trials"]
    assert [t["index"] for t in trials] == list(range(10))
    assert all(t["state"] == "finished" and isinstance(t["metric"], float) for t in trials)
    assert len({t["params"]["x"] for t in trials}) == 10
    assert {t["agent"].split(":")[0] for t in trials} == {"machine-a", "machine-b"}
    assert claims(s3_store, sweep_id) == sorted(f"{i}-0" for i in range(10))
    local_root = sg.controller(sweep_id, dir=s3_store).sweep_dir.parent.parent.parent
    assert all(t["run_dir"] == str(local_root / "p" / t["run_id"]) for t in trials)


def test_a_dead_machines_trial_is_retried_once_elsewhere_then_marked_failed(s3_store, s3_server, tmp_path):
    sweep_id = sg.sweep({**CONFIG, "run_cap": 2}, project="p")
    fast_stale = {"SPYGLASS_SWEEP_STALE_AFTER": str(STALE)}
    doomed = agent(tmp_path, s3_server, s3_store, "machine-a", sweep_id, "hang", **fast_stale)
    first = read_line(doomed)
    assert first["trial"] == 0
    os.kill(doomed.pid, signal.SIGKILL)  # the machine dies holding trial 0 (its heartbeat stops)
    doomed.wait(10)
    time.sleep(STALE + 1)

    # Machine B cannot see A's process: the trial is taken over once its heartbeat is STALE s old, with the
    # same configuration, as attempt 1; B dies in it too.
    second = agent(tmp_path, s3_server, s3_store, "machine-b", sweep_id, "hang", **fast_stale)
    assert read_line(second)["trial"] == 0
    os.kill(second.pid, signal.SIGKILL)
    second.wait(10)
    time.sleep(STALE + 1)
    assert claims(s3_store, sweep_id) == ["0-0", "0-1"]

    # Machine C finds trial 0 dead twice: it is failed, not retried again, and C runs trial 1.
    last = agent(tmp_path, s3_server, s3_store, "machine-c", sweep_id, **fast_stale)
    lines = lines_until_exit(last)
    assert [line["trial"] for line in lines if "trial" in line] == [1]
    snap = sg.controller(sweep_id, dir=s3_store).snapshot()
    zero, one = snap["trials"]
    assert zero["state"] == "failed" and "stopped answering 2 times" in zero["error"]
    assert one["state"] == "finished"
    bucket = Bucket.for_url(parse_store_url(s3_store))
    base = f"p/.sweeps/{sweep_id}/claims"
    params = [json.loads(bucket.get(f"{base}/0-{attempt}"))["params"] for attempt in (0, 1)]
    assert params[0] == params[1], "a retry runs the same configuration"
    assert claims(s3_store, sweep_id) == ["0-0", "0-1", "0-2", "1-0"]


def test_pause_resume_stop_and_stop_trial_reach_every_machine(s3_store, s3_server, tmp_path):
    sweep_id = sg.sweep(CONFIG, project="p")  # no cap: only stop ends it
    controller = sg.controller(sweep_id, dir=s3_store)
    machines = [
        agent(tmp_path, s3_server, s3_store, name, sweep_id, "quick", 0.2, 3)
        for name in ("machine-a", "machine-b")
    ]
    try:
        wait_for(lambda: len(claims(s3_store, sweep_id)) >= 4, 120, "both machines claiming trials")
        controller.pause()
        # Running trials end, then no machine claims another while paused.
        wait_for(lambda: controller.snapshot()["counts"]["running"] == 0, 60, "running trials to end")
        paused_at = claims(s3_store, sweep_id)
        time.sleep(4)
        assert claims(s3_store, sweep_id) == paused_at
        assert all(process.poll() is None for process in machines), "paused agents wait, they do not return"
        assert controller.state == "paused"

        controller.resume()
        wait_for(lambda: len(claims(s3_store, sweep_id)) > len(paused_at), 60, "claims after resume")
        controller.stop()
        outputs = [lines_until_exit(process, 120) for process in machines]
        assert all(lines[-1]["ran"] >= 1 for lines in outputs)
        snap = controller.snapshot()
        assert snap["sweep"]["state"] == "stopped" and snap["counts"]["running"] == 0
    finally:
        for process in machines:
            process.kill()

    # stop_trial from this machine ends a trial running on machine B (its log() sees should_stop).
    controller.resume()
    runner = agent(tmp_path, s3_server, s3_store, "machine-b", sweep_id, "until-stop", 0.05)
    try:
        index = read_line(runner)["trial"]
        wait_for(
            lambda: controller.snapshot()["trials"][index]["state"] == "running", 60, "the trial running"
        )
        controller.stop()  # no trial after this one: the agent returns once it ends
        controller.stop_trial(index)
        lines = lines_until_exit(runner, 120)
    finally:
        runner.kill()
    assert lines[-1] == {"ran": 1}
    trial = controller.snapshot()["trials"][index]
    assert trial["state"] == "stopped" and trial["stopped_reason"] == "stopped by user"


def test_script_trials_of_spyglass_agent_write_their_runs_to_the_bucket(s3_store, s3_server, tmp_path):
    program = tmp_path / "train.py"
    program.write_text(
        "import spyglass as sg\nrun = sg.init()\nrun.log({'loss': float(run.config['x'])})\nrun.finish()\n"
    )
    sweep_id = sg.sweep({**CONFIG, "program": str(program), "run_cap": 2}, project="p")
    env = machine(tmp_path, s3_server.process_env("writer"), "machine-a")
    cli = start_script(
        "machine-a",
        env,
        "import sys; from spyglass.cli import main; sys.exit(main())",
        "agent",
        sweep_id,
        "--dir",
        s3_store,
    )
    out, err = cli.communicate(timeout=180)
    assert cli.returncode == 0, err[-4000:]

    snap = sg.controller(sweep_id, dir=s3_store).snapshot()
    assert [t["state"] for t in snap["trials"]] == ["finished", "finished"]
    bucket = Bucket.for_url(parse_store_url(s3_store))
    for trial in snap["trials"]:
        assert trial["metric"] == trial["params"]["x"]  # read from the run the script wrote
        meta = json.loads(bucket.get(f"p/{trial['run_id']}/run.json"))  # the script's run is in the bucket
        assert meta["state"] == "finished" and meta["sweep"]["trial"] == trial["index"]
