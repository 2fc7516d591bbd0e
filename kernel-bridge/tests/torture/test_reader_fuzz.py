"""Seeded mutations of real framed logs against the Python reader (issue 15: 4, and the torture fuzzers).

Two real logs (the golden three-frame log and a run's history with floats, ints, text, booleans and nulls over
several frames) are mutated: bit flips in an Arrow payload with the frame's CRCs recomputed (so the framing
stays valid and only Arrow decoding can notice), lies in the Arrow message lengths (CRCs recomputed),
truncations, lies in a frame's length field (header CRC recomputed) and overwritten bytes. Each mutated log is
read in a worker process (reader_fuzz_worker.py) with a per-input timeout. An input passes when the reader
returns the valid prefix the mutation leaves (the frames before it, intact, with their rows) and reports the
rest as a torn tail or a CorruptLogError at the damaged frame, and every payload either decodes or raises
StoreError: never a hang, a crash or an untyped exception.
"""

from __future__ import annotations

import json
import random
import selectors
import struct
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import crc32c
import pytest

import spyglass as sg
from spyglass.store.arrow_codec import decode_payload
from spyglass.store.framed_log import FILE_HEADER_SIZE, FRAME_HEADER_SIZE, read_framed_log

SEED = 15
PER_KIND = {"flip-crc": 800, "message-length": 300, "truncate": 300, "length-lie": 300, "overwrite": 300}
TIMEOUT_S = 10.0
REPO = Path(__file__).resolve().parents[3]
GOLDEN = REPO / "packages" / "protocol" / "fixtures" / "framed-log"


@dataclass
class Source:
    name: str
    data: bytes
    spans: list[tuple[int, int]]  # (frame offset, frame end)
    rows: list[int]


def _source(name: str, data: bytes) -> Source:
    log = read_framed_log(data)
    spans = [(f.offset, f.offset + FRAME_HEADER_SIZE + len(f.payload)) for f in log.frames]
    return Source(name, data, spans, [decode_payload(f.payload).num_rows for f in log.frames])


@pytest.fixture(scope="module")
def sources(tmp_path_factory) -> list[Source]:
    root = tmp_path_factory.mktemp("fuzz-store")
    run = sg.init(project="fuzz", dir=str(root), name="fuzz-run")
    for step in range(160):
        run.log(
            {
                "loss": 1.0 / (step + 1),
                "epoch": step // 40,
                "phase": "train" if step % 3 else "eval",
                "ok": step % 2 == 0,
                "maybe": None if step % 5 else float(step),
            }
        )
        if step % 40 == 39:
            run.flush()
    run_dir = Path(run.dir)
    run.finish()
    logs = [_source("golden", (GOLDEN / "valid.sglog").read_bytes())]
    logs.append(_source("run", (run_dir / "history.sglog").read_bytes()))
    assert len(logs[1].spans) >= 4, "the run's log has several frames"
    return logs


def _reframe(data: bytearray, offset: int) -> None:
    """Recomputes the payload and header CRCs of the frame at `offset` after its bytes were changed."""
    (length,) = struct.unpack_from("<I", data, offset + 4)
    payload = bytes(data[offset + FRAME_HEADER_SIZE : offset + FRAME_HEADER_SIZE + length])
    struct.pack_into("<I", data, offset + 16, crc32c.crc32c(payload))
    struct.pack_into("<I", data, offset + 20, crc32c.crc32c(bytes(data[offset : offset + 20])))


