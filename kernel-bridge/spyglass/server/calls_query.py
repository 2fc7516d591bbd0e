"""The trace panel's two reads: a page of root calls (filtered, newest first) and every call of one trace.

A trace's calls carry their values as the JSON text the store holds (`inputs_json`, `output_json`, ...):
nothing is parsed or re-encoded on the way (a 10k-call tree costs one encode of short strings) and the page
parses only the call it shows. A value longer than the limit is parsed and cut down (long strings, long lists)
and flagged `<name>_truncated`; the store keeps the whole value (docs/server-api.md#calls).
"""

from __future__ import annotations

import json
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc

from .calls_index import ProjectCalls
from .calls_sql import run_sql

STATUSES = ("success", "error", "running", "unfinished")
DEFAULT_PAGE = 100
MAX_PAGE = 1000
DEFAULT_VALUE_LIMIT = 65_536
VALUE_LIMITS = (1_000, 10_000_000)
# A tree larger than this is answered in start order up to it, with calls_truncated.
MAX_TREE_CALLS = 50_000
_LIST_ITEMS = 100  # items kept of a list or object inside a value over the limit
_EXCEPTION_SUMMARY = 300


class CallsQueryError(ValueError):
    """A query argument the calls endpoints cannot use (answered as a 400 naming it)."""


def list_roots(
    calls: ProjectCalls,
    *,
    op_name: str | None = None,
    status: str | None = None,
    text: str | None = None,
    offset: int = 0,
    limit: int = DEFAULT_PAGE,
) -> dict[str, Any]:
    """{"total", "offset", "calls": [root call, ...]} of the roots that pass every filter given."""
    if status is not None and status not in STATUSES:
        raise CallsQueryError(f"status must be one of {', '.join(STATUSES)}, got {status!r}")
    if offset < 0 or not 1 <= limit <= MAX_PAGE:
        raise CallsQueryError(f"offset must be >= 0 and limit in 1..{MAX_PAGE}, got {offset} and {limit}")
    roots = calls.roots
    order = calls.newest_first
    mask = None
    for condition in (
        pc.equal(roots["op_name"], op_name) if op_name else None,
        pc.equal(roots["status"], status) if status else None,
        pc.match_substring(roots["search"], text.lower()) if text else None,
    ):
        if condition is not None:
            mask = condition if mask is None else pc.and_(mask, condition)
    if mask is not None:
        order = order.filter(pc.fill_null(pc.take(mask, order), False))
    page = roots.take(order[offset : offset + limit]).drop_columns(["search"])
    return {"total": len(order), "offset": offset, "calls": [_root_row(row) for row in page.to_pylist()]}


def op_names(calls: ProjectCalls) -> list[str]:
    """The ops of the project's root calls, sorted (for the panel's op filter)."""
    return sorted(name for name in pc.unique(calls.roots["op_name"]).to_pylist() if name is not None)


_VALUES = ("inputs", "output", "attributes", "usage")
# One JSON object per call, joined in start order, all inside DuckDB (a 10k-call tree never becomes Python
# objects); the values go in as JSON strings, `<name>_json`.
_CALL_FIELDS = ", ".join(
    [
        *(f"'{name}': {name}" for name in ("id", "trace_id", "parent_id", "op_name", "status")),
        "'started_at': epoch_us(started_at) / 1e6",
        "'ended_at': epoch_us(ended_at) / 1e6",
        "'latency': (epoch_us(ended_at) - epoch_us(started_at)) / 1e6",
        *(
            f"'{name}': {name}"
            for name in ("exception", "cost", "thread_name", "task", "run_id", "session_id")
        ),
        *(f"'{n}_json': {n}, '{n}_truncated': {n}_truncated, '{n}_size': {n}_size" for n in _VALUES),
    ]
)
_TRACE_SQL = (
    f"select string_agg(to_json({{{_CALL_FIELDS}}})::varchar, ',' order by started_at, id) from calls"
)


def trace_json(calls: ProjectCalls, trace_id: str, value_limit: int = DEFAULT_VALUE_LIMIT) -> str | None:
    """{"trace_id", "calls": [...], "calls_truncated"} as JSON text, in start order; None if no such trace."""
    low, high = VALUE_LIMITS
    if not low <= value_limit <= high:
        raise CallsQueryError(f"value_limit must be in {low}..{high}, got {value_limit}")
    for session in calls.sessions:
        rows = session.calls.filter(pc.equal(session.calls["trace_id"], trace_id))
        if rows.num_rows:
            break
    else:
        return None
    truncated = rows.num_rows > MAX_TREE_CALLS
    rows = rows.sort_by([("started_at", "ascending"), ("id", "ascending")]).slice(0, MAX_TREE_CALLS)
    for name in _VALUES:
        rows = _with_cut_values(rows, name, value_limit)
    [joined] = run_sql(_TRACE_SQL, {"calls": rows}).column(0).to_pylist()
    head = json.dumps({"trace_id": trace_id, "calls_truncated": truncated})[:-1]
    return f'{head}, "calls": [{joined}]}}'


def _with_cut_values(rows: pa.Table, name: str, value_limit: int) -> pa.Table:
    """Column `name` with its values over the limit cut down, plus `<name>_truncated` and `<name>_size`."""
    column = rows[name].combine_chunks()
    lengths = pc.utf8_length(column)
    over = pc.fill_null(pc.greater(lengths, value_limit), False)
    if pc.any(over).as_py():
        cut = [json.dumps(_cut_value(text, value_limit)) for text in column.filter(over).to_pylist()]
        column = pc.replace_with_mask(column, over, pa.array(cut, pa.string()))
    rows = rows.set_column(rows.schema.get_field_index(name), name, column)
    rows = rows.append_column(f"{name}_truncated", over)
    return rows.append_column(f"{name}_size", pc.if_else(over, lengths, pa.scalar(None, lengths.type)))


def _seconds(value) -> float | None:
    return None if value is None else value.timestamp()


def _latency(row: dict[str, Any]) -> float | None:
    if row["ended_at"] is None:
        return None
    return (row["ended_at"] - row["started_at"]).total_seconds()


def _root_row(row: dict[str, Any]) -> dict[str, Any]:
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
