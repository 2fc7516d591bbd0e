"""The table MIME bundle (application/vnd.spyglass.table.v1+json) that a displayed sg.Table returns.

A logged table points at its stored Parquet file. An unlogged one travels inline as base64 Arrow IPC when it
is at most INLINE_LIMIT bytes, otherwise it is written to `<store root>/.tables/<sha16>.parquet` and
referenced
from there; media cells of an unlogged table are written under `<store root>/.tables/media/`.
"""

from __future__ import annotations

import base64
from collections.abc import Iterator
from pathlib import Path
from typing import Any, Protocol

import pyarrow as pa

from ..base.hooks import Hook
from ..base.text_table import format_value, render_table
from ..store.run_store import resolve_store_root
from ..transport.protocol import TABLE_MIME_TYPE
from .media_store import MediaWriter
from .table_storage import table_bytes, write_display_table


class DisplayedTable(Protocol):
    """What the bundle reads of a table shown in a cell (table.py's Table)."""

    columns: list[str]

    def __len__(self) -> int: ...

    def iterrows(self) -> Iterator[tuple[int, list[Any]]]: ...

    def column_types(self) -> list[dict[str, str]]: ...

    def to_arrow(self, writer: MediaWriter | None, key: str, step: int | None) -> pa.Table: ...


INLINE_LIMIT = 2 * 1024 * 1024


def _no_run_dir() -> str | None:
    return None


# The current run's directory, if any: the session, a floor above, provides it.
current_run_dir: Hook[[], str | None] = Hook(_no_run_dir)


TABLES_DIR = ".tables"
_PREVIEW_ROWS = 5


def tables_dir() -> Path:
    """`<store root>/.tables` of the current run's store (else $SPYGLASS_DIR, else ./spyglass)."""
    run_dir = current_run_dir()
    root = Path(run_dir).parent.parent if run_dir else resolve_store_root()
    return root / TABLES_DIR


def table_bundle(table: DisplayedTable, logged: dict[str, Any] | None, holds_media: bool) -> dict[str, Any]:
    """The MIME bundle: the table reference (or inline Arrow) plus a text/plain preview.

    `logged`: where the table was last stored (store_table), else None; `holds_media`: it has media cells.
    """
    columns = table.column_types()
    if logged is not None:
        data = {**logged, "nrows": len(table), "columns": columns, "inline_arrow": None}
    else:
        data = _unlogged(table, columns, holds_media)
    return {TABLE_MIME_TYPE: data, "text/plain": _preview(table)}


def _unlogged(table: DisplayedTable, columns: list[dict[str, str]], holds_media: bool) -> dict[str, Any]:
    directory = tables_dir()
    writer = MediaWriter(directory) if holds_media else None
    arrow = table.to_arrow(writer, "display", None)
    data: dict[str, Any] = {
        "run_dir": str(directory) if writer is not None else None,
        "path": None,
        "key": None,
        "step": None,
        "nrows": arrow.num_rows,
        "columns": columns,
        "inline_arrow": None,
    }
    if arrow.nbytes <= INLINE_LIMIT:
        sink = pa.BufferOutputStream()
        with pa.ipc.new_stream(sink, arrow.schema) as stream:
            stream.write_table(arrow)
        payload = sink.getvalue()
        if payload.size <= INLINE_LIMIT:
            data["inline_arrow"] = base64.b64encode(payload).decode("ascii")
            return data
    data["run_dir"] = str(directory)
    data["path"] = write_display_table(directory, table_bytes(arrow, columns))
    return data


def _preview(table: DisplayedTable) -> str:
    rows = []
    for index, row in table.iterrows():
        if index >= _PREVIEW_ROWS:
            break
        rows.append([format_value(value if not hasattr(value, "_type") else repr(value)) for value in row])
    more = len(table) - len(rows)
    text = render_table(table.columns, rows) if table.columns else "(no columns)"
    return f"{table!r}\n{text}" + (f"\n... {more} more rows" if more > 0 else "")
