"""Spans from other instrumented apps as calls: an OTLP ExportTraceServiceRequest (JSON or protobuf) -> rows.

`decode_request` reads the body (protobuf through opentelemetry-proto, imported only then); `request_calls`
turns its spans into call rows per project (otlp_conventions.py reads the attributes); `OtlpReceiver` writes
them into one trace session per project and store, `<project>/.traces/otlp-<time>-<hex>/`, which
`sg.Api().calls()` reads like any other (docs/otlp.md).
"""

from __future__ import annotations

import atexit
import json
import os
import re
import secrets
import threading
import time
from typing import Any

import pyarrow as pa

from ..base.errors import InvalidNameError
from ..store.arrow_codec import encode_batch
from ..store.run_store import validate_name
from .call_record import ERROR, RUNNING, SUCCESS, UNFINISHED
from .call_rows import CALL_SCHEMA
from .otlp_conventions import call_fields
from .otlp_protobuf import protobuf_request
from .otlp_values import OtlpFormatError, attribute_dict, call_id_of, checked_id, span_id_of
from .trace_session import TraceSession
from .value_encoding import encode, encode_named, to_json

JSON_TYPE = "application/json"
PROTOBUF_TYPE = "application/x-protobuf"
PROJECT_ATTRIBUTES = ("spyglass.project", "service.name")
STATUS_CODE_ERROR = 2
_CALL_ID = re.compile(r"[0-9a-f]{32}")
_KEPT_STATUSES = (RUNNING, UNFINISHED)  # a Spyglass export's spyglass.status that the OTLP status cannot say


def decode_request(body: bytes, content_type: str) -> list[Any]:
    """The resourceSpans of a request body, in the OTLP/JSON shape (ids as hex) whatever the encoding."""
    kind = content_type.split(";")[0].strip().lower()
    if kind == JSON_TYPE:
        try:
            request = json.loads(body)
        except (ValueError, UnicodeDecodeError) as error:
            raise OtlpFormatError(f"the body is not JSON: {error}") from None
        return _resource_spans(request)
    if kind == PROTOBUF_TYPE:
        return _resource_spans(protobuf_request(body))
    raise OtlpFormatError(f"Content-Type must be {JSON_TYPE} or {PROTOBUF_TYPE}, got {content_type!r}")


def _resource_spans(request: Any) -> list[Any]:
    if not isinstance(request, dict):
        raise OtlpFormatError(
            "the body must be an ExportTraceServiceRequest object: {'resourceSpans': [...]}"
        )
    spans = request.get("resourceSpans", request.get("resource_spans")) or []
    if not isinstance(spans, list):
        raise OtlpFormatError("resourceSpans must be a list")
    return spans


def request_calls(resource_spans: list[Any], project: str | None) -> dict[str, list[dict[str, Any]]]:
    """Call rows (call schema, values as Python objects) per project; `project` overrides the resources'."""
    by_project: dict[str, list[dict[str, Any]]] = {}
    for r, resource_span in enumerate(resource_spans):
        where = f"resourceSpans[{r}]"
        if not isinstance(resource_span, dict):
            raise OtlpFormatError(f"{where} must be an object")
        resource = attribute_dict(
            (resource_span.get("resource") or {}).get("attributes"), f"{where}.resource"
        )
        name = project or next((resource[key] for key in PROJECT_ATTRIBUTES if resource.get(key)), None)
        target = by_project.setdefault(project_name(name, where), [])
        for s, scope_span in enumerate(_list(resource_span, "scopeSpans", where)):
            for p, span in enumerate(_list(scope_span, "spans", f"{where}.scopeSpans[{s}]")):
                try:
                    target.append(span_call(span))
                except OtlpFormatError as error:  # where the span is, said only when it is refused
                    raise OtlpFormatError(f"{where}.scopeSpans[{s}].spans[{p}]{error}") from None
    return by_project


def project_name(name: Any, where: str) -> str:
    """The project spans go to, checked as a store name."""
    if not isinstance(name, str) or not name:
        raise OtlpFormatError(
            f"{where}: no project: send the X-Spyglass-Project header, or set the resource attribute "
            "spyglass.project or service.name"
        )
    try:
        return validate_name("project", name)
    except InvalidNameError as error:
        raise OtlpFormatError(
            f"{where}: {error} (set the X-Spyglass-Project header or spyglass.project to a valid name)"
        ) from None


