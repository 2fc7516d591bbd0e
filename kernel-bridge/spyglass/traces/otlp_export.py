"""Calls as OpenTelemetry spans: the OTLP/HTTP JSON encoding of an ExportTraceServiceRequest (docs/otlp.md).

One resource per project (`service.name` = the project), one scope (`spyglass`), one span per call. LLM calls
get the GenAI semantic conventions (otlp_genai.py); every call keeps Spyglass's own attributes
(`spyglass.op_name`, `spyglass.inputs`, `spyglass.output` as JSON, ...) so an export ingested again gives
back the same calls. Ids: otlp_values.py.
"""

from __future__ import annotations

import datetime
import json
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pyarrow as pa

from ..base.atomic_file import output_file
from ..base.version import __version__
from ..store.run_store import resolve_store_root
from .call_reader import read_project_calls
from .call_record import ERROR, SUCCESS
from .otlp_genai import genai_attributes, is_llm_call
from .otlp_values import key_values, span_id_of
from .trace_destination import flush_traces

SCOPE = "spyglass"
SPAN_KIND_INTERNAL = 1
SPAN_KIND_CLIENT = 3  # what the GenAI conventions give a call to a model provider
STATUS_UNSET, STATUS_OK, STATUS_ERROR = 0, 1, 2
_ROW_COLUMNS = ("inputs", "output", "attributes", "usage")
_EPOCH = datetime.datetime(1970, 1, 1, tzinfo=datetime.UTC)


def calls_to_otlp(table: pa.Table, project: str) -> dict[str, Any]:
    """An ExportTraceServiceRequest (OTLP JSON, as a dict) with one span per row of a calls table."""
    for name in ("started_at", "ended_at"):  # whole microseconds as integers: no datetime per row
        table = table.set_column(table.schema.get_field_index(name), name, table[name].cast(pa.int64()))
    spans = [call_span(row) for row in table.to_pylist()]
    resource = {"attributes": key_values({"service.name": project, "spyglass.project": project})}
    scope = {"name": SCOPE, "version": __version__}
    return {"resourceSpans": [{"resource": resource, "scopeSpans": [{"scope": scope, "spans": spans}]}]}


def call_span(row: Mapping[str, Any]) -> dict[str, Any]:
    """One call row (JSON columns as stored text, times as datetimes or epoch microseconds) as a span."""
    values = {name: _decoded(row.get(name)) for name in _ROW_COLUMNS}
    inputs = values["inputs"] if isinstance(values["inputs"], dict) else {}
    user_attributes = values["attributes"] if isinstance(values["attributes"], dict) else {}
    usage = values["usage"] if isinstance(values["usage"], dict) else None
    op_name = row["op_name"]
    attributes: dict[str, Any] = dict(user_attributes)  # sg.attributes() keys as they are
    llm = is_llm_call(op_name, inputs, usage, user_attributes)
    if llm:
        attributes.update(genai_attributes(op_name, inputs, values["output"], usage))
    attributes.update(
        {
            "spyglass.op_name": op_name,
            "spyglass.call_id": row["id"],
            "spyglass.parent_id": row.get("parent_id"),
            "spyglass.status": row["status"],
            "spyglass.inputs": row.get("inputs"),
            "spyglass.output": row.get("output"),
            "spyglass.usage": row.get("usage"),
            "spyglass.cost": row.get("cost"),
            "spyglass.run_id": row.get("run_id"),
            "spyglass.session_id": row.get("session_id"),
            "spyglass.task": row.get("task"),
            "thread.id": row.get("thread_id"),
            "thread.name": row.get("thread_name"),
        }
    )
    started = _nanoseconds(row["started_at"])
    ended = row.get("ended_at")
    span: dict[str, Any] = {
        "traceId": row["trace_id"],
        "spanId": span_id_of(row["id"]),
        "name": _span_name(op_name, attributes) if llm else op_name,
        "kind": SPAN_KIND_CLIENT if llm else SPAN_KIND_INTERNAL,
        "startTimeUnixNano": str(started),
        # A call still running (or unfinished) has no end: OTLP needs one, so it ends where it started and
        # spyglass.status says why.
        "endTimeUnixNano": str(started if ended is None else _nanoseconds(ended)),
        "attributes": key_values(attributes),
        "status": _status(row),
    }
    if row.get("parent_id"):
        span["parentSpanId"] = span_id_of(row["parent_id"])
    if row.get("exception"):
        span["events"] = [_exception_event(row["exception"], span["endTimeUnixNano"])]
    return span


def export_otlp(
    project: str, path: str | os.PathLike[str], *, dir: str | os.PathLike[str] | None = None
) -> int:
    """Write every call of `project` (store `dir`, else $SPYGLASS_DIR, else ./spyglass) to `path`, OTLP JSON.

    The file is one ExportTraceServiceRequest, the body an OTLP/HTTP collector accepts with
    `Content-Type: application/json`. Returns the number of spans. To export some calls only:
    `sg.Api().calls(project, filters=...).write_otlp(path)`.
    """
    flush_traces()  # calls this process made are exported too
    return write_otlp(read_project_calls(resolve_store_root(dir), project), project, path)


def write_otlp(table: pa.Table, project: str, path: str | os.PathLike[str]) -> int:
    """Write `table`'s calls as an OTLP JSON file, atomically (never through a symlink); return the spans."""
    request = calls_to_otlp(table, project)
    with output_file(Path(path)) as out:
        out.write(json.dumps(request, ensure_ascii=False).encode("utf-8"))
    return table.num_rows


def _span_name(op_name: str, attributes: dict[str, Any]) -> str:
    # The conventions name an LLM span "{operation} {model}"; the op name stays in spyglass.op_name.
    model = attributes.get("gen_ai.request.model")
    return f"{attributes['gen_ai.operation.name']} {model}" if model else op_name


def _status(row: Mapping[str, Any]) -> dict[str, Any]:
    if row["status"] == ERROR:
        return {"code": STATUS_ERROR, "message": row.get("exception") or ""}
    return {"code": STATUS_OK} if row["status"] == SUCCESS else {"code": STATUS_UNSET}


def _exception_event(exception: str, time: str) -> dict[str, Any]:
    # The exception semantic conventions: one "exception" event with its type and message.
    kind, _, message = exception.partition(": ")
    attributes = {"exception.type": kind, "exception.message": message}
    return {"timeUnixNano": time, "name": "exception", "attributes": key_values(attributes)}


def _nanoseconds(moment: int | datetime.datetime) -> int:
    # Stored times are whole microseconds (timestamp[us, UTC]): exact integer arithmetic, no float seconds.
    if isinstance(moment, int):
        return moment * 1000
    return (moment - _EPOCH) // datetime.timedelta(microseconds=1) * 1000


def _decoded(text: str | None) -> Any:
    return None if text is None else json.loads(text)
