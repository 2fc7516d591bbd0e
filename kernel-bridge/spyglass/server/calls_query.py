"""The trace panel's two reads: a page of root calls (filtered, newest first) and every call of one trace.

A trace's calls carry their values as the JSON text the store holds (`inputs_json`, `output_json`, ...):
nothing is parsed or re-encoded on the way (a 10k-call tree costs one encode of short strings) and the page
parses only the call it shows. A value longer than the limit is parsed and cut down (long strings, long lists)
and flagged `<name>_truncated`; the store keeps the whole value (docs/server-api.md#calls).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc

from .calls_filters import STATUSES, CallsQueryError, RootFilters, feedback_by_trace, root_mask
from .calls_index import ProjectCalls
from .calls_sql import run_sql

__all__ = [
    "STATUSES",
    "CallsQueryError",
    "RootFilters",
    "list_roots",
    "op_names",
    "trace_arrow",
    "trace_json",
]

DEFAULT_PAGE = 100
MAX_PAGE = 1000
DEFAULT_VALUE_LIMIT = 65_536
VALUE_LIMITS = (1_000, 10_000_000)
# A tree larger than this is answered in start order up to it, with calls_truncated.
MAX_TREE_CALLS = 50_000
_LIST_ITEMS = 100  # items kept of a list or object inside a value over the limit
_EXCEPTION_SUMMARY = 300


def list_roots(
    calls: ProjectCalls,
    filters: RootFilters | None = None,
    *,
    offset: int = 0,
    limit: int = DEFAULT_PAGE,
    entries: Mapping[str, list[dict[str, Any]]] | None = None,
    **filter_values: str | None,
) -> dict[str, Any]:
    """{"total", "offset", "calls": [root call, ...]} of the roots that pass every filter given.

    `entries` is the project's feedback, {call id: entries}: each root gets its trace's summary (or None).
    Filters come as a RootFilters or as its fields by keyword (op_name=, status=, text=, ...).
    """
    filters = filters or RootFilters(**filter_values)
    if offset < 0 or not 1 <= limit <= MAX_PAGE:
        raise CallsQueryError(f"offset must be >= 0 and limit in 1..{MAX_PAGE}, got {offset} and {limit}")
    by_trace = feedback_by_trace(calls, entries or {})
    order = calls.newest_first
    mask = root_mask(calls, filters, by_trace)
    if mask is not None:
        order = order.filter(pc.fill_null(pc.take(mask, order), False))
    page = calls.roots.take(order[offset : offset + limit])
    rows = [_root_row(row, by_trace.get(row["trace_id"])) for row in page.to_pylist()]
    return {"total": len(order), "offset": offset, "calls": rows}


def op_names(calls: ProjectCalls) -> list[str]:
    """The ops of the project's root calls, sorted (for the panel's op filter)."""
    return sorted(name for name in pc.unique(calls.roots["op_name"]).to_pylist() if name is not None)


_VALUES = ("inputs", "output", "attributes", "usage")
_PLAIN = ("id", "trace_id", "parent_id", "op_name", "status")
_DETAILS = ("exception", "cost", "thread_name", "task", "run_id", "session_id")
# One JSON object per call (the answer table's row), joined in order, all inside DuckDB (a 10k-call tree never
# becomes Python objects).
_TRACE_SQL = "select string_agg(to_json(calls)::varchar, ',' order by started_at, id) from calls"


def trace_table(
    calls: ProjectCalls,
    trace_id: str,
    value_limit: int = DEFAULT_VALUE_LIMIT,
    feedback: Mapping[str, list[dict[str, Any]]] | None = None,
) -> tuple[pa.Table, dict[str, Any]] | None:
    """The trace's calls in start order as the answer's columns (times in epoch seconds, values as the stored
    JSON text `<name>_json`, cut when over the limit), and {"trace_id", "calls_truncated", "feedback"};
    None if no such trace."""
    low, high = VALUE_LIMITS
    if not low <= value_limit <= high:
        raise CallsQueryError(f"value_limit must be in {low}..{high}, got {value_limit}")
    for session in calls.sessions:
        # The listing's ids say which session holds the trace; only that one's values are read.
        if not pc.any(pc.equal(session.ids["trace_id"], trace_id)).as_py():
            continue
        table = session.calls()
        rows = table.filter(pc.equal(table["trace_id"], trace_id))
        break
    else:
        return None
    truncated = rows.num_rows > MAX_TREE_CALLS
    rows = rows.sort_by([("started_at", "ascending"), ("id", "ascending")]).slice(0, MAX_TREE_CALLS)
    columns = {name: rows[name] for name in _PLAIN}
    started, ended = (pc.divide(rows[name].cast(pa.int64()), 1e6) for name in ("started_at", "ended_at"))
    columns |= {"started_at": started, "ended_at": ended, "latency": pc.subtract(ended, started)}
    columns |= {name: rows[name] for name in _DETAILS}
    for name in _VALUES:
        value, over, size = _cut_values(rows, name, value_limit)
        columns |= {f"{name}_json": value, f"{name}_truncated": over, f"{name}_size": size}
    on_calls = {}
    if feedback:
        on_calls = {call_id: feedback[call_id] for call_id in rows["id"].to_pylist() if call_id in feedback}
    return pa.table(columns), {"trace_id": trace_id, "calls_truncated": truncated, "feedback": on_calls}


def trace_json(
    calls: ProjectCalls,
    trace_id: str,
    value_limit: int = DEFAULT_VALUE_LIMIT,
    feedback: Mapping[str, list[dict[str, Any]]] | None = None,
) -> str | None:
    """{"trace_id", "calls_truncated", "feedback": {call id: entries}, "calls": [...]} as JSON text."""
    found = trace_table(calls, trace_id, value_limit, feedback)
    if found is None:
        return None
    table, head = found
    [joined] = run_sql(_TRACE_SQL, {"calls": table}).column(0).to_pylist()
    return f'{json.dumps(head)[:-1]}, "calls": [{joined or ""}]}}'


def trace_arrow(
    calls: ProjectCalls,
    trace_id: str,
    value_limit: int = DEFAULT_VALUE_LIMIT,
    feedback: Mapping[str, list[dict[str, Any]]] | None = None,
) -> bytes | None:
    """The same answer as an Arrow IPC stream: the calls as columns, the head as schema metadata `spyglass`
    (no JSON encoding of 10k calls on the server, no JSON parse of them in the page)."""
    found = trace_table(calls, trace_id, value_limit, feedback)
    if found is None:
        return None
    table, head = found
    table = table.replace_schema_metadata({"spyglass": json.dumps(head)})
    sink = pa.BufferOutputStream()
    with pa.ipc.new_stream(sink, table.schema) as writer:
        writer.write_table(table)
    return sink.getvalue().to_pybytes()


def _cut_values(rows: pa.Table, name: str, value_limit: int) -> tuple[pa.Array, pa.Array, pa.Array]:
    """Column `name` with its values over the limit cut down, whether each was cut, and its stored length."""
    column = rows[name].combine_chunks()
    lengths = pc.utf8_length(column)
    over = pc.fill_null(pc.greater(lengths, value_limit), False)
    if pc.any(over).as_py():
        cut = [json.dumps(_cut_value(text, value_limit)) for text in column.filter(over).to_pylist()]
        column = pc.replace_with_mask(column, over, pa.array(cut, pa.string()))
    return column, over, pc.if_else(over, lengths, pa.scalar(None, lengths.type))


def _seconds(value) -> float | None:
    return None if value is None else value.timestamp()


def _latency(row: dict[str, Any]) -> float | None:
    if row["ended_at"] is None:
        return None
    return (row["ended_at"] - row["started_at"]).total_seconds()


def _root_row(row: dict[str, Any], feedback: dict[str, Any] | None) -> dict[str, Any]:
    exception = row["exception"]
    return {
        "id": row["id"],
        "trace_id": row["trace_id"],
        "op_name": row["op_name"],
        "status": row["status"],
        "started_at": _seconds(row["started_at"]),
        "ended_at": _seconds(row["ended_at"]),
        "latency": _latency(row),
        "exception": exception if exception is None else _clip(exception, _EXCEPTION_SUMMARY),
        "input_tokens": row["input_tokens"],
        "output_tokens": row["output_tokens"],
        "total_tokens": row["total_tokens"],
        "cost": row["cost"],
        "call_count": row["call_count"],
        "session_id": row["session_id"],
        "run_id": row["run_id"],
        "feedback": feedback,
    }


def _cut_value(stored: str, value_limit: int) -> Any:
    """A stored value over the limit, cut down (long strings, long lists) to fit; non-JSON text as text."""
    try:
        value = json.loads(stored)
    except ValueError:
        return _clip(stored, value_limit)
    cut = _cut(value, max(200, value_limit // 8), 0)
    if len(json.dumps(cut)) > value_limit:  # many strings just under the cut: a prefix of the text instead
        cut = {"_type": "truncated", "preview": _clip(stored, value_limit // 2)}
    return cut


def _cut(value: Any, string_limit: int, depth: int) -> Any:
    if isinstance(value, str):
        return _clip(value, string_limit)
    if depth > 40:
        return "…"
    if isinstance(value, list):
        kept = [_cut(item, string_limit, depth + 1) for item in value[:_LIST_ITEMS]]
        return kept + ([f"… {len(value) - _LIST_ITEMS} more items"] if len(value) > _LIST_ITEMS else [])
    if isinstance(value, dict):
        items = list(value.items())
        kept = {key: _cut(item, string_limit, depth + 1) for key, item in items[:_LIST_ITEMS]}
        if len(items) > _LIST_ITEMS:
            kept["…"] = f"{len(items) - _LIST_ITEMS} more keys"
        return kept
    return value


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else f"{text[:limit]}… ({len(text) - limit:,} more characters)"
