"""The kernel <-> frontend comm protocol: a mirror of packages/protocol/src/messages.ts (the source of truth).

Keys are snake_case on the wire. Golden examples live in packages/protocol/fixtures/messages and are checked
by
both test suites, so a change here without the same change in messages.ts fails the tests.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Literal, NotRequired, TypedDict

from ..base import protocol_constants as constants
from ..base.errors import ProtocolError, ProtocolVersionError
from ..base.protocol_constants import ERROR_CODES, ErrorCode
from ..base.version import __version__

# The shared constants are base/protocol_constants.py's (checked against
# packages/protocol/fixtures/constants.json), named here too, beside the messages they belong to.
PROTOCOL_MAJOR = constants.PROTOCOL_MAJOR
PROTOCOL_MINOR = constants.PROTOCOL_MINOR
COMM_TARGET = constants.COMM_TARGET
RUN_MIME_TYPE = constants.RUN_MIME_TYPE
TABLE_MIME_TYPE = constants.TABLE_MIME_TYPE
MAX_MESSAGE_BYTES = constants.MAX_MESSAGE_BYTES

# Room left under MAX_MESSAGE_BYTES for the JSON part of a message (header, chunk descriptors).
_JSON_HEADROOM = 64 * 1024
MAX_BUFFER_BYTES = MAX_MESSAGE_BYTES - _JSON_HEADROOM

Stream = Literal["history", "system"]
STREAMS: frozenset[str] = frozenset(("history", "system"))
RunState = Literal["running", "finished", "failed", "crashed"]
RUN_STATES: frozenset[str] = frozenset(("running", "finished", "failed", "crashed"))


class ProtocolVersion(TypedDict):
    major: int
    minor: int


class RunDegraded(TypedDict):
    reason: str
    path: str
    message: str
    since: float
    unstored_rows: int
    dropped_rows: int


class RunInfo(TypedDict):
    run_id: str
    project: str
    name: str
    run_dir: str
    state: RunState
    created_at: float
    config: dict[str, Any]
    degraded: NotRequired[RunDegraded]  # 1.2; absent while every row reaches the store


class FrameChunk(TypedDict):
    run_id: str
    seq: int
    rows: int
    total_bytes: int
    offset: int
    stream: NotRequired[Stream]  # absent means "history"


class HelloMessage(TypedDict):
    kind: Literal["hello"]
    protocol: ProtocolVersion
    package_version: str
    runs: list[RunInfo]


class RunUpdatedMessage(TypedDict):
    kind: Literal["run_updated"]
    run: RunInfo


class FramesMessage(TypedDict):
    kind: Literal["frames"]
    chunks: list[FrameChunk]
    reply_to: str | None


class ReplayMessage(TypedDict):
    kind: Literal["replay"]
    request_id: str
    run_id: str
    after_seq: int
    stream: NotRequired[Stream]  # absent means "history"


class ErrorMessage(TypedDict):
    kind: Literal["error"]
    code: ErrorCode
    message: str
    reply_to: str | None


class CallsFrame(TypedDict):
    total_bytes: int  # the frame's whole Arrow IPC payload is the matching buffer


class CallsMessage(TypedDict):
    """Protocol 1.3: one trace session's calls.sglog frames as stored, one whole frame per buffer."""

    kind: Literal["calls"]
    project: str
    session_id: str
    store_root: str
    frames: list[CallsFrame]
    unsent_frames: int  # frames too large for a message: the page reads them from the store


class RunOutputData(TypedDict):
    run_id: str
    project: str
    name: str
    run_dir: str
    protocol: ProtocolVersion


KernelMessage = HelloMessage | RunUpdatedMessage | FramesMessage | CallsMessage | ErrorMessage
FrontendMessage = HelloMessage | ReplayMessage | ErrorMessage
Message = KernelMessage | FrontendMessage


@dataclass(frozen=True, slots=True)
class StoredFrame:
    """A frame of a run's framed log, ready to send: its payload is an Arrow IPC stream of `rows` rows."""

    run_id: str
    seq: int
    rows: int
    payload: bytes
    stream: Stream = "history"


def protocol_version() -> ProtocolVersion:
    return {"major": PROTOCOL_MAJOR, "minor": PROTOCOL_MINOR}


def hello_message(runs: Iterable[RunInfo] = ()) -> HelloMessage:
    """The kernel's hello: comm_open data and the answer to a frontend hello."""
    return {
        "kind": "hello",
        "protocol": protocol_version(),
        "package_version": __version__,
        "runs": list(runs),
    }


def run_updated_message(run: RunInfo) -> RunUpdatedMessage:
    return {"kind": "run_updated", "run": run}


def replay_message(
    request_id: str, run_id: str, after_seq: int = -1, stream: Stream | None = None
) -> ReplayMessage:
    """What a frontend sends for every frame of a run's stream with seq > after_seq (tests and fixtures)."""
    message: ReplayMessage = {
        "kind": "replay",
        "request_id": request_id,
        "run_id": run_id,
        "after_seq": after_seq,
    }
    if stream is not None:
        message["stream"] = stream
    return message


