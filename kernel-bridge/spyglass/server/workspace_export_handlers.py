"""POST /spyglass/api/v1/workspace_export: the workspace's runs table as a Parquet file (issue 4).

The page's DuckDB-WASM cannot write Parquet without its parquet extension, which would have to be fetched from
extensions.duckdb.org; the server has pyarrow, so the page sends the table it shows and gets Parquet back.
"""

from __future__ import annotations

import asyncio
import io
import json
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
import tornado.web
from jupyter_server.auth.decorator import authorized

from .api_handler import SpyglassAPIHandler

# A runs table of thousands of runs with hundreds of columns stays well below this.
MAX_EXPORT_BYTES = 64 * 1024 * 1024


class ExportRequestError(ValueError):
    """The export body is not `{"columns": [str], "rows": [[value]]}`."""


def _column(values: list[Any]) -> pa.Array:
    """One typed column: booleans, integers, floats, lists of strings, else text (mixed types become text)."""
    present = [v for v in values if v is not None]
    if all(isinstance(v, bool) for v in present):
        return pa.array(values, pa.bool_())
    if all(isinstance(v, int) and not isinstance(v, bool) for v in present):
        return pa.array(values, pa.int64())
    if all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in present):
        return pa.array([None if v is None else float(v) for v in values], pa.float64())
    if present and all(isinstance(v, list) and all(isinstance(x, str) for x in v) for v in present):
        return pa.array(values, pa.list_(pa.string()))
    return pa.array(
        [None if v is None else v if isinstance(v, str) else json.dumps(v) for v in values], pa.string()
    )


def table_parquet(body: bytes) -> bytes:
    """Parquet (zstd) of the table in an export request body; raises ExportRequestError for a bad body."""
    try:
        request = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise ExportRequestError(f"the export body is not JSON: {error}") from None
    columns = request.get("columns") if isinstance(request, dict) else None
    rows = request.get("rows") if isinstance(request, dict) else None
    if not isinstance(columns, list) or not all(isinstance(c, str) for c in columns):
        raise ExportRequestError("'columns' must be a list of column names")
    if len(set(columns)) != len(columns):
        raise ExportRequestError("'columns' must not repeat a name")
    if not isinstance(rows, list) or not all(isinstance(r, list) and len(r) == len(columns) for r in rows):
        raise ExportRequestError("'rows' must be a list of rows, each with one value per column")
    arrays = [_column([row[i] for row in rows]) for i in range(len(columns))]
    table = pa.Table.from_arrays(arrays, names=columns)
    out = io.BytesIO()
    pq.write_table(table, out, compression="zstd")
    return out.getvalue()


class WorkspaceExportHandler(SpyglassAPIHandler):
    """POST {"columns": [...], "rows": [[...]]} → application/vnd.apache.parquet."""

    @tornado.web.authenticated
    @authorized
    async def post(self) -> None:
        body = self.request.body
        if len(body) > MAX_EXPORT_BYTES:
            return self._fail(413, f"the table is {len(body)} bytes; at most {MAX_EXPORT_BYTES} are accepted")
        try:
            parquet = await asyncio.to_thread(table_parquet, body)
        except ExportRequestError as error:
            return self._fail(400, str(error))
        except (pa.ArrowException, ValueError) as error:
            return self._fail(400, f"the table cannot be written as Parquet: {error}")
        self.set_header("Content-Type", "application/vnd.apache.parquet")
        self.set_header("Cache-Control", "no-store")
        self.finish(parquet)
