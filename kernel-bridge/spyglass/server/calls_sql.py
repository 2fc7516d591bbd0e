"""DuckDB (the `server` extra) for the trace panel's heavy steps: per-trace totals, a trace as JSON."""

from __future__ import annotations

from typing import Any

import pyarrow as pa


class CallsEngineError(RuntimeError):
    """DuckDB is missing from the Jupyter server's environment."""


def run_sql(sql: str, tables: dict[str, pa.Table], params: list[Any] | None = None) -> pa.Table:
    """`sql` over Arrow tables registered under the given names, on a connection of its own (thread safe)."""
    try:
        import duckdb  # the `server` extra: imported here so the server extension loads without it
    except ImportError:
        raise CallsEngineError(
            "the trace panel needs DuckDB in the Jupyter server: pip install 'spyglass[server]'"
        ) from None
    connection = duckdb.connect(":memory:")
    try:
        for name, table in tables.items():
            connection.register(name, table)
        return connection.sql(sql, params=params).to_arrow_table()
    finally:
        connection.close()
