"""Through a real ipykernel: the run opens a `spyglass` comm, streams its rows as Arrow frames at a few
messages a second, and answers replay requests from the store."""

from __future__ import annotations

import queue
import sys
import textwrap
import time

import pytest
from jupyter_client.manager import KernelManager

from spyglass.store.arrow_codec import decode_payload
from spyglass.store.framed_log import read_framed_log
from spyglass.transport.protocol import MAX_MESSAGE_BYTES, RUN_MIME_TYPE, hello_message, replay_message

ROWS = 500


@pytest.fixture(scope="module")
def kernel(tmp_path_factory):
    workdir = tmp_path_factory.mktemp("kernel")
    manager = KernelManager(kernel_name="python3")
    manager.kernel_spec.argv[0] = sys.executable  # the venv's python, with spyglass installed
    manager.start_kernel(cwd=str(workdir))
    client = manager.client()
    client.start_channels()
    client.wait_for_ready(timeout=60)
    yield client
    client.stop_channels()
    manager.shutdown_kernel(now=True)


def collect_iopub(client, until_idle_of: str, quiet: float = 1.5, timeout: float = 60) -> list[dict]:
    """IOPub messages until the request is idle and then `quiet` seconds pass with no comm message."""
    messages, idle, last = [], False, time.monotonic()
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            msg = client.get_iopub_msg(timeout=0.2)
        except queue.Empty:
            if idle and time.monotonic() - last > quiet:
                return messages
            continue
        msg["received_at"] = time.monotonic()
        messages.append(msg)
        if msg["msg_type"].startswith("comm"):
            last = time.monotonic()
        if msg["msg_type"] == "error":
            raise AssertionError("\n".join(msg["content"]["traceback"]))
        is_ours = msg["parent_header"].get("msg_id") == until_idle_of
        if is_ours and msg["msg_type"] == "status" and msg["content"]["execution_state"] == "idle":
            idle, last = True, time.monotonic()
    raise AssertionError("the kernel did not finish in time")


def frames_of(comm_msgs, reply_to=None, stream="history") -> dict[int, bytes]:
    """Reassemble one stream's frame payloads by seq from frames messages (chunks joined by offset)."""
    parts: dict[int, list[tuple[int, bytes, int]]] = {}
    for msg in comm_msgs:
        data = msg["content"]["data"]
        if data.get("kind") != "frames" or data["reply_to"] != reply_to:
            continue
        for chunk, buffer in zip(data["chunks"], msg["buffers"], strict=True):
            if chunk.get("stream", "history") != stream:
                continue
            parts.setdefault(chunk["seq"], []).append((chunk["offset"], bytes(buffer), chunk["total_bytes"]))
    payloads = {}
    for seq, pieces in parts.items():
        payload = b"".join(b for _, b, _ in sorted(pieces))
        assert len(payload) == pieces[0][2]
        payloads[seq] = payload
    return payloads


def test_a_run_in_a_real_kernel_streams_every_row_and_replays_from_the_store(kernel):
    code = textwrap.dedent(
        f"""
        import time
        import spyglass as sg
        run = sg.init(project="kernel", id="streamed")
        for i in range({ROWS}):
            run.log({{"i": i, "loss": 1 / (i + 1)}})
            time.sleep(0.004)
        run.finish()
        """
    )
    messages = collect_iopub(kernel, kernel.execute(code))
    opens = [m for m in messages if m["msg_type"] == "comm_open"]
    assert len(opens) == 1 and opens[0]["content"]["target_name"] == "spyglass"
    hello = opens[0]["content"]["data"]
    assert hello["kind"] == "hello" and hello["protocol"] == hello_message()["protocol"]
    assert [r["run_id"] for r in hello["runs"]] == ["streamed"]
    comm_id = opens[0]["content"]["comm_id"]

    comm_msgs = [m for m in messages if m["msg_type"] == "comm_msg" and m["content"]["comm_id"] == comm_id]
    for msg in comm_msgs:
        assert sum(len(b) for b in msg["buffers"]) < MAX_MESSAGE_BYTES
    times = [m["received_at"] for m in comm_msgs]
    busiest = max(sum(1 for t in times if start <= t < start + 1.0) for start in times)
    assert busiest <= 12, f"{busiest} comm messages within one second"
    assert any(m["content"]["data"]["kind"] == "run_updated" for m in comm_msgs)

    live = frames_of(comm_msgs)
    assert sorted(live) == list(range(len(live))) and len(live) >= 3, "rows should stream in several frames"
    steps = [s for seq in sorted(live) for s in decode_payload(live[seq]).column("_step").to_pylist()]
    values = [v for seq in sorted(live) for v in decode_payload(live[seq]).column("i").to_pylist()]
    assert steps == list(range(ROWS)) and values == [float(i) for i in range(ROWS)]

    request = kernel.session.msg(
        "comm_msg", {"comm_id": comm_id, "data": replay_message("r1", "streamed", -1)}
    )
    kernel.shell_channel.send(request)
    replies = collect_iopub(kernel, request["header"]["msg_id"])
    replayed = frames_of([m for m in replies if m["msg_type"] == "comm_msg"], reply_to="r1")
    assert replayed == live