def _mutate(kind: str, source: Source, rng: random.Random) -> tuple[bytes, dict]:
    data = bytearray(source.data)
    k = rng.randrange(len(source.spans))
    start, end = source.spans[k]
    payload_at = start + FRAME_HEADER_SIZE
    if kind == "flip-crc":
        for _ in range(rng.randint(1, 3)):
            # Most flips land in the message headers, where a lie is structural rather than a changed value.
            span = min(end - payload_at, 512) if rng.random() < 0.7 else end - payload_at
            bit = rng.randrange(span * 8)
            data[payload_at + bit // 8] ^= 1 << (bit % 8)
        _reframe(data, start)
        return bytes(data), {"intact": True, "frame": k}
    if kind == "message-length":
        at = payload_at + 4 if rng.random() < 0.5 else _second_message(data, payload_at)
        lie = rng.choice(
            [0, 1, 7, 0x7FFFFFFF, -8, rng.randrange(1, 1 << 20), end - payload_at + rng.randint(-16, 16)]
        )
        struct.pack_into("<i", data, at, lie)
        _reframe(data, start)
        return bytes(data), {"intact": True, "frame": k}
    if kind == "truncate":
        cut = rng.randrange(len(data))
        return bytes(data[:cut]), {"cut": cut}
    if kind == "length-lie":
        (length,) = struct.unpack_from("<I", data, start + 4)
        lie = rng.choice(
            [0, 1, length - 1, length + 1, length + rng.randint(2, 4096), 0xFFFFFFFF, length * 2]
        )
        struct.pack_into("<I", data, start + 4, lie % (1 << 32))
        struct.pack_into("<I", data, start + 20, crc32c.crc32c(bytes(data[start : start + 20])))
        return bytes(data), {"damaged": k}
    at = rng.randrange(start, end)
    data[at] ^= rng.randrange(1, 256)
    return bytes(data), {"damaged": k}


def _second_message(data: bytearray, payload_at: int) -> int:
    """Where the record batch message's length lies (after the schema message and its 8-byte prefix)."""
    (schema_length,) = struct.unpack_from("<i", data, payload_at + 4)
    return payload_at + 8 + schema_length + 4


def _check(source: Source, expect: dict, answer: dict) -> str | None:
    """Why the answer breaks the documented rules for this mutation, or None when it keeps them."""
    if answer.get("untyped"):
        return answer["untyped"]
    rows = answer["rows"]
    if "intact" in expect:
        k = expect["frame"]
        if answer["frames"] != len(source.spans) or answer["torn"] or answer["corrupt"] is not None:
            return f"framing changed: {answer}"
        for j, got in enumerate(rows):
            if j != k and got != source.rows[j]:
                return f"frame {j} read {got}, was {source.rows[j]}"
        if not (isinstance(rows[k], int) or rows[k] == "error:StoreError"):
            return f"frame {k} decoded as {rows[k]}"
        return None
    if "cut" in expect:
        cut = expect["cut"]
        whole = sum(1 for _, frame_end in source.spans if frame_end <= cut)
        boundary = (
            cut == 0 or cut == FILE_HEADER_SIZE or any(frame_end == cut for _, frame_end in source.spans)
        )
        if answer["corrupt"] is not None or answer["frames"] != whole or answer["torn"] == boundary:
            return f"a cut at {cut} read as {answer}, expected {whole} frames, torn={not boundary}"
        return _same_rows(source, rows)
    k = expect["damaged"]
    offset = source.spans[k][0]
    if answer["corrupt"] is not None:
        return None if answer["corrupt"] == offset else f"corrupt at {answer['corrupt']}, damage at {offset}"
    if answer["frames"] != k or not answer["torn"]:
        return f"damage in frame {k} read as {answer}"
    return _same_rows(source, rows)


def _same_rows(source: Source, rows: list) -> str | None:
    for j, got in enumerate(rows):
        if got != source.rows[j]:
            return f"prefix frame {j} read {got}, was {source.rows[j]}"
    return None


class Reader:
    """The worker process; restarted after a timeout or a crash."""

    def __init__(self) -> None:
        self.process: subprocess.Popen | None = None

    def read(self, data: bytes) -> dict:
        if self.process is None or self.process.poll() is not None:
            worker = Path(__file__).with_name("reader_fuzz_worker.py")
            self.process = subprocess.Popen(
                [sys.executable, str(worker)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=False
            )
        assert self.process.stdin and self.process.stdout
        self.process.stdin.write(struct.pack("<I", len(data)) + data)
        self.process.stdin.flush()
        line = _readline(self.process, TIMEOUT_S)
        if line is None:
            self.stop()
            return {"untyped": f"no answer within {TIMEOUT_S} s (hang or crash)"}
        return json.loads(line)

    def stop(self) -> None:
        if self.process is not None:
            self.process.kill()
            self.process.wait()
            self.process = None


def _readline(process: subprocess.Popen, timeout: float) -> bytes | None:
    selector = selectors.DefaultSelector()
    selector.register(process.stdout, selectors.EVENT_READ)
    deadline = time.monotonic() + timeout
    try:
        while time.monotonic() < deadline:
            if selector.select(timeout=deadline - time.monotonic()):
                line = process.stdout.readline()
                return line or None
        return None
    finally:
        selector.close()


def test_python_reader_survives_mutated_logs(sources, tally) -> None:
    rng = random.Random(SEED)
    reader = Reader()
    slowest = 0.0
    try:
        for kind, count in PER_KIND.items():
            for index in range(count):
                source = sources[index % len(sources)]
                data, expect = _mutate(kind, source, rng)
                tally.attempt()
                started = time.perf_counter()
                answer = reader.read(data)
                slowest = max(slowest, time.perf_counter() - started)
                problem = _check(source, expect, answer)
                if problem:
                    tally.fail(f"{kind} #{index} on {source.name}: {problem}")
    finally:
        reader.stop()
    print(f"slowest input: {slowest * 1000:.0f} ms")
    assert not tally.failures, tally.failures[:5]


def test_python_reader_refuses_the_hostile_golden_log_cleanly(tally) -> None:
    reader = Reader()
    try:
        tally.attempt()
        answer = reader.read((GOLDEN / "hostile-arrow.sglog").read_bytes())
    finally:
        reader.stop()
    if answer.get("untyped") or answer["rows"] != [3, "error:StoreError", 1]:
        tally.fail(f"hostile-arrow.sglog read as {answer}")
    assert not tally.failures, tally.failures
