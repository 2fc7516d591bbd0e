"""A trace panel output as report blocks: the project's root calls and the call tree of the newest trace.

Static tables read from the store when the report is built (the runtime draws every cell with textContent, so
model outputs and tool arguments stay text); values are cut to CELL_TEXT_LIMIT characters.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pyarrow as pa

from ..base.errors import SpyglassError
from ..traces.call_reader import read_project_calls
from . import messages
from .budgets import CELL_TEXT_LIMIT, TRACE_ROOTS_SHOWN, TRACE_TREE_ROWS

_ROOT_COLUMNS = ("op", "started (UTC)", "latency (s)", "status", "calls", "tokens", "cost", "output")
_TREE_COLUMNS = ("call", "latency (s)", "status", "inputs", "output", "exception")


def trace_blocks(bundle: dict[str, Any], root: Path | None, places: list[Path]) -> list[dict[str, Any]]:
    """[root calls table, newest trace's tree table], or a notice saying why there is nothing to show."""
    project = str(bundle.get("project", ""))
    if root is None:
        text = messages.TRACES_NOT_REACHABLE.format(
            project=project, places=", ".join(str(p / project) for p in places)
        )
        return [_notice(text)]
    try:
        calls = read_project_calls(root, project).to_pylist()
    except (SpyglassError, OSError, ValueError, pa.ArrowException) as error:
        return [_notice(messages.TRACES_UNREADABLE.format(project=project, error=error))]
    if not calls:
        return [_notice(messages.TRACES_EMPTY.format(project=project))]
    by_trace: dict[str, list[dict[str, Any]]] = {}
    for call in calls:
        by_trace.setdefault(call["trace_id"], []).append(call)
    roots = sorted((c for c in calls if c["parent_id"] is None), key=lambda c: c["started_at"], reverse=True)
    shown = roots[:TRACE_ROOTS_SHOWN]
    rows = [_root_row(call, by_trace.get(call["trace_id"], [call])) for call in shown]
    note = (
        messages.TRACES_MORE_ROOTS.format(shown=len(shown), total=len(roots))
        if len(roots) > len(shown)
        else None
    )
    blocks = [
        _table(messages.TRACES_ROOTS_TITLE.format(project=project), _ROOT_COLUMNS, rows, len(roots), note)
    ]
    if shown:
        newest = shown[0]
        blocks.append(_tree_block(newest, by_trace.get(newest["trace_id"], [newest])))
    return blocks


def _tree_block(root: dict[str, Any], calls: list[dict[str, Any]]) -> dict[str, Any]:
    children: dict[str | None, list[dict[str, Any]]] = {}
    for call in calls:
        children.setdefault(call["parent_id"], []).append(call)
    rows: list[list[Any]] = []
    stack = [(root, 0)]
    while stack and len(rows) < TRACE_TREE_ROWS:  # depth first, children in start order
        call, depth = stack.pop()
        rows.append(
            [
                "· " * depth + call["op_name"],
                _latency(call),
                call["status"],
                _cut(call["inputs"]),
                _cut(call["output"]),
                _cut(call["exception"]),
            ]
        )
        kids = sorted(children.get(call["id"], []), key=lambda c: c["started_at"])
        stack.extend((kid, depth + 1) for kid in reversed(kids))
    note = None
    if len(calls) > len(rows):
        note = messages.TRACES_MORE_CALLS.format(shown=len(rows), total=len(calls), limit=TRACE_TREE_ROWS)
    title = messages.TRACES_TREE_TITLE.format(op_name=root["op_name"], trace_id=root["trace_id"])
    return _table(title, _TREE_COLUMNS, rows, len(calls), note)


def _root_row(call: dict[str, Any], trace: list[dict[str, Any]]) -> list[Any]:
    tokens = 0
    for member in trace:
        usage = _json(member["usage"])
        if isinstance(usage, dict):
            tokens += sum(
                v
                for k, v in usage.items()
                if k in ("input_tokens", "output_tokens") and isinstance(v, int | float)
            )
    costs = [m["cost"] for m in trace if m["cost"] is not None]
    started = call["started_at"]
    return [
        call["op_name"],
        started.strftime("%Y-%m-%d %H:%M:%S") if started is not None else None,
        _latency(call),
        call["status"],
        len(trace),
        tokens or None,
        round(sum(costs), 6) if costs else None,
        _cut(call["output"] if call["exception"] is None else call["exception"]),
    ]


def _table(
    title: str, columns: tuple[str, ...], rows: list[list[Any]], total: int, note: str | None
) -> dict[str, Any]:
    return {
        "kind": "table",
        "title": title,
        "columns": [{"name": name, "type": "string"} for name in columns],
        "data": [[row[i] for row in rows] for i in range(len(columns))],
        "nrows": total,
        "note": note,
    }


def _latency(call: dict[str, Any]) -> float | None:
    if call["started_at"] is None or call["ended_at"] is None:
        return None
    return round((call["ended_at"] - call["started_at"]).total_seconds(), 3)


def _json(text: str | None) -> Any:
    if text is None:
        return None
    try:
        return json.loads(text)
    except ValueError:
        return None


def _cut(text: str | None) -> str | None:
    if text is None or len(text) <= CELL_TEXT_LIMIT:
        return text
    return text[:CELL_TEXT_LIMIT] + f"… ({len(text):,} characters)"


def _notice(text: str) -> dict[str, Any]:
    return {"kind": "notice", "text": text, "detail": None}
