"""With SPYGLASS_DIR=s3://... the Jupyter server shows a bucket project's traces in its trace panel: /calls
and /calls/trace pull the sessions another machine shipped (live segments, then the closed session's Parquet)
before answering, with a read-only viewer's keys, as sg.Api().calls() does."""

from __future__ import annotations

import json
import time

from s3_machines import machine, read_line, start_script
from server_harness import http, jupyter_server

from spyglass.store.store_url import local_root, parse_store_url

# Machine B: an agent-like call tree into the bucket; its first calls are durable, then it waits for a line on
# stdin, makes one more and exits (the session closes: calls.parquet).
TRACER = r"""
import json, sys
import spyglass as sg

@sg.op
def agent(question: str) -> str:
    return tool(question) + "!"

@sg.op
def tool(text: str) -> str:
    return text.upper()

session = sg.init_traces("p", dir=sys.argv[1])
agent("first")
session.flush()
print(json.dumps({"session": session.id}), flush=True)
sys.stdin.readline()
agent("second")
"""


def _roots(url: str, store_root: str) -> list[dict]:
    status, _, body = http(url, "/spyglass/api/v1/calls", store_root=store_root, project="p")
    assert status == 200, body[:300]
    return json.loads(body)["calls"]


def _wait_roots(url: str, store_root: str, count: int, timeout: float) -> list[dict]:
    deadline = time.monotonic() + timeout
    roots = _roots(url, store_root)
    while len(roots) < count and time.monotonic() < deadline:
        time.sleep(0.5)
        roots = _roots(url, store_root)
    assert len(roots) == count, roots
    return roots


def test_the_trace_panel_lists_a_bucket_projects_calls_live_then_closed(
    s3_store, s3_server, tmp_path, monkeypatch
):
    env = machine(tmp_path, s3_server.process_env("writer"), "machine-b", SPYGLASS_SEGMENT_INTERVAL="1")
    tracer = start_script("machine-b", env, TRACER, s3_store)
    monkeypatch.setenv("SPYGLASS_CACHE_DIR", str(tmp_path / "machine-a"))
    for name, value in s3_server.env("viewer").items():  # a teammate who only reads
        monkeypatch.setenv(name, value)
    store_root = str(local_root(parse_store_url(s3_store)).resolve())
    (tmp_path / "root").mkdir()
    try:
        session = read_line(tracer)["session"]
        with jupyter_server(tmp_path / "root", tmp_path / "jupyter", store=s3_store) as url:
            roots = _wait_roots(url, store_root, 1, 30)  # live: from the session's shipped segments
            assert roots[0]["op_name"].endswith("agent") and roots[0]["status"] == "success"
            status, _, body = http(
                url, "/spyglass/api/v1/calls/trace", store_root=store_root, project="p",
                trace_id=roots[0]["trace_id"],
            )  # fmt: skip
            assert status == 200, body[:300]
            tree = json.loads(body)["calls"]
            assert sorted(call["op_name"].rsplit(".", 1)[-1] for call in tree) == ["agent", "tool"]
            tracer.stdin.write("go\n")
            tracer.stdin.flush()
            _, err = tracer.communicate(timeout=120)
            assert tracer.returncode == 0, err[-3000:]
            roots = _wait_roots(url, store_root, 2, 30)  # closed: the second call, from its Parquet
            assert {root["session_id"] for root in roots} == {session}
    finally:
        tracer.kill()
    mirrored = local_root(parse_store_url(s3_store)) / "p" / ".traces" / session
    assert (mirrored / "calls.parquet").is_file()
