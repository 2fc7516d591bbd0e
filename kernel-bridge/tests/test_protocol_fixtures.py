"""The Python builders and parsers agree with the golden messages both test suites load."""

from __future__ import annotations

import base64
import json

import pytest
from message_fixtures import FIXTURE_DIR, fixtures

from spyglass.errors import ProtocolError, ProtocolVersionError
from spyglass.store.arrow_codec import decode_payload
from spyglass.transport.protocol import (
    MAX_MESSAGE_BYTES,
    StoredFrame,
    frames_messages,
    hello_message,
    parse_frontend_message,
    parse_message,
)

NAMES = [
    "calls",
    "hello",
    "run_updated",
    "frames",
    "frames_chunked",
    "frames_system",
    "replay",
    "replay_system",
    "error",
]


def load(name: str) -> dict:
    return json.loads((FIXTURE_DIR / f"{name}.json").read_text())


@pytest.mark.parametrize("name", NAMES)
def test_the_builders_produce_exactly_the_golden_fixture(name):
    assert load(name) == fixtures()[name]


@pytest.mark.parametrize("name", NAMES)
def test_the_parser_accepts_the_golden_fixture_unchanged(name):
    fixture = load(name)
    assert parse_message(fixture["data"], len(fixture["buffers"])) == fixture["data"]


def test_the_chunked_fixture_reassembles_into_the_whole_frame():
    whole = load("frames")
    chunked = load("frames_chunked")
    payload = b"".join(base64.b64decode(b) for b in chunked["buffers"])
    assert payload == base64.b64decode(whole["buffers"][0])
    assert decode_payload(payload).num_rows == 3


@pytest.mark.parametrize("name", ["hello", "replay", "replay_system", "error"])
def test_frontend_messages_parse_as_frontend_messages(name):
    assert parse_frontend_message(load(name)["data"])["kind"] == load(name)["data"]["kind"]


def test_the_system_fixture_carries_a_system_sample_and_a_history_frame_each_with_seq_0():
    fixture = load("frames_system")
    first, second = fixture["data"]["chunks"]
    assert first["stream"] == "system" and "stream" not in second
    assert first["seq"] == second["seq"] == 0
    sample = decode_payload(base64.b64decode(fixture["buffers"][0]))
    assert sample.column_names[:2] == ["_timestamp", "_runtime"] and sample.num_rows == 1
    assert load("replay_system")["data"]["stream"] == "system"


@pytest.mark.parametrize(
    "message",
    [
        {"kind": "replay", "request_id": "r", "run_id": "x", "after_seq": 3, "stream": "gpu"},
        {"kind": "replay", "request_id": "r", "run_id": "x", "after_seq": 3, "stream": None},
    ],
)
def test_a_replay_naming_an_unknown_stream_is_refused(message):
    with pytest.raises(ProtocolError, match="stream") as caught:
        parse_frontend_message(message)
    assert caught.value.field == "stream"


def test_a_frame_chunk_naming_an_unknown_stream_is_refused():
    data = load("frames")["data"]
    bad = {**data, "chunks": [{**data["chunks"][0], "stream": "gpu"}]}
    with pytest.raises(ProtocolError, match="'history' or 'system'"):
        parse_message(bad, 1)


def test_a_frontend_may_not_send_frames():
    fixture = load("frames")
    with pytest.raises(ProtocolError, match="may not send 'frames'"):
        parse_frontend_message(fixture["data"], 1)


@pytest.mark.parametrize(
    ("message", "field"),
    [
        ({"no_kind": 1}, "kind"),
        ({"kind": "bogus"}, "kind"),
        ({"kind": "replay", "request_id": "r", "run_id": "x", "after_seq": "3"}, "after_seq"),
        ({"kind": "replay", "request_id": "r", "after_seq": 3}, "run_id"),
        ({"kind": "hello", "protocol": {"major": 1}, "package_version": "1", "runs": []}, "minor"),
        ({"kind": "error", "code": "x", "message": "m", "reply_to": 5}, "reply_to"),
    ],
)
def test_malformed_messages_raise_a_protocol_error_naming_the_field(message, field):
    with pytest.raises(ProtocolError) as caught:
        parse_frontend_message(message)
    assert caught.value.field == field
    assert field in str(caught.value)


def test_a_newer_protocol_major_is_refused_politely():
    hello = {**hello_message(), "protocol": {"major": 2, "minor": 0}}
    with pytest.raises(ProtocolVersionError, match="upgrade"):
        parse_frontend_message(hello)


def test_a_frames_message_must_carry_one_buffer_per_chunk():
    with pytest.raises(ProtocolError, match="2 chunks but carries 1 buffers"):
        parse_message(load("frames_chunked")["data"], 1)


def test_a_20_mib_payload_splits_into_messages_under_8_mib_that_reassemble():
    payload = bytes(range(256)) * (20 * 1024 * 1024 // 256)
    small = StoredFrame("run", 1, 5, b"tiny")
    messages = frames_messages([StoredFrame("run", 0, 10, payload), small])
    assert len(messages) == 3
    for data, buffers in messages:
        assert sum(map(len, buffers)) < MAX_MESSAGE_BYTES
        assert len(data["chunks"]) == len(buffers)
        parse_message(data, len(buffers))
    pieces = {}
    for data, buffers in messages:
        for chunk, buffer in zip(data["chunks"], buffers, strict=True):
            pieces.setdefault(chunk["seq"], []).append((chunk["offset"], buffer, chunk["total_bytes"]))
    rebuilt = {seq: b"".join(b for _, b, _ in sorted(parts)) for seq, parts in pieces.items()}
    assert rebuilt == {0: payload, 1: b"tiny"}
    assert all(len(rebuilt[seq]) == parts[0][2] for seq, parts in pieces.items())


def test_small_frames_share_one_message():
    frames = [StoredFrame("a", seq, 1, b"x" * 100) for seq in range(50)]
    [(data, buffers)] = frames_messages(frames)
    assert [c["seq"] for c in data["chunks"]] == list(range(50)) and len(buffers) == 50
