"""Traces on an s3:// store ship to the bucket like a run's segments and are read by sg.Api().calls() on
another machine (another process with its own local root and host name), against the real S3 server: a
live session is seen from its segments within the interval, a closed one from its calls.parquet; an outage
while calls are made loses nothing and ships nothing twice."""

from __future__ import annotations

import json
import warnings

from s3_machines import machine, read_line, start_script, wait_for
from s3_writers import sync

import spyglass as sg
from spyglass.base.errors import ProjectNotFoundError
from spyglass.store.bucket import Bucket
from spyglass.store.segment_shipper import ShippingWarning
from spyglass.store.store_url import local_root, parse_store_url

# Machine B: traced calls into the bucket store; says when its first calls are durable, waits for a line on
# stdin, makes more calls, and exits (closing the session: calls.parquet).
TRACER = r"""
import json, sys
import spyglass as sg
url = sys.argv[1]

@sg.op
def answer(question: str, blob: bytes) -> str:
    return helper(question).upper()

@sg.op
def helper(text: str) -> str:
    return "echo " + text

session = sg.init_traces("p", dir=url)
for n in range(3):
    answer(f"q{n}", b"\x00" * 50_000)
session.flush()
print(json.dumps({"session": session.id}), flush=True)
sys.stdin.readline()
answer("last", b"")
"""


def _ops(url: str) -> list[tuple[str, str]]:
    try:
        calls = sg.Api(dir=url).calls("p")
    except ProjectNotFoundError:  # machine B's first session.json not shipped yet: no project "p" here yet
        return []
    return sorted((call.op_name.rsplit(".", 1)[-1], call.status) for call in calls)


def test_a_session_on_machine_b_is_read_live_then_whole_on_machine_a(
    s3_store, s3_server, tmp_path, monkeypatch
):
    env = machine(tmp_path, s3_server.process_env("writer"), "machine-b", SPYGLASS_SEGMENT_INTERVAL="1")
    tracer = start_script("machine-b", env, TRACER, s3_store)
    try:
        session = read_line(tracer)["session"]
        monkeypatch.setenv("SPYGLASS_CACHE_DIR", str(tmp_path / "machine-a"))
        for name, value in s3_server.env("viewer").items():  # a teammate who only reads
            monkeypatch.setenv(name, value)
        # Live: its segments (the session is still open), within the interval plus a pass.
        wait_for(lambda: len(_ops(s3_store)) == 6, 30, "machine B's six calls, read on machine A")
        assert _ops(s3_store) == [("answer", "success")] * 3 + [("helper", "success")] * 3
        tracer.stdin.write("go\n")
        tracer.stdin.flush()
        out, err = tracer.communicate(timeout=120)
        assert tracer.returncode == 0, err[-3000:]
    finally:
        tracer.kill()
    calls = sg.Api(dir=s3_store).calls("p")
    assert len(calls) == 8 and {call.session_id for call in calls} == {session}
    last = next(call for call in calls if call.inputs.get("question") == "last")
    assert last.output == "ECHO LAST"
    mirrored = local_root(parse_store_url(s3_store)) / "p" / ".traces" / session
    assert (mirrored / "calls.parquet").is_file()  # the closed session, whole, from its Parquet
    assert json.loads((mirrored / "session.json").read_text())["state"] == "finished"
    assert not (mirrored / ".spool.json").exists()  # a mirror, not a spool
    blob = next(call for call in calls if call.inputs.get("question") == "q0").inputs["blob"]
    if isinstance(blob, dict) and blob.get("path"):  # a value stored by reference: its object came too
        assert (mirrored / blob["path"]).is_file()
    bucket = Bucket.for_url(parse_store_url(s3_store))
    keys = [info.key for info in bucket.list(f"p/.traces/{session}/")]
    assert any("/segments/calls/" in key for key in keys) and f"p/.traces/{session}/calls.parquet" in keys


@sg.op
def traced(n: int) -> int:
    return n * n


def test_calls_made_while_the_bucket_is_down_ship_when_it_returns(s3_store, s3_server, tmp_path, monkeypatch):
    monkeypatch.setenv("SPYGLASS_SEGMENT_INTERVAL", "0.5")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        session = sg.init_traces("p", dir=s3_store)
        for n in range(5):
            traced(n)
        session.flush()
        bucket = Bucket.for_url(parse_store_url(s3_store))
        prefix = f"p/.traces/{session.id}/segments/calls/"
        wait_for(lambda: list(bucket.list(prefix)), 20, "the first calls shipped")
        s3_server.stop()
        try:
            for n in range(5, 20):
                traced(n)  # calls go on, durable locally
            session.flush()
            wait_for(
                lambda: any(issubclass(w.category, ShippingWarning) for w in caught), 20, "the outage noticed"
            )
        finally:
            s3_server.start()
        sg.finish_traces()  # ships the backlog, calls.parquet and the final session.json
    outage = [str(w.message) for w in caught if issubclass(w.category, ShippingWarning)]
    assert len(outage) == 1 and "could not ship calls" in outage[0] and "local spool" in outage[0]
    assert s3_server.identities["writer"].secret_key not in outage[0]
    # The segments, concatenated, are the writer's log byte for byte (nothing shipped twice or skipped).
    shipped = b"".join(bucket.get(info.key) for info in bucket.list(prefix))
    assert shipped == (session.path / "calls.sglog").read_bytes()
    # Machine A (another local root) reads all 20, each once.
    monkeypatch.setenv("SPYGLASS_CACHE_DIR", str(tmp_path / "machine-a"))
    calls = sg.Api(dir=s3_store).calls("p")
    assert sorted(call.inputs["n"] for call in calls) == list(range(20))
    assert all(call.status == "success" for call in calls)


# A writer killed with kill -9 after its calls are durable but before its shipper's next pass.
KILLED = r"""
import json, sys, time
import spyglass as sg

@sg.op
def step(n: int) -> int:
    return n + 1

session = sg.init_traces("p", dir=sys.argv[1])
for n in range(7):
    step(n)
session.flush()
print(json.dumps({"session": session.id}), flush=True)
time.sleep(3600)
"""


def test_a_killed_writers_session_ships_with_spyglass_sync(s3_store, s3_server, tmp_path, monkeypatch):
    env = machine(tmp_path, s3_server.process_env("writer"), "machine-b", SPYGLASS_SEGMENT_INTERVAL="3600")
    writer = start_script("machine-b", env, KILLED, s3_store)
    try:
        session = read_line(writer)["session"]
    finally:
        writer.kill()  # SIGKILL: no atexit, the session stays open and unshipped
        writer.wait(30)
    done = sync(s3_store, env)
    assert done.returncode == 0, done.stderr[-3000:]
    assert session in done.stdout and "shipped" in done.stdout
    monkeypatch.setenv("SPYGLASS_CACHE_DIR", str(tmp_path / "machine-a"))
    calls = sg.Api(dir=s3_store).calls("p")
    assert sorted(call.inputs["n"] for call in calls) == list(range(7))
    again = sync(s3_store, env)  # nothing left: the spool marker is gone
    assert again.returncode == 0 and session not in again.stdout
