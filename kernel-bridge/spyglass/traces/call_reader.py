"""Reading a project's calls back: every trace session's rows, the last row of each call (call_rows.py)."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from ..base.errors import StoreError
from ..store.run_store import validate_name
from .call_rows import CALL_SCHEMA, latest_rows
from .trace_session import CALLS_LOG, CALLS_PARQUET, SESSION_FILE, TRACES_DIR, read_log_table_of_calls

SESSION_COLUMN = "session_id"


def session_directories(root: str | os.PathLike[str], project: str) -> list[Path]:
    """The trace sessions of a project (directories with a session.json), sorted by name."""
    traces = Path(root) / validate_name("project", project) / TRACES_DIR
    try:
        entries = sorted(traces.iterdir())
    except (FileNotFoundError, NotADirectoryError):
        return []
    return [entry for entry in entries if not entry.name.startswith(".") and (entry / SESSION_FILE).is_file()]


def read_session_calls(path: Path) -> pa.Table:
    """A session's calls: calls.parquet once the session closed, else the last row per call of its log."""
    parquet = closed_session_parquet(path)
    if parquet is not None:
        return pq.read_table(parquet).select(CALL_SCHEMA.names).cast(CALL_SCHEMA)
    return latest_rows(read_log_table_of_calls(path / CALLS_LOG))


def closed_session_parquet(path: Path) -> Path | None:
    """The session's calls.parquet when the session closed (it then holds every call), else None."""
    parquet = path / CALLS_PARQUET
    return parquet if parquet.is_file() and _state(path) == "finished" else None


def read_project_calls(root: str | os.PathLike[str], project: str) -> pa.Table:
    """Every call of a project, with the session id as a column, ordered by start time."""
    tables = []
    for path in session_directories(root, project):
        table = read_session_calls(path)
        tables.append(
            table.append_column(SESSION_COLUMN, pa.array([path.name] * table.num_rows, pa.string()))
        )
    if not tables:
        return CALL_SCHEMA.append(pa.field(SESSION_COLUMN, pa.string())).empty_table()
    return pa.concat_tables(tables).sort_by([("started_at", "ascending"), ("id", "ascending")])


def _state(path: Path) -> str | None:
    try:
        return json.loads((path / SESSION_FILE).read_bytes()).get("state")
    except (OSError, ValueError) as error:
        raise StoreError(f"{path / SESSION_FILE} is not readable JSON: {error}") from error
