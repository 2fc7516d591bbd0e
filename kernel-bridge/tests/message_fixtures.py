"""Builds the golden comm messages in packages/protocol/fixtures/messages from the Python builders.

Run `python kernel-bridge/tests/message_fixtures.py` to (re)write them; test_protocol_fixtures.py checks that
the files and the builders agree, and the TypeScript tests load the same files.
"""

from __future__ import annotations

import base64
import json
from pathlib import Path

import pyarrow as pa

from spyglass.store.arrow_codec import encode_batch
from spyglass.transport.protocol import (
    RunDegraded,
    RunInfo,
    StoredFrame,
    calls_messages,
    error_message,
    frames_messages,
    hello_message,
    replay_message,
    run_updated_message,
)

FIXTURE_DIR = Path(__file__).resolve().parents[2] / "packages" / "protocol" / "fixtures" / "messages"

RUN: RunInfo = {
    "run_id": "k3x9q2ab",
    "project": "demo",
    "name": "first run",
    "run_dir": "/home/user/spyglass/demo/k3x9q2ab",
    "state": "running",
    "created_at": 1764280000.5,
    "config": {"lr": 0.001, "layers": [64, 32], "optimizer": "adam"},
}

DEGRADED: RunDegraded = {
    "reason": "disk full",
    "path": "/home/user/spyglass/demo/k3x9q2ab/history.sglog",
    "message": "/home/user/spyglass/demo/k3x9q2ab/history.sglog: could not append frame 12: disk full "
    "(No space left on device); free space on that disk; logged rows wait in memory and are written as soon "
    "as it has room.",
    "since": 1764280042.25,
    "unstored_rows": 6000,
    "dropped_rows": 0,
}


def frame_payload() -> bytes:
    """A 3-row history batch, encoded the way the flusher stores it."""
    batch = pa.RecordBatch.from_pydict(
        {
            "_step": pa.array([0, 1, 2], pa.int64()),
            "_timestamp": pa.array([1764280001.0, 1764280001.25, 1764280001.5], pa.float64()),
            "_runtime": pa.array([0.5, 0.75, 1.0], pa.float64()),
            "loss": pa.array([1.0, 0.5, None], pa.float64()),
            "phase": pa.array(["warmup", None, "train"], pa.utf8()),
        }
    )
    return encode_batch(batch)


def system_payload() -> bytes:
    """One system metrics sample, encoded the way SystemMonitor stores it in system.sglog."""
    batch = pa.RecordBatch.from_pydict(
        {
            "_timestamp": pa.array([1764280010.5], pa.float64()),
            "_runtime": pa.array([10.0], pa.float64()),
            "system/cpu.percent": pa.array([37.5], pa.float64()),
            "system/proc.memory.rss_mb": pa.array([512.25], pa.float64()),
        }
    )
    return encode_batch(batch)


def calls_payload() -> bytes:
    """Two call rows as a trace session stores them: an agent still running and its finished tool call."""
    from spyglass.traces.call_rows import CALL_SCHEMA

    started = [1764280001_000000, 1764280001_250000]
    batch = pa.RecordBatch.from_pydict(
        {
            "id": ["a1b2c3d4e5f60718" + "0000000000000001", "a1b2c3d4e5f60718" + "0000000000000002"],
            "trace_id": ["a1b2c3d4e5f60718" + "0000000000000001"] * 2,
            "parent_id": [None, "a1b2c3d4e5f60718" + "0000000000000001"],
            "op_name": ["agent", "search"],
            "status": ["running", "success"],
            "started_at": started,
            "ended_at": [None, 1764280001_500000],
            "inputs": ['{"question":"why?"}', '{"query":"sky"}'],
            "output": [None, '["blue"]'],
            "exception": [None, None],
            "attributes": [None, None],
            "usage": [None, '{"input_tokens":12,"output_tokens":3}'],
            "cost": [None, 0.0004],
            "run_id": [None, None],
            "thread_id": [1, 1],
            "thread_name": ["MainThread", "MainThread"],
            "task": [None, None],
        },
        schema=CALL_SCHEMA,
    )
    return encode_batch(batch)


def fixtures() -> dict[str, dict]:
    payload = frame_payload()
    frame = StoredFrame("k3x9q2ab", 0, 3, payload)
    [(whole, whole_buffers)] = frames_messages([frame])

    chunked_messages = frames_messages([frame], max_buffer_bytes=(len(payload) + 1) // 2)
    assert len(chunked_messages) == 2, "the chunked fixture must split one frame into two messages"
    # The frontend sees the two chunks as two messages; the fixture keeps them in one for a compact example.
    chunked = {
        "kind": "frames",
        "chunks": [m[0]["chunks"][0] for m in chunked_messages],
        "reply_to": "replay-7",
    }
    chunked_buffers = [m[1][0] for m in chunked_messages]
    system_frame = StoredFrame("k3x9q2ab", 0, 1, system_payload(), "system")
    [(system, system_buffers)] = frames_messages([system_frame, frame])
    [(calls, calls_buffers)] = calls_messages(
        "demo", "20261207-120000-1a2b3c4d", "/home/user/spyglass", [calls_payload()]
    )
    return {
        "calls": _fixture(
            "Protocol 1.3: a trace session's stored frame (a running agent call and its finished tool call) "
            "sent while the calls happen.",
            calls,
            calls_buffers,
        ),
        "hello": _fixture("Kernel hello (comm_open data) listing one running run.", hello_message([RUN])),
        "run_updated": _fixture("The run finished.", run_updated_message({**RUN, "state": "finished"})),
        "run_updated_degraded": _fixture(
            "Protocol 1.2: the run's rows cannot be stored right now (disk full); absent once they are.",
            run_updated_message({**RUN, "degraded": DEGRADED}),
        ),
        "frames": _fixture(
            "One whole frame (seq 0, 3 rows: loss with a null, phase as text) in one buffer.",
            whole,
            whole_buffers,
        ),
        "frames_chunked": _fixture(
            "The same frame split by offset into two chunks, answering replay request 'replay-7'.",
            chunked,
            chunked_buffers,
        ),
        "frames_system": _fixture(
            "Protocol 1.1: a system metrics frame (stream 'system', seq 0 of system.sglog) and a history "
            "frame "
            "(no stream: history) sharing one message; each stream numbers its frames on its own.",
            system,
            system_buffers,
        ),
        "replay": _fixture(
            "Frontend asks for every frame after seq 4.", replay_message("replay-7", "k3x9q2ab", 4)
        ),
        "replay_system": _fixture(
            "Protocol 1.1: frontend asks for the system metrics stream's frames after seq 2.",
            replay_message("replay-9", "k3x9q2ab", 2, stream="system"),
        ),
        "error": _fixture(
            "Kernel refuses a replay of a run it does not know.",
            error_message(
                "unknown_run", "this kernel has no run 'zzzzzzzz' (its runs: k3x9q2ab)", "replay-8"
            ),
        ),
    }


def _fixture(description: str, data: dict, buffers: list[bytes] | None = None) -> dict:
    return {
        "description": description,
        "data": data,
        "buffers": [base64.b64encode(b).decode("ascii") for b in buffers or []],
    }


def write_fixtures() -> None:
    FIXTURE_DIR.mkdir(parents=True, exist_ok=True)
    for name, fixture in fixtures().items():
        (FIXTURE_DIR / f"{name}.json").write_text(json.dumps(fixture, indent=2) + "\n")


if __name__ == "__main__":
    write_fixtures()
