"""The trace panel's two reads: a page of root calls (filtered, newest first) and every call of one trace.

Answers are JSON text built here: a call's inputs and output are already JSON in the store, so one that fits
the value limit is spliced in as stored (no parse, no re-encode: a 10k-call tree costs string joins); a larger
one is parsed and cut down (long strings, long lists) and flagged `<name>_truncated`; the store keeps the
whole value (docs/server-api.md#calls).
"""

from __future__ import annotations

import json
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc

from .calls_index import ProjectCalls

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
    parts = [_call_json(row, value_limit) for row in _rows(rows)]
    head = json.dumps({"trace_id": trace_id, "calls_truncated": truncated})[:-1]
    return f'{head}, "calls": [{",".join(parts)}]}}'


def _rows(table: pa.Table):
    columns = {name: table[name].to_pylist() for name in table.column_names}
    for index in range(table.num_rows):
        yield {name: values[index] for name, values in columns.items()}


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


def _call_json(row: dict[str, Any], value_limit: int) -> str:
    meta = {
        "id": row["id"],
        "trace_id": row["trace_id"],
        "parent_id": row["parent_id"],
        "op_name": row["op_name"],
        "status": row["status"],
        "started_at": _seconds(row["started_at"]),
        "ended_at": _seconds(row["ended_at"]),
        "latency": _latency(row),
        "exception": row["exception"],
        "cost": row["cost"],
        "thread_name": row["thread_name"],
        "task": row["task"],
        "run_id": row["run_id"],
        "session_id": row["session_id"],
    }
    fields = [json.dumps(meta)[:-1]]
    for name in ("inputs", "output", "attributes", "usage"):
        text, truncated = _value_json(row[name], value_limit)
        fields.append(f', "{name}": {text}, "{name}_truncated": {"true" if truncated else "false"}')
        if truncated:
            fields.append(f', "{name}_size": {len(row[name])}')
    return "".join(fields) + "}"


def _value_json(stored: str | None, value_limit: int) -> tuple[str, bool]:
    """The stored JSON as it is when it fits the limit, else a cut-down copy that does."""
    if stored is None:
        return "null", False
    if len(stored) <= value_limit:
        return stored, False
    try:
        value = json.loads(stored)
    except ValueError:
        return json.dumps(_clip(stored, value_limit)), True
    string_limit = max(200, value_limit // 8)
    cut = json.dumps(_cut(value, string_limit, 0))
    if len(cut) > value_limit:  # many strings just under the cut: keep a prefix of the text instead
        cut = json.dumps({"_type": "truncated", "preview": _clip(stored, value_limit // 2)})
    return cut, True


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
