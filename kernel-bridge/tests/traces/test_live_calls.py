"""Calls streamed over the comm while they happen: the `calls` message, the session's hook, a real kernel."""

from __future__ import annotations

import sys
import textwrap
import time
from pathlib import Path

import pytest

import spyglass as sg
from spyglass.base.protocol_constants import TRACES_MIME_TYPE
from spyglass.errors import ProtocolError
from spyglass.store.arrow_codec import decode_payload
from spyglass.store.framed_log import read_framed_log
from spyglass.traces import live_calls
from spyglass.traces.trace_display import traces_view
from spyglass.transport.protocol import calls_messages, parse_message


def test_calls_messages_pack_whole_frames_under_the_bound_and_count_the_ones_too_large():
    payloads = [b"a" * 40, b"b" * 50, b"c" * 200, b"d" * 30]
    messages = calls_messages("proj", "s1", "/store", payloads, max_buffer_bytes=100)
    assert [[len(b) for b in buffers] for _, buffers in messages] == [[40, 50], [30]]
    assert [m["unsent_frames"] for m, _ in messages] == [0, 1]
    for message, buffers in messages:
        assert message["kind"] == "calls" and message["project"] == "proj" and message["session_id"] == "s1"
        assert [f["total_bytes"] for f in message["frames"]] == [len(b) for b in buffers]
        assert parse_message(message, len(buffers)) == message


def test_a_calls_message_whose_frames_and_buffers_disagree_is_refused():
    message, buffers = calls_messages("proj", "s1", "/store", [b"x" * 10])[0]
    with pytest.raises(ProtocolError, match="names 1 frames but carries 0 buffers"):
        parse_message(message, 0)
    with pytest.raises(ProtocolError, match="total_bytes"):
        parse_message({**message, "frames": [{"total_bytes": "10"}]}, 1)


class FakeTransport:
    active = True

    def __init__(self):
        self.published: list[tuple[str, str, str, list[bytes]]] = []

    def publish_calls(self, project, session_id, store_root, payloads):
        self.published.append((project, session_id, store_root, payloads))


def test_the_session_publishes_each_stored_frame_after_it_is_durable(store, monkeypatch):
    fake = FakeTransport()
    monkeypatch.setattr(live_calls, "get_transport", lambda: fake)
    session = sg.init_traces("live", dir=store)
    try:

        @sg.op
        def add(a, b):
            return a + b

        add(1, 2)
        session.flush()
        add(3, 4)
        session.flush()
        stored = [frame.payload for frame in read_framed_log(session.path / "calls.sglog").frames]
        sent = [payload for *_, payloads in fake.published for payload in payloads]
        assert sent == stored and len(sent) == 2  # the very bytes of the log, in order
        project, session_id, root, _ = fake.published[0]
        assert (project, session_id, Path(root)) == ("live", session.id, Path(store))
        outputs = [decode_payload(p).column("output").to_pylist() for p in sent]
        assert outputs == [["3"], ["7"]]
    finally:
        sg.finish_traces()


def test_outside_a_kernel_the_publisher_is_a_no_op(store):
    session = sg.init_traces("quiet", dir=store)
    try:
        assert session._publish is live_calls._ignore
    finally:
        sg.finish_traces()


def test_display_traces_names_the_project_and_store_of_the_session_calls_go_to(store):
    with pytest.raises(ValueError, match="display_traces\\('my-project'\\)"):
        traces_view()
    session = sg.init_traces("shown", dir=store)
    try:
        bundle = traces_view()._repr_mimebundle_()
        data = bundle[TRACES_MIME_TYPE]
        assert data["project"] == "shown" and Path(data["store_root"]) == Path(store)
        assert data["protocol"]["major"] == 1
        assert "shown" in bundle["text/plain"]
        assert session._repr_mimebundle_() == bundle  # sg.init_traces(...) as a cell's value shows the panel
        assert traces_view("other", dir=store)._repr_mimebundle_()[TRACES_MIME_TYPE]["project"] == "other"
    finally:
        sg.finish_traces()


@pytest.fixture(scope="module")
def kernel(tmp_path_factory):
    from jupyter_client.manager import KernelManager

    workdir = tmp_path_factory.mktemp("kernel")
    manager = KernelManager(kernel_name="python3")
    manager.kernel_spec.argv[0] = sys.executable
    manager.start_kernel(cwd=str(workdir))
    client = manager.client()
    client.start_channels()
    client.wait_for_ready(timeout=60)
    yield client, workdir
    client.stop_channels()
    manager.shutdown_kernel(now=True)


def test_a_traced_loop_in_a_real_kernel_streams_its_calls_while_they_run(kernel):
    from test_kernel_comm import collect_iopub

    client, workdir = kernel
    code = textwrap.dedent(
        """
        import time
        import spyglass as sg
        sg.init_traces("agent", dir="store")

        @sg.op
        def tool(i):
            time.sleep(0.3)
            return i * 2

        @sg.op
        def agent(n):
            return [tool(i) for i in range(n)]

        agent(4)
        sg.finish_traces()
        """
    )
    started = time.monotonic()
    messages = collect_iopub(client, client.execute(code))
    comm_msgs = [
        m for m in messages if m["msg_type"] == "comm_msg" and m["content"]["data"]["kind"] == "calls"
    ]
    assert comm_msgs, "no calls message"
    rows = []
    for msg in comm_msgs:
        data = msg["content"]["data"]
        assert data["project"] == "agent" and Path(data["store_root"]) == workdir / "store"
        for frame, buffer in zip(data["frames"], msg["buffers"], strict=True):
            assert frame["total_bytes"] == len(buffer)
            batch = decode_payload(bytes(buffer))
            arrival = msg["received_at"] - started
            rows += [(arrival, row["op_name"], row["status"]) for row in batch.to_pylist()]
    agent_rows = [(t, status) for t, op, status in rows if op == "agent"]
    # The agent's "running" row arrives while it runs (before its tools end), its end row last.
    assert agent_rows[0][1] == "running" and agent_rows[-1][1] == "success"
    tool_ends = sorted(t for t, op, status in rows if op == "tool" and status == "success")
    assert len(tool_ends) == 4 and tool_ends[-1] - tool_ends[0] > 0.5, "tools should arrive as they end"
    assert agent_rows[0][0] < tool_ends[-1]
    session_dir = next((workdir / "store" / "agent" / ".traces").iterdir())
    stored = [f.payload for f in read_framed_log(session_dir / "calls.sglog").frames]
    sent = [bytes(b) for m in comm_msgs for b in m["buffers"]]
    assert sent == stored
