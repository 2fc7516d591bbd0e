"""The trace panel's SQL box: one read-only SELECT over the project's `calls` (and `feedback`) views.

Three fences, each enough alone for what it guards:
1. the text must be exactly one statement, a SELECT (DuckDB's own parser says so, not a regex);
2. its parse tree may name only the views `calls` and `feedback` (and its own CTEs): no other table, schema or
   catalog, and no table function at all (`read_csv`, `glob`, `duckdb_settings()`, ...);
3. it runs on a database opened with external access off (no file, network or extension; DuckDB refuses to
   switch it back on), with a memory cap, a row cap and a time limit.
"""

from __future__ import annotations

import datetime
import json
import math
import threading
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc

from ..traces.call_rows import CALL_SCHEMA
from .calls_filters import CallsQueryError
from .calls_index import ProjectCalls
from .calls_sql import database

VIEWS = ("calls", "feedback")
MAX_SQL = 20_000
MAX_ROWS = 10_000
DEFAULT_ROWS = 1_000
TIMEOUT_S = 20.0
_CELL_CHARS = 10_000  # a cell longer than this is cut in the answer (the store keeps it whole)
_CALL_COLUMNS = [*CALL_SCHEMA.names, "session_id"]  # every stored column, and the session
_FEEDBACK_SCHEMA = pa.schema(
    [
        ("id", pa.string()),
        ("call_id", pa.string()),
        ("kind", pa.string()),
        ("value", pa.string()),
        ("creator", pa.string()),
        ("source", pa.string()),
        ("created_at", pa.string()),
    ]
)


def check_select(sql: Any) -> str:
    """The SQL text if it is one SELECT over the allowed views, else CallsQueryError naming the problem."""
    if not isinstance(sql, str) or not sql.strip():
        raise CallsQueryError("sql must be a non-empty SELECT statement over the calls view")
    if len(sql) > MAX_SQL:
        raise CallsQueryError(f"sql is {len(sql):,} characters; at most {MAX_SQL:,} are accepted")
    cursor = database("user").cursor()
    try:
        import duckdb  # present: database() imported it

        try:
            statements = duckdb.extract_statements(sql)
        except duckdb.Error as error:
            raise CallsQueryError(f"the SQL does not parse: {error}") from None
        if len(statements) != 1:
            raise CallsQueryError(f"one statement is accepted, got {len(statements)}")
        if statements[0].type != duckdb.StatementType.SELECT:
            kind = statements[0].type.name
            raise CallsQueryError(f"only a SELECT over the calls view is accepted, got a {kind} statement")
        [tree] = cursor.execute("select json_serialize_sql(?)", [sql]).fetchone()
    finally:
        cursor.close()
    parsed = json.loads(tree)
    if parsed.get("error"):
        raise CallsQueryError(f"only a plain SELECT is accepted: {parsed.get('error_message')}")
    _check_tree(parsed["statements"], set())
    return sql


def _check_tree(node: Any, ctes: set[str]) -> None:
    # CTE names are collected before the tables that may refer to them (a CTE map precedes its query).
    if isinstance(node, list):
        for item in node:
            _check_tree(item, ctes)
        return
    if not isinstance(node, dict):
        return
    for entry in (node.get("cte_map") or {}).get("map", []):
        ctes.add(str(entry.get("key", "")).lower())
    kind = node.get("type")
    if kind == "TABLE_FUNCTION":
        name = (node.get("function") or {}).get("function_name", "?")
        raise CallsQueryError(f"table functions are not allowed ({name}); select from the calls view")
    if kind == "BASE_TABLE":
        name = str(node.get("table_name", "")).lower()
        if node.get("schema_name") or node.get("catalog_name") or name not in (*VIEWS, *ctes):
            raise CallsQueryError(
                f"unknown table {node.get('table_name')!r}: select from {' or '.join(VIEWS)}"
            )
    for value in node.values():
        _check_tree(value, ctes)


def run_user_sql(
    calls: ProjectCalls, feedback: dict[str, list[dict[str, Any]]], sql: str, max_rows: int = DEFAULT_ROWS
) -> dict[str, Any]:
    """{"columns": [{name, type}], "rows": [[cell, ...]], "truncated", "elapsed_ms"}: JSON-safe cells."""
    sql = check_select(sql)
    if not 1 <= max_rows <= MAX_ROWS:
        raise CallsQueryError(f"max_rows must be in 1..{MAX_ROWS}, got {max_rows}")
    views = {"calls": _calls_view(calls), "feedback": _feedback_view(feedback)}
    cursor = database("user").cursor()
    timer = threading.Timer(TIMEOUT_S, cursor.interrupt)
    started = datetime.datetime.now()
    try:
        for name, table in views.items():
            cursor.register(name, table)
        timer.start()
        import duckdb

        try:
            # One row past the cap says whether the answer was cut, without computing the rest.
            table = cursor.sql(sql).limit(max_rows + 1).to_arrow_table()
        except duckdb.InterruptException:
            raise CallsQueryError(f"the query ran over {TIMEOUT_S:.0f} s and was stopped") from None
        except duckdb.Error as error:
            raise CallsQueryError(f"the query failed: {error}") from None
    finally:
        timer.cancel()
        cursor.close()
    truncated = table.num_rows > max_rows
    table = table.slice(0, max_rows)
    elapsed = (datetime.datetime.now() - started).total_seconds() * 1000
    return {
        "columns": [{"name": f.name, "type": str(f.type)} for f in table.schema],
        "rows": [[_cell(value) for value in row.values()] for row in table.to_pylist()],
        "truncated": truncated,
        "elapsed_ms": round(elapsed, 1),
    }


def _calls_view(calls: ProjectCalls) -> pa.Table:
    tables = [session.calls().select(_CALL_COLUMNS) for session in calls.sessions]
    if not tables:
        return CALL_SCHEMA.append(pa.field("session_id", pa.string())).empty_table().select(_CALL_COLUMNS)
    table = pa.concat_tables(tables)
    latency = pc.divide(
        pc.subtract(table["ended_at"].cast(pa.int64()), table["started_at"].cast(pa.int64())), 1e6
    )
    return table.append_column("latency", latency)


def _feedback_view(feedback: dict[str, list[dict[str, Any]]]) -> pa.Table:
    rows = [entry for entries in feedback.values() for entry in entries]
    return pa.Table.from_pylist(
        [{name: entry.get(name) for name in _FEEDBACK_SCHEMA.names} for entry in rows], _FEEDBACK_SCHEMA
    )


def _cell(value: Any) -> Any:
    """A JSON-safe cell: times as ISO text, non-finite floats as text, long text cut."""
    if isinstance(value, float) and not math.isfinite(value):
        return str(value)
    if isinstance(value, (int, float, bool)) or value is None:
        return value
    if isinstance(value, (datetime.datetime, datetime.date, datetime.time)):
        return value.isoformat()
    if isinstance(value, bytes):
        value = value.hex()
    elif not isinstance(value, str):
        value = json.dumps(value, default=str) if isinstance(value, (list, dict)) else str(value)
    if len(value) > _CELL_CHARS:
        return f"{value[:_CELL_CHARS]}… ({len(value) - _CELL_CHARS:,} more characters)"
    return value
