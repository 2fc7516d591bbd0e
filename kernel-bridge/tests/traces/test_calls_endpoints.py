"""The trace panel's endpoints (/calls, /calls/trace) over a real traced store, through a real server."""

from __future__ import annotations

import json
import time

import pytest
from server_harness import http, jupyter_server

import spyglass as sg
from spyglass.server.calls_index import project_calls
from spyglass.server.calls_query import CallsQueryError, list_roots, trace_json
from spyglass.traces import current_call

XSS = '<img src=x onerror="window.__xss=1">'
HUGE = "x" * 50_000  # under the 65,536 characters stored by reference: inline in the row


def _agent_store(root):
    """Three root calls: an agent loop (tool and llm children, usage and cost), a failure, a huge output."""
    sg.init_traces("bot", dir=root)

    @sg.op
    def llm(messages):
        current_call().usage = {"input_tokens": 10, "output_tokens": 4}
        current_call().cost = 0.25
        return {"role": "assistant", "content": XSS, "tool_calls": [{"name": "search", "arguments": XSS}]}

    @sg.op
    def search(query):
        return [f"result for {query}"]

    @sg.op
    def agent(question):
        messages = [{"role": "user", "content": question}]
        for _ in range(2):
            reply = llm(messages)
            messages.append(reply)
            messages.append({"role": "tool", "content": search(reply["tool_calls"][0]["arguments"])})
        return messages

    @sg.op
    def broken(x):
        raise ValueError("bad input " + "y" * 1000)

    @sg.op
    def verbose():
        return {"text": HUGE, "items": list(range(5))}

    agent("why is the sky blue?")
    time.sleep(0.002)
    with pytest.raises(ValueError):
        broken(1)
    time.sleep(0.002)
    verbose()
    sg.finish_traces()


@pytest.fixture(scope="module")
def root(tmp_path_factory):
    root = tmp_path_factory.mktemp("store")
    _agent_store(root)
    return root


def test_roots_newest_first_with_trace_totals(root):
    page = list_roots(project_calls(root, "bot"))
    assert page["total"] == 3
    assert [call["op_name"] for call in page["calls"]] == ["verbose", "broken", "agent"]
    agent = page["calls"][2]
    assert agent["call_count"] == 5  # agent, 2 llm, 2 search
    assert (agent["input_tokens"], agent["output_tokens"], agent["total_tokens"]) == (20, 8, 28)
    assert agent["cost"] == pytest.approx(0.5)
    assert agent["status"] == "success" and agent["latency"] > 0
    broken = page["calls"][1]
    assert broken["status"] == "error" and broken["exception"].startswith("ValueError: bad input")
    assert len(broken["exception"]) < 400  # a summary; the tree has it whole
    assert broken["total_tokens"] is None and broken["cost"] is None


def test_filters_and_pages(root):
    calls = project_calls(root, "bot")
    assert [c["op_name"] for c in list_roots(calls, status="error")["calls"]] == ["broken"]
    assert [c["op_name"] for c in list_roots(calls, op_name="agent")["calls"]] == ["agent"]
    # Text searches the op, exception, inputs and output, case-insensitively.
    assert [c["op_name"] for c in list_roots(calls, text="SKY BLUE")["calls"]] == ["agent"]
    assert [c["op_name"] for c in list_roots(calls, text="bad input")["calls"]] == ["broken"]
    assert list_roots(calls, text="nowhere to be found")["total"] == 0
    second = list_roots(calls, offset=1, limit=1)
    assert second["total"] == 3 and [c["op_name"] for c in second["calls"]] == ["broken"]
    with pytest.raises(CallsQueryError, match="status must be one of"):
        list_roots(calls, status="done")
    with pytest.raises(CallsQueryError, match="limit in 1..1000"):
        list_roots(calls, limit=0)


