"""Sweeps in a bucket when the bucket misbehaves, against the real S3 server: a hyperband milestone never
sends a request from the logging thread; an agent retries its claim through a short outage (no trial run
twice, one clear warning) and stops with a clear error after a long one; a claim that landed while its answer
was lost is the agent's own."""

from __future__ import annotations

import os
import socket
import threading
import time
import warnings

import pytest

import spyglass as sg
from spyglass.base.errors import BucketUnreachable
from spyglass.store.bucket import Bucket
from spyglass.store.store_url import parse_store_url
from spyglass.sweeps import find_sweep, snapshot
from spyglass.sweeps.agent import Agent
from spyglass.sweeps.claims import claim_next
from spyglass.sweeps.messages import SweepWarning
from spyglass.sweeps.schema import parse_config
from spyglass.sweeps.store import SweepStore

GRID = {
    "method": "grid",
    "metric": {"name": "loss", "goal": "minimize"},
    "parameters": {"quality": {"values": [1.0, 5.0, 6.0]}},
}


def _claims(url: str, sweep_id: str) -> list[str]:
    bucket = Bucket.for_url(parse_store_url(url))
    return sorted(info.key.rsplit("/", 1)[1] for info in bucket.list(f"p/.sweeps/{sweep_id}/claims/"))


def test_hyperband_milestones_touch_the_bucket_off_the_logging_thread(s3_store, monkeypatch):
    config = {**GRID, "early_terminate": {"type": "hyperband", "min_iter": 2, "eta": 2}}
    sweep_id = sg.sweep(config, project="p")
    sent: list[tuple[str, str]] = []  # (thread, key) of every sweep request
    real_call = Bucket._call

    def recording(self, action, key, *args, **kwargs):
        if "/.sweeps/" in str(key):
            sent.append((threading.current_thread().name, str(key)))
        return real_call(self, action, key, *args, **kwargs)

    monkeypatch.setattr(Bucket, "_call", recording)
    steps, logging_threads = {}, set()

    def train():
        run = sg.init()
        logging_threads.add(threading.current_thread().name)
        for step in range(1, 31):
            sent_before = len(sent)
            run.log({"loss": sg.config["quality"] / step})
            assert all(thread not in logging_threads for thread, _ in sent[sent_before:])
            if run.should_stop:
                break
            time.sleep(0.05)
        steps[sg.config["quality"]] = step

    sg.agent(sweep_id, train, dir=s3_store)
    milestones = [(thread, key) for thread, key in sent if "/hyperband/" in key]
    assert milestones and all(thread.startswith("spyglass-hyperband-") for thread, _ in milestones)
    assert not [key for thread, key in sent if thread in logging_threads and "/hyperband/" in key]
    trials = snapshot(find_sweep(sweep_id, dir=s3_store))["trials"]
    states = {t["params"]["quality"]: t["state"] for t in trials}
    assert states[1.0] == "finished" and steps[1.0] == 30
    stopped = [q for q, state in states.items() if state == "stopped_early"]
    assert stopped and all(steps[q] < 30 for q in stopped), (states, steps)
    early = next(t for t in trials if t["state"] == "stopped_early")
    assert early["stopped_reason"].startswith("hyperband: loss=")


def test_an_agent_claims_through_a_short_outage_and_runs_no_trial_twice(s3_store, s3_server):
    sweep_id = sg.sweep(GRID, project="p")
    ran: list[float] = []
    restarted = threading.Event()

    def train():
        run = sg.init()
        ran.append(sg.config["quality"])
        run.log({"loss": sg.config["quality"]})

    def between_trials():
        # After the first trial is recorded, before the agent reads the sweep's state and claims the next.
        if agent.ran == 1 and not restarted.is_set():
            restarted.set()
            s3_server.stop()
            threading.Timer(4.0, s3_server.start).start()

    agent = Agent(find_sweep(sweep_id, dir=s3_store), train, on_change=between_trials)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        assert agent.run() == 3
    assert restarted.is_set() and sorted(ran) == [1.0, 5.0, 6.0]
    assert _claims(s3_store, sweep_id) == ["0-0", "1-0", "2-0"]  # each trial claimed once
    retries = [str(w.message) for w in caught if issubclass(w.category, SweepWarning)]
    assert len(retries) == 1 and "failed" in retries[0] and "retrying, for up to 60 s" in retries[0]
    assert s3_server.identities["writer"].secret_key not in retries[0]
    states = [t["state"] for t in snapshot(find_sweep(sweep_id, dir=s3_store))["trials"]]
    assert states == ["finished"] * 3


def test_an_agent_stops_with_a_clear_error_when_the_outage_outlasts_its_retries(
    s3_store, s3_server, monkeypatch
):
    monkeypatch.setenv("SPYGLASS_SWEEP_RETRY_SECONDS", "2")
    sweep_id = sg.sweep(GRID, project="p")
    agent = Agent(find_sweep(sweep_id, dir=s3_store), lambda: None)
    agent.store.register_agent(agent.name, None)
    s3_server.stop()
    try:
        started = time.monotonic()
        with warnings.catch_warnings(), pytest.raises(BucketUnreachable) as raised:
            warnings.simplefilter("ignore")
            agent.run()
        took = time.monotonic() - started
    finally:
        s3_server.start()
    message = str(raised.value)
    assert f"sweep {sweep_id}" in message and "failed for 2 s, the agent stops" in message
    assert "No trial was claimed twice or lost" in message and "did not answer" in message
    assert took < 60  # bounded (botocore's own retries come on top of the 2 s)
    assert _claims(s3_store, sweep_id) == []


def test_a_claim_that_landed_while_its_answer_was_lost_is_the_agents_own(s3_store):
    sweep_id = sg.sweep(GRID, project="p")
    store = SweepStore.open(find_sweep(sweep_id, dir=s3_store))
    config = parse_config(store.meta()["config"])
    content = {
        "agent": "a:1:x",
        "host": socket.gethostname(),
        "pid": os.getpid(),
        "claimed_at": time.time(),  # a live claim: not taken over as stale
        "params": {"quality": 1.0},
        "latent": {},
    }
    assert store.try_claim(0, 0, content)
    # The client's retry of the same PUT finds it: the claim is this agent's, not another's.
    assert SweepStore.open(store.path).try_claim(0, 0, content)
    assert not SweepStore.open(store.path).try_claim(0, 0, {**content, "agent": "b:2:y"})
    # An agent that lost the answer and claims again takes up its own claim instead of the next index.
    claim = claim_next(SweepStore.open(store.path), config, 0, "a:1:x")
    assert (claim.index, claim.attempt, claim.params) == (0, 0, {"quality": 1.0})
    other = claim_next(SweepStore.open(store.path), config, 0, "b:2:y")
    assert other.index == 1
    assert _claims(s3_store, sweep_id) == ["0-0", "1-0"]