def span_call(span: Any) -> dict[str, Any]:
    """One span as a call row. An error's message names the field from the span on (".traceId must ..."):
    the caller puts the span's place first, so no text is made for a span that is fine."""
    if not isinstance(span, dict):
        raise OtlpFormatError(" must be an object")
    trace_id = checked_id(span.get("traceId"), 32, ".traceId")
    span_id = checked_id(span.get("spanId"), 16, ".spanId")
    if trace_id is None or span_id is None:
        raise OtlpFormatError(" needs a traceId and a spanId")
    parent = checked_id(span.get("parentSpanId"), 16, ".parentSpanId")
    fields = call_fields(str(span.get("name") or "span"), attribute_dict(span.get("attributes"), ""))
    started = _nanoseconds(span.get("startTimeUnixNano"), ".startTimeUnixNano")
    ended = _nanoseconds(span.get("endTimeUnixNano") or started, ".endTimeUnixNano")
    status = span.get("status") or {}
    failed = status.get("code") in (STATUS_CODE_ERROR, "STATUS_CODE_ERROR")
    exception = _exception(span.get("events"), status.get("message"), "") if failed else None
    state = fields.status if fields.status in _KEPT_STATUSES else (ERROR if failed else SUCCESS)
    call_id, parent_id = fields.ids if _own_ids(fields.ids, span_id, parent) else (None, None)
    return {
        "id": call_id or call_id_of(trace_id, span_id),
        "trace_id": trace_id,
        "parent_id": parent_id or (call_id_of(trace_id, parent) if parent else None),
        "op_name": fields.op_name,
        "status": state,
        "started_at": started // 1000,
        "ended_at": None if state in _KEPT_STATUSES else ended // 1000,
        "inputs": fields.inputs,
        "output": None if failed else fields.output,
        "exception": exception,
        "attributes": fields.attributes or None,
        "usage": fields.usage,
        "cost": fields.cost,
        "run_id": None,
        "thread_id": fields.thread_id,
        "thread_name": fields.thread_name,
        "task": fields.task,
    }


def _own_ids(ids: tuple[Any, Any], span_id: str, parent: str | None) -> bool:
    # A span Spyglass exported carries its call ids: kept when they still map to its span ids.
    call_id, parent_id = ids
    if not (isinstance(call_id, str) and _CALL_ID.fullmatch(call_id) and span_id_of(call_id) == span_id):
        return False
    if parent is None:
        return parent_id is None
    return (
        isinstance(parent_id, str) and bool(_CALL_ID.fullmatch(parent_id)) and span_id_of(parent_id) == parent
    )


def _exception(events: Any, message: Any, where: str) -> str:
    # The exception semantic conventions: an "exception" event with exception.type and exception.message.
    for index, event in enumerate(events if isinstance(events, list) else []):
        if isinstance(event, dict) and event.get("name") == "exception":
            details = attribute_dict(event.get("attributes"), f"{where}.events[{index}]")
            kind, text = details.get("exception.type"), details.get("exception.message")
            if kind or text:
                return f"{kind or 'Error'}: {text or ''}".rstrip(": ")
    return str(message) if message else "Error"


def _nanoseconds(value: Any, field: str) -> int:
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise OtlpFormatError(f"{field} must be nanoseconds since the epoch, got {value!r}") from None
    if number <= 0:
        raise OtlpFormatError(f"{field} must be a positive number of nanoseconds, got {value!r}")
    return number


def _list(container: Any, key: str, where: str) -> list[Any]:
    if not isinstance(container, dict):
        raise OtlpFormatError(f"{where} must be an object")
    snake = "".join(f"_{c.lower()}" if c.isupper() else c for c in key)
    value = container.get(key, container.get(snake)) or []
    if not isinstance(value, list):
        raise OtlpFormatError(f"{where}.{key} must be a list")
    return value


class OtlpSession(TraceSession):
    """A trace session written with whole rows (spans that already ended) rather than live CallRecords."""

    def write_calls(self, calls: list[dict[str, Any]]) -> None:
        """Store `calls` durably: values encoded as @sg.op's (redaction, large values by reference)."""
        columns = {name: [call[name] for call in calls] for name in CALL_SCHEMA.names}
        # As @sg.op records arguments: secrets redacted by name (at any depth), large values by reference.
        columns["inputs"] = [
            to_json({key: encode_named(key, value, self) for key, value in inputs.items()})
            for inputs in columns["inputs"]
        ]
        for name in ("output", "attributes", "usage"):
            columns[name] = [None if v is None else to_json(encode(v, self)) for v in columns[name]]
        batch = pa.RecordBatch.from_pydict(columns, schema=CALL_SCHEMA)
        with self._lock:  # the writer thread's lock: the frame and its objects go out in one flush
            self._unstored.append(encode_batch(batch))
            self._write_pending(raise_errors=True)


class OtlpReceiver:
    """One open OtlpSession per (store root, project), created on its first spans, closed at exit."""

    def __init__(self) -> None:
        self._sessions: dict[tuple[str, str], OtlpSession] = {}
        self._lock = threading.Lock()
        atexit.register(self.close)

    def write(self, root: str | os.PathLike[str], by_project: dict[str, list[dict[str, Any]]]) -> int:
        """Store each project's calls; return how many were stored."""
        for project, calls in by_project.items():
            if calls:
                self._session(os.fspath(root), project).write_calls(calls)
        return sum(map(len, by_project.values()))

    def _session(self, root: str, project: str) -> OtlpSession:
        with self._lock:
            session = self._sessions.get((root, project))
            if session is None or session.closed:
                stamp = time.strftime("%Y%m%d-%H%M%S", time.gmtime())
                session = OtlpSession(root, project, f"otlp-{stamp}-{secrets.token_hex(4)}")
                self._sessions[(root, project)] = session
            return session

    def close(self) -> None:
        """Close every session (writes their calls.parquet)."""
        with self._lock:
            sessions, self._sessions = list(self._sessions.values()), {}
        for session in sessions:
            session.close()
