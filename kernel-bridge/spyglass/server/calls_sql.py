"""DuckDB (the `server` extra) for the trace panel: its own heavy steps, and the user's read-only SQL.

Opening a DuckDB database costs 75-300 ms; a cursor of one kept open costs under 10 ms, so each process keeps
two databases and every query runs on a cursor of its own (cursors are separate connections: the tables a
query registers are visible to it alone, so threads do not clash). The user's database is opened with
external access off (no files, no network, no extensions), which DuckDB cannot switch back on while it runs.
"""

from __future__ import annotations

import threading
from typing import Any

import pyarrow as pa


class CallsEngineError(RuntimeError):
    """DuckDB is missing from the Jupyter server's environment."""


_lock = threading.Lock()
_databases: dict[str, Any] = {}
# The user's SQL: no file, network or extension access, a memory cap, two threads.
USER_CONFIG = {
    "enable_external_access": False,
    "autoload_known_extensions": False,
    "autoinstall_known_extensions": False,
    "allow_community_extensions": False,
    "lock_configuration": True,
    "memory_limit": "1GB",
    "threads": 2,
}


def _duckdb() -> Any:
    try:
        import duckdb  # the `server` extra: imported here so the server extension loads without it
    except ImportError:
        raise CallsEngineError(
            "the trace panel needs DuckDB in the Jupyter server: pip install 'spyglass[server]'"
        ) from None
    return duckdb


def database(kind: str) -> Any:
    """The process's database for the panel's own queries ("panel") or the user's ("user")."""
    with _lock:
        if kind not in _databases:
            config = USER_CONFIG if kind == "user" else {}
            _databases[kind] = _duckdb().connect(":memory:", config=config)
        return _databases[kind]


def run_sql(
    sql: str, tables: dict[str, pa.Table], params: list[Any] | None = None, kind: str = "panel"
) -> pa.Table:
    """`sql` over Arrow tables registered under the given names, on a cursor of its own (thread safe)."""
    cursor = database(kind).cursor()
    try:
        for name, table in tables.items():
            cursor.register(name, table)
        return cursor.sql(sql, params=params).to_arrow_table()
    finally:
        cursor.close()