def error_message(code: ErrorCode, message: str, reply_to: str | None = None) -> ErrorMessage:
    if code not in ERROR_CODES:
        raise ValueError(f"{code!r} is not a protocol error code (one of {', '.join(ERROR_CODES)})")
    return {"kind": "error", "code": code, "message": message, "reply_to": reply_to}


def frames_messages(
    frames: Iterable[StoredFrame], reply_to: str | None = None, max_buffer_bytes: int = MAX_BUFFER_BYTES
) -> list[tuple[FramesMessage, list[bytes]]]:
    """Pack frames into `frames` messages whose buffers sum to at most max_buffer_bytes (< 8 MiB).

    Small frames share a message; a payload larger than the limit is split by offset into chunks that the
    frontend reassembles (a frame is complete when offset + len(buffer) == total_bytes).
    """
    messages: list[tuple[FramesMessage, list[bytes]]] = []
    chunks: list[FrameChunk] = []
    buffers: list[bytes] = []
    used = 0

    def close_message() -> None:
        nonlocal chunks, buffers, used
        if chunks:
            messages.append(({"kind": "frames", "chunks": chunks, "reply_to": reply_to}, buffers))
        chunks, buffers, used = [], [], 0

    for frame in frames:
        total = len(frame.payload)
        view = memoryview(frame.payload)
        offset = 0
        while True:
            if used >= max_buffer_bytes:
                close_message()
            size = min(total - offset, max_buffer_bytes - used)
            chunk: FrameChunk = {
                "run_id": frame.run_id,
                "seq": frame.seq,
                "rows": frame.rows,
                "total_bytes": total,
                "offset": offset,
            }
            if frame.stream != "history":  # absent means history: 1.0 messages stay byte for byte the same
                chunk["stream"] = frame.stream
            chunks.append(chunk)
            buffers.append(bytes(view[offset : offset + size]))
            used += size
            offset += size
            if offset >= total:
                break
    close_message()
    return messages


def calls_messages(
    project: str,
    session_id: str,
    store_root: str,
    payloads: Iterable[bytes],
    max_buffer_bytes: int = MAX_BUFFER_BYTES,
) -> list[tuple[CallsMessage, list[bytes]]]:
    """Pack a session's frame payloads into `calls` messages of at most max_buffer_bytes of buffers.

    A frame is never split: one larger than the bound is left out and counted in `unsent_frames` (the store
    has it; the page reads the session from the server).
    """
    messages: list[tuple[CallsMessage, list[bytes]]] = []
    frames: list[CallsFrame] = []
    buffers: list[bytes] = []
    used = unsent = 0
    for payload in payloads:
        if len(payload) > max_buffer_bytes:
            unsent += 1
            continue
        if used + len(payload) > max_buffer_bytes:
            messages.append(_calls(project, session_id, store_root, frames, buffers, 0))
            frames, buffers, used = [], [], 0
        frames.append({"total_bytes": len(payload)})
        buffers.append(payload)
        used += len(payload)
    if frames or unsent:
        messages.append(_calls(project, session_id, store_root, frames, buffers, unsent))
    return messages


def _calls(
    project: str,
    session_id: str,
    store_root: str,
    frames: list[CallsFrame],
    buffers: list[bytes],
    unsent: int,
) -> tuple[CallsMessage, list[bytes]]:
    message: CallsMessage = {
        "kind": "calls",
        "project": project,
        "session_id": session_id,
        "store_root": store_root,
        "frames": frames,
        "unsent_frames": unsent,
    }
    return message, buffers


def parse_message(value: object, buffer_count: int = 0) -> Message:
    """Validate a decoded comm message of any kind; raise ProtocolVersionError or ProtocolError."""
    if not isinstance(value, Mapping):
        raise ProtocolError(f"A message must be a JSON object, got {type(value).__name__}", "kind")
    kind = value.get("kind")
    if kind == "hello":
        protocol = _version(value)
        if protocol["major"] > PROTOCOL_MAJOR:
            raise ProtocolVersionError(
                f"The frontend speaks protocol {protocol['major']}.{protocol['minor']} but this spyglass "
                "package "
                f"understands {PROTOCOL_MAJOR}.x; upgrade it (pip install -U spyglass), restart the kernel.",
                "protocol",
            )
        runs = _need(value, "runs", isinstance(value.get("runs"), list), "an array")
        return {
            "kind": "hello",
            "protocol": protocol,
            "package_version": _str(value, "package_version"),
            "runs": [parse_run_info(run) for run in runs],
        }
    if kind == "run_updated":
        return {"kind": "run_updated", "run": parse_run_info(value.get("run"))}
    if kind == "frames":
        chunks = _need(value, "chunks", isinstance(value.get("chunks"), list), "an array")
        if len(chunks) != buffer_count:
            raise ProtocolError(
                f"A frames message names {len(chunks)} chunks but carries {buffer_count} buffers", "chunks"
            )
        return {
            "kind": "frames",
            "chunks": [_chunk(c) for c in chunks],
            "reply_to": _str_or_none(value, "reply_to"),
        }
    if kind == "calls":
        frames = _need(value, "frames", isinstance(value.get("frames"), list), "an array")
        if len(frames) != buffer_count:
            raise ProtocolError(
                f"A calls message names {len(frames)} frames but carries {buffer_count} buffers", "frames"
            )
        return {
            "kind": "calls",
            "project": _str(value, "project"),
            "session_id": _str(value, "session_id"),
            "store_root": _str(value, "store_root"),
            "frames": [_calls_frame(frame) for frame in frames],
            "unsent_frames": _int(value, "unsent_frames"),
        }
    if kind == "replay":
        replay: ReplayMessage = {
            "kind": "replay",
            "request_id": _str(value, "request_id"),
            "run_id": _str(value, "run_id"),
            "after_seq": _int(value, "after_seq"),
        }
        if "stream" in value:
            replay["stream"] = _stream(value)
        return replay
    if kind == "error":
        message = _str(value, "message")
        reply_to = _str_or_none(value, "reply_to")
        code = _str(value, "code")
        _need(value, "code", code in ERROR_CODES, f"one of {', '.join(ERROR_CODES)}")
        return {"kind": "error", "code": code, "message": message, "reply_to": reply_to}  # type: ignore[typeddict-item]
    raise ProtocolError(f"Unknown message kind {kind!r}", "kind")


