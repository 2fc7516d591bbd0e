"""Crash detection: a "running" run is shown as crashed once its heartbeat is stale or its process is gone."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time

import psutil
import pytest

from spyglass.store.run_state import STALE_AFTER, effective_state, process_alive

NOW = 1_800_000_000.0
HERE = socket.gethostname()


def meta(**fields):
    return {"state": "running", "host": HERE, "pid": os.getpid(), "created_at": NOW - 600, **fields}


@pytest.fixture
def dead_pid():
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def test_a_running_run_with_a_fresh_heartbeat_and_a_live_process_is_running():
    assert effective_state(meta(heartbeat_at=NOW - 3), now=NOW) == "running"


def test_a_heartbeat_exactly_stale_after_seconds_old_is_still_fresh():
    assert effective_state(meta(heartbeat_at=NOW - STALE_AFTER), now=NOW) == "running"


def test_a_stale_heartbeat_means_crashed():
    assert effective_state(meta(heartbeat_at=NOW - STALE_AFTER - 1), now=NOW) == "crashed"


def test_a_dead_process_on_this_host_means_crashed_even_with_a_fresh_heartbeat(dead_pid):
    assert effective_state(meta(heartbeat_at=NOW, pid=dead_pid), now=NOW) == "crashed"


def test_an_exited_but_unreaped_process_counts_as_dead():
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    try:
        deadline = time.monotonic() + 5
        while psutil.Process(child.pid).status() != psutil.STATUS_ZOMBIE:
            assert time.monotonic() < deadline
            time.sleep(0.01)
        assert not process_alive(child.pid)
    finally:
        child.wait()


def test_on_another_host_only_the_heartbeat_counts(dead_pid):
    other = meta(host="some-other-machine", pid=dead_pid)
    assert effective_state({**other, "heartbeat_at": NOW - 5}, now=NOW) == "running"
    assert effective_state({**other, "heartbeat_at": NOW - 60}, now=NOW) == "crashed"


@pytest.mark.parametrize("state", ["finished", "failed", "crashed", "preempting"])
def test_other_states_are_returned_unchanged(state, dead_pid):
    assert effective_state(meta(state=state, heartbeat_at=NOW - 3600, pid=dead_pid), now=NOW) == state


def test_older_run_json_without_heartbeat_falls_back_to_updated_at_then_created_at():
    assert effective_state(meta(updated_at=NOW - 10), now=NOW) == "running"
    assert effective_state(meta(updated_at=NOW - 100), now=NOW) == "crashed"
    assert effective_state(meta(created_at=NOW - 10), now=NOW) == "running"
    assert effective_state(meta(created_at=NOW - 100), now=NOW) == "crashed"


def test_no_timestamp_at_all_means_crashed():
    assert effective_state({"state": "running", "host": HERE, "pid": os.getpid()}, now=NOW) == "crashed"


def test_a_heartbeat_from_the_future_counts_as_fresh():
    # Clock skew between machines writing to shared storage must not make a live run look crashed.
    assert effective_state(meta(host="other", heartbeat_at=NOW + 120), now=NOW) == "running"


def test_a_missing_or_unusable_pid_leaves_the_decision_to_the_heartbeat():
    assert effective_state(meta(pid=None, heartbeat_at=NOW), now=NOW) == "running"
    assert effective_state(meta(pid="123", heartbeat_at=NOW), now=NOW) == "running"


def test_a_missing_state_is_read_as_running():
    fields = meta(heartbeat_at=NOW)
    del fields["state"]
    assert effective_state(fields, now=NOW) == "running"


def test_now_defaults_to_the_current_time():
    assert effective_state(meta(heartbeat_at=time.time())) == "running"
    assert effective_state(meta(heartbeat_at=time.time() - STALE_AFTER - 5)) == "crashed"