def test_a_trace_has_every_call_and_huge_values_are_cut_with_a_flag(root):
    calls = project_calls(root, "bot")
    agent = list_roots(calls, op_name="agent")["calls"][0]
    tree = json.loads(trace_json(calls, agent["trace_id"]))
    ops = [call["op_name"] for call in tree["calls"]]
    assert ops == ["agent", "llm", "search", "llm", "search"]
    assert all(call["parent_id"] == agent["id"] for call in tree["calls"][1:])
    llm = tree["calls"][1]
    assert json.loads(llm["output_json"])["content"] == XSS
    assert json.loads(llm["usage_json"]) == {"input_tokens": 10, "output_tokens": 4}
    assert llm["output_truncated"] is False and tree["calls_truncated"] is False

    verbose = list_roots(calls, op_name="verbose")["calls"][0]
    [call] = json.loads(trace_json(calls, verbose["trace_id"], value_limit=10_000))["calls"]
    assert call["output_truncated"] is True and call["output_size"] > 50_000
    output = json.loads(call["output_json"])
    assert output["items"] == [0, 1, 2, 3, 4]  # the shape survives, the long string is cut
    assert len(output["text"]) < 2_000 and "more characters" in output["text"]
    assert call["inputs_truncated"] is False and json.loads(call["inputs_json"]) == {}
    # The stored value is whole.
    [stored] = sg.Api(dir=root).calls("bot", filters={"op_name": "verbose"})
    assert stored.output["text"] == HUGE
    assert trace_json(calls, "0" * 32) is None
    with pytest.raises(CallsQueryError, match="value_limit"):
        trace_json(calls, verbose["trace_id"], value_limit=5)


def test_an_open_session_is_read_again_when_it_grows(tmp_path):
    session = sg.init_traces("live", dir=tmp_path)

    @sg.op
    def step(i):
        return i

    step(1)
    session.flush()
    assert list_roots(project_calls(tmp_path, "live"))["total"] == 1
    first = project_calls(tmp_path, "live")
    assert project_calls(tmp_path, "live") is first  # nothing changed: nothing read again
    step(2)
    session.flush()
    assert list_roots(project_calls(tmp_path, "live"))["total"] == 2
    sg.finish_traces()
    assert list_roots(project_calls(tmp_path, "live"))["total"] == 2


def test_a_project_without_traces_lists_nothing(tmp_path):
    assert list_roots(project_calls(tmp_path, "nothing")) == {"total": 0, "offset": 0, "calls": []}


@pytest.fixture(scope="module")
def server(root, tmp_path_factory):
    with jupyter_server(root, tmp_path_factory.mktemp("jupyter")) as url:
        yield url


def test_the_endpoints_answer_over_http(server, root):
    status, headers, body = http(server, "/spyglass/api/v1/calls", store_root=str(root), project="bot")
    assert status == 200 and headers["Cache-Control"] == "no-store"
    listing = json.loads(body)
    assert listing["total"] == 3 and listing["op_names"] == ["agent", "broken", "verbose"]
    agent = next(call for call in listing["calls"] if call["op_name"] == "agent")
    status, _, body = http(
        server, "/spyglass/api/v1/calls", store_root=str(root), project="bot", status="error", q="bad"
    )
    assert status == 200 and [c["op_name"] for c in json.loads(body)["calls"]] == ["broken"]
    query = {"store_root": str(root), "project": "bot", "trace_id": agent["trace_id"]}
    status, _, body = http(server, "/spyglass/api/v1/calls/trace", **query)
    assert status == 200 and len(json.loads(body)["calls"]) == 5


@pytest.mark.parametrize(
    ("endpoint", "params", "status", "message"),
    [
        ("calls", {"status": "done"}, 400, "status must be one of"),
        ("calls", {"limit": "many"}, 400, "limit must be an integer"),
        ("calls", {"project": "../etc"}, 400, "project"),
        ("calls/trace", {}, 400, "missing query parameter 'trace_id'"),
        ("calls/trace", {"trace_id": "nope"}, 404, "no trace 'nope'"),
        ("calls/trace", {"trace_id": "x", "value_limit": "1"}, 400, "value_limit"),
    ],
)
def test_bad_requests_say_what_is_wrong(server, root, endpoint, params, status, message):
    query = {"store_root": str(root), "project": "bot", **params}
    got, _, body = http(server, f"/spyglass/api/v1/{endpoint}", **query)
    assert got == status and message in json.loads(body)["error"]


def test_a_store_outside_the_roots_is_refused(server, tmp_path):
    status, _, body = http(server, "/spyglass/api/v1/calls", store_root=str(tmp_path), project="bot")
    assert status == 403 and "error" in json.loads(body)