def test_the_kernel_answers_bad_requests_with_an_error_message(kernel):
    code = 'import spyglass.transport.comm_transport as t; print(t.get_transport()._comms[0].comm_id, end="")'
    msg_id = kernel.execute(code)
    messages = collect_iopub(kernel, msg_id, quiet=0.2)
    comm_id = next(m["content"]["text"] for m in messages if m["msg_type"] == "stream")
    for data, code_expected in [
        (replay_message("r2", "nosuchrun", -1), "unknown_run"),
        ({"kind": "replay", "request_id": "r3"}, "bad_message"),
        ({**hello_message(), "protocol": {"major": 99, "minor": 0}}, "protocol_major"),
    ]:
        request = kernel.session.msg("comm_msg", {"comm_id": comm_id, "data": data})
        kernel.shell_channel.send(request)
        replies = collect_iopub(kernel, request["header"]["msg_id"], quiet=0.3)
        errors = [m["content"]["data"] for m in replies if m["msg_type"] == "comm_msg"]
        assert errors and errors[0]["kind"] == "error" and errors[0]["code"] == code_expected, errors
    request = kernel.session.msg("comm_msg", {"comm_id": comm_id, "data": hello_message()})
    kernel.shell_channel.send(request)
    replies = collect_iopub(kernel, request["header"]["msg_id"], quiet=0.3)
    hellos = [m["content"]["data"] for m in replies if m["msg_type"] == "comm_msg"]
    assert hellos and hellos[0]["kind"] == "hello" and hellos[0]["runs"][0]["run_id"] == "streamed"


def test_a_displayed_run_gets_its_static_picture_replaced_by_finish(kernel):
    code = textwrap.dedent(
        """
        import spyglass as sg
        shown = sg.init(project="kernel", id="displayed", reinit="create_new")
        shown
        """
    )
    messages = collect_iopub(kernel, kernel.execute(code), quiet=0.3)
    [shown] = [m for m in messages if m["msg_type"] == "display_data"]
    assert not [m for m in messages if m["msg_type"] == "execute_result"]
    display_id = shown["content"]["transient"]["display_id"]
    assert shown["content"]["data"][RUN_MIME_TYPE]["run_id"] == "displayed"
    assert "No numeric metrics logged yet" in shown["content"]["data"]["image/svg+xml"]

    done = collect_iopub(kernel, kernel.execute('shown.log({"loss": 0.5}); shown.finish()'), quiet=0.3)
    [update] = [m for m in done if m["msg_type"] == "update_display_data"]
    assert update["content"]["transient"]["display_id"] == display_id
    assert 'data-metric="loss"' in update["content"]["data"]["image/svg+xml"]


def test_system_metrics_stream_over_the_comm_as_stream_system_and_replay_per_stream(kernel):
    code = textwrap.dedent(
        """
        import time
        import spyglass as sg
        run = sg.init(project="kernel", id="sampled", reinit="create_new", settings={"system_interval": 0.2})
        for i in range(100):
            run.log({"i": i})
            time.sleep(0.01)
        run.finish()
        print(run.dir, end="")
        """
    )
    messages = collect_iopub(kernel, kernel.execute(code))
    run_dir = next(m["content"]["text"] for m in messages if m["msg_type"] == "stream")
    comm_msgs = [m for m in messages if m["msg_type"] == "comm_msg"]
    comm_id = comm_msgs[0]["content"]["comm_id"]
    ours = [
        m for m in comm_msgs if all(c["run_id"] == "sampled" for c in m["content"]["data"].get("chunks", []))
    ]

    system = frames_of(ours, stream="system")
    assert len(system) >= 4 and sorted(system) == list(range(len(system)))
    stored = read_framed_log(f"{run_dir}/system.sglog").frames
    assert {f.seq: f.payload for f in stored} == system, "every stored sample is streamed, unchanged"
    assert "system/cpu.percent" in decode_payload(system[0]).column_names
    history = frames_of(ours)
    steps = [s for seq in sorted(history) for s in decode_payload(history[seq]).column("_step").to_pylist()]
    assert steps == list(range(100)), "history frames are not mixed up with system frames"

    answers = {}
    for request_id, stream in (("s1", "system"), ("h1", None)):
        request = kernel.session.msg(
            "comm_msg", {"comm_id": comm_id, "data": replay_message(request_id, "sampled", 1, stream=stream)}
        )
        kernel.shell_channel.send(request)
        replies = [
            m for m in collect_iopub(kernel, request["header"]["msg_id"]) if m["msg_type"] == "comm_msg"
        ]
        answers[request_id] = replies
    assert frames_of(answers["s1"], reply_to="s1", stream="system") == {
        seq: payload for seq, payload in system.items() if seq > 1
    }
    assert not frames_of(answers["s1"], reply_to="s1")
    assert frames_of(answers["h1"], reply_to="h1") == {seq: p for seq, p in history.items() if seq > 1}