def parse_frontend_message(value: object, buffer_count: int = 0) -> FrontendMessage:
    """Validate a message received from the frontend: hello, replay or error."""
    message = parse_message(value, buffer_count)
    if message["kind"] not in ("hello", "replay", "error"):
        raise ProtocolError(f"The frontend may not send {message['kind']!r} messages", "kind")
    return message  # type: ignore[return-value]


def parse_run_info(value: object) -> RunInfo:
    if not isinstance(value, Mapping):
        raise ProtocolError("A run must be an object", "run")
    state = _str(value, "state")
    _need(value, "state", state in RUN_STATES, f"one of {', '.join(sorted(RUN_STATES))}")
    _need(value, "config", isinstance(value.get("config"), Mapping), "an object")
    return {
        "run_id": _str(value, "run_id"),
        "project": _str(value, "project"),
        "name": _str(value, "name"),
        "run_dir": _str(value, "run_dir"),
        "state": state,  # type: ignore[typeddict-item]
        "created_at": _num(value, "created_at"),
        "config": dict(value["config"]),
        **({"degraded": _degraded(value["degraded"])} if value.get("degraded") is not None else {}),
    }


def _degraded(value: object) -> RunDegraded:
    if not isinstance(value, Mapping):
        raise ProtocolError("Field 'degraded' must be an object {reason, path, ...}", "degraded")
    return {
        "reason": _str(value, "reason"),
        "path": _str(value, "path"),
        "message": _str(value, "message"),
        "since": _num(value, "since"),
        "unstored_rows": _int(value, "unstored_rows"),
        "dropped_rows": _int(value, "dropped_rows"),
    }


def _chunk(value: object) -> FrameChunk:
    if not isinstance(value, Mapping):
        raise ProtocolError("A frame chunk must be an object", "chunks")
    chunk: FrameChunk = {
        "run_id": _str(value, "run_id"),
        "seq": _int(value, "seq"),
        "rows": _int(value, "rows"),
        "total_bytes": _int(value, "total_bytes"),
        "offset": _int(value, "offset"),
    }
    if "stream" in value:
        chunk["stream"] = _stream(value)
    return chunk


def _calls_frame(value: object) -> CallsFrame:
    if not isinstance(value, Mapping):
        raise ProtocolError("A calls frame must be an object {total_bytes}", "frames")
    return {"total_bytes": _int(value, "total_bytes")}


def _stream(value: Mapping[str, Any]) -> Stream:
    return _need(value, "stream", value.get("stream") in STREAMS, "'history' or 'system'")


def _version(value: Mapping[str, Any]) -> ProtocolVersion:
    version = value.get("protocol")
    if not isinstance(version, Mapping):
        raise ProtocolError("Field 'protocol' must be an object {major, minor}", "protocol")
    return {"major": _int(version, "major"), "minor": _int(version, "minor")}


def _need(value: Mapping[str, Any], field: str, ok: bool, what: str) -> Any:
    if not ok:
        raise ProtocolError(f"Field '{field}' must be {what}, got {value.get(field)!r}", field)
    return value.get(field)


def _str(value: Mapping[str, Any], field: str) -> str:
    return _need(value, field, isinstance(value.get(field), str), "a string")


def _str_or_none(value: Mapping[str, Any], field: str) -> str | None:
    return _need(
        value, field, value.get(field) is None or isinstance(value.get(field), str), "a string or null"
    )


def _int(value: Mapping[str, Any], field: str) -> int:
    v = value.get(field)
    return _need(
        value, field, isinstance(v, int) and not isinstance(v, bool) and abs(v) < 2**53, "an integer"
    )


def _num(value: Mapping[str, Any], field: str) -> float:
    v = value.get(field)
    return _need(value, field, isinstance(v, (int, float)) and not isinstance(v, bool), "a number")
