"""Calls in the store: the framed log while a session is open, Parquet once closed, read through the API."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
import threading

import duckdb
import pyarrow.parquet as pq
import pytest
from conftest import read_calls

import spyglass as sg
from spyglass.base.errors import ProjectNotFoundError
from spyglass.store.run_store import read_log_table
from spyglass.traces.call_rows import CALL_SCHEMA


@sg.op
def square(x):
    return x * x


@sg.op
def total(values):
    return sum(square(value) for value in values)


def test_open_session_log_then_parquet_at_close_readable_by_duckdb(store):
    session = sg.init_traces("proj", dir=store)
    total([1, 2, 3])
    session.flush()
    meta = json.loads((session.path / "session.json").read_text())
    assert (meta["state"], meta["project"], meta["run_id"]) == ("running", "proj", None)
    logged = read_log_table(session.path / "calls.sglog")
    assert logged.num_rows == 4 and logged.schema.equals(CALL_SCHEMA)
    assert not (session.path / "calls.parquet").exists()
    sg.finish_traces()
    meta = json.loads((session.path / "session.json").read_text())
    assert meta["state"] == "finished" and meta["finished_at"] >= meta["created_at"]
    parquet = pq.read_table(session.path / "calls.parquet")
    assert parquet.num_rows == 4 and parquet.schema.equals(CALL_SCHEMA, check_metadata=False)
    pattern = str(store / "proj" / ".traces" / "*" / "calls.parquet")
    rows = duckdb.sql(
        f"select op_name, json_extract(inputs, '$.x')::int as x, output::int as y from '{pattern}' "
        "where parent_id is not null order by x"
    ).fetchall()
    assert rows == [("square", 1, 1), ("square", 2, 4), ("square", 3, 9)]
    assert [call.op_name for call in read_calls(store)] == ["total", "square", "square", "square"]


def test_a_call_outliving_a_flush_reads_as_running_then_as_its_end(traced_store):
    root, session = traced_store
    release = threading.Event()

    @sg.op
    def waits():
        release.wait(10)
        return "released"

    thread = threading.Thread(target=waits)
    thread.start()
    try:
        while not session.open_calls:
            release.wait(0.01)
        (running,) = read_calls(root)
        assert (running.status, running.ended_at, running.output) == ("running", None, None)
        assert running.latency is None
    finally:
        release.set()
        thread.join()
    (ended,) = read_calls(root)
    assert (ended.id, ended.status, ended.output) == (running.id, "success", "released")
    assert ended.latency >= 0
    statuses = read_log_table(session.path / "calls.sglog").column("status").to_pylist()
    assert statuses == ["running", "success"]  # two rows in the log, one call read back


def test_calls_still_open_when_the_session_closes_are_unfinished(store):
    session = sg.init_traces("proj", dir=store)

    @sg.op
    def closes_its_session():
        session.close()
        return "after close"

    assert closes_its_session() == "after close"
    (call,) = read_calls(store)
    assert call.status == "unfinished" and call.ended_at is None
    sg.finish_traces()


def test_filters_select_calls_by_their_fields(traced_store):
    root, _ = traced_store
    total([1, 2])
    with pytest.raises(TypeError):
        square("text")
    square(7)
    first_square = read_calls(root, op_name="square")[0]
    assert [call.op_name for call in read_calls(root, parent_id=None)] == ["total", "square", "square"]
    assert [call.inputs["x"] for call in read_calls(root, op_name="square", status="success")] == [1, 2, 7]
    assert [call.exception for call in read_calls(root, status="error")] == [
        "TypeError: can't multiply sequence by non-int of type 'str'"
    ]
    assert [call.output for call in read_calls(root, **{"inputs.x": {"$gte": 2}})] == [4, 49]
    assert [call.id for call in read_calls(root, id=first_square.id)] == [first_square.id]
    assert len(read_calls(root, latency={"$gte": 0})) == 5  # every ended call, the failed one too
    frame = sg.Api(dir=root).calls("proj", filters={"op_name": "total"}).to_pandas()
    assert frame["inputs"].tolist() == [{"values": [1, 2]}] and frame["output"].tolist() == [5]
    assert frame["feedback"].tolist() == [[]]


def test_every_session_of_a_project_is_read(store):
    first = sg.init_traces("proj", dir=store)
    square(1)
    sg.finish_traces()
    second = sg.init_traces("proj", dir=store)
    square(2)
    try:
        calls = read_calls(store)
    finally:
        sg.finish_traces()
    assert [(call.session_id, call.output) for call in calls] == [(first.id, 1), (second.id, 4)]


def test_unknown_project_raises_and_a_project_without_traces_has_no_calls(store):
    with pytest.raises(ProjectNotFoundError, match="nope"):
        sg.Api(dir=store).calls("nope")
    run = sg.init(project="plain", dir=store)
    run.finish()
    assert len(sg.Api(dir=store).calls("plain")) == 0


def test_a_torn_tail_loses_only_the_cut_frame(traced_store):
    root, session = traced_store
    square(1)
    session.flush()
    square(2)
    session.flush()
    log = session.path / "calls.sglog"
    data = log.read_bytes()
    sg.finish_traces()
    (session.path / "calls.parquet").unlink()
    meta = json.loads((session.path / "session.json").read_text())
    (session.path / "session.json").write_text(json.dumps({**meta, "state": "running"}))
    log.write_bytes(data[:-10])  # the second frame cut, as a crash mid-write leaves it
    assert [call.output for call in read_calls(root)] == [1]


def test_kill_9_keeps_every_call_ended_before_the_last_flush(store):
    script = textwrap.dedent(
        f"""
        import os, signal, time
        import spyglass as sg
        sg.init_traces("proj", dir={str(store)!r})
        @sg.op
        def step(i):
            return i + 1
        for i in range(100):
            step(i)
        time.sleep(0.8)  # more than the 0.25 s flush interval
        os.kill(os.getpid(), signal.SIGKILL)
        """
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, timeout=120)
    assert done.returncode == -9, done.stderr
    calls = read_calls(store)
    assert [call.output for call in calls] == list(range(1, 101))
    assert {call.status for call in calls} == {"success"}
    assert not any(path.name == "calls.parquet" for path in (store / "proj" / ".traces").rglob("*"))
    assert os.path.exists(store / "proj" / ".traces")


@pytest.mark.skipif(not hasattr(os, "fork"), reason="fork() is POSIX only")
def test_a_forked_child_traces_into_its_own_session_never_the_parents(traced_store):
    root, parent_session = traced_store
    square(2)
    parent_session.flush()
    pid = os.fork()
    if pid == 0:  # the child: trace, close its own session, leave without the parent's atexit
        code = 0
        try:
            square(3)
            sg.finish_traces()
        except BaseException:
            code = 1
        os._exit(code)
    _, status = os.waitpid(pid, 0)
    assert os.waitstatus_to_exitcode(status) == 0
    square(4)
    calls = read_calls(root)
    assert sorted(call.output for call in calls) == [4, 9, 16]
    child = next(call for call in calls if call.output == 9)
    assert child.session_id != parent_session.id
    parent_rows = read_log_table(parent_session.path / "calls.sglog").column("output").to_pylist()
    assert parent_rows == ["4", "16"]  # the parent's log holds only the parent's calls, in order
