"""One metric across the runs of a project, as one Arrow table for the workspace's charts.

Only the columns a chart needs are read: Parquet column projection (`_step`, `_timestamp`, the metric and an
optional step metric) for runs that are not running, and the framed log for running (or never exported) runs,
whose last frame seq is returned so the page can tail the log from there. 100 runs × 100k steps × 10 metrics
never load together: a request reads one metric.

Table columns: run (int32, index into `run_ids`), step (int64), wall (float64, unix seconds), value
(float64, NaN and ±inf kept) and, when a step metric is asked for, x (float64). Rows where the run did not log
the metric are left out; rows are ordered by step. The schema metadata key b"spyglass" holds JSON
{"run_ids", "cursors", "skipped"}.
"""

from __future__ import annotations

import json
import os
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from ..base.path_confinement import Roots
from ..store.arrow_codec import decode_payload
from ..store.framed_log import iter_frames
from ..store.run_state import effective_state
from ..store.run_store import RunDirectory
from .run_reads import read_run, requested_runs

SCHEMA_KEY = b"spyglass"
STEP_BLOCK = 8192
READ_THREADS = 4
# An IPC stream ends with the continuation marker and a zero message length.
_END_OF_STREAM = b"\xff\xff\xff\xff\x00\x00\x00\x00"


@dataclass
class MetricSlice:
    """The result of read_metric: the table plus what the page needs to interpret and extend it."""

    table: pa.Table
    run_ids: list[str]
    cursors: dict[str, int] = field(default_factory=dict)
    skipped: dict[str, str] = field(default_factory=dict)
    # Each run's rows (index = run) before the blocks are interleaved, in step order (zero-copy views).
    per_run: list[pa.Table] = field(default_factory=list)

    def ipc_chunks(self, chunk_bytes: int = 8 << 20) -> list[bytes]:
        """The Arrow IPC stream in pieces of about `chunk_bytes`, to write as they come (uncompressed: the JS
        reader used with DuckDB-WASM cannot decompress IPC buffers)."""
        meta = {"run_ids": self.run_ids, "cursors": self.cursors, "skipped": self.skipped}
        schema = self.table.schema.with_metadata({SCHEMA_KEY: json.dumps(meta).encode()})
        chunks: list[bytes] = []
        pending: list[bytes] = [schema.serialize().to_pybytes()]
        size = 0
        for batch in self.table.to_batches():
            piece = batch.serialize().to_pybytes()
            pending.append(piece)
            size += len(piece)
            if size >= chunk_bytes:
                chunks.append(b"".join(pending))
                pending, size = [], 0
        pending.append(_END_OF_STREAM)
        chunks.append(b"".join(pending))
        return chunks

    def to_ipc(self) -> bytes:
        """The whole Arrow IPC stream as one bytes object."""
        return b"".join(self.ipc_chunks())


def output_schema(with_x: bool) -> pa.Schema:
    fields = [("run", pa.int32()), ("step", pa.int64()), ("wall", pa.float64()), ("value", pa.float64())]
    if with_x:
        fields.append(("x", pa.float64()))
    return pa.schema(fields)


def read_metric(
    store_root: str | os.PathLike[str],
    project: str,
    metric: str,
    run_ids: list[str] | None = None,
    x_metric: str | None = None,
    roots: Roots | None = None,
    *,
    wall: bool = True,
) -> MetricSlice:
    """Read `metric` (and `x_metric`) of the project's runs (all, or those in `run_ids`, in that order); with
    `roots`, only runs that stay inside them (run_directories). Without `wall` the wall times are not read
    (the column is null: zoom windows on the step axis need none)."""
    by_id, wanted = requested_runs(store_root, project, run_ids, roots)
    result = MetricSlice(table=output_schema(x_metric is not None).empty_table(), run_ids=[])

    def read_one(run_id: str) -> tuple[str, Any]:
        return run_id, read_run(by_id.get(run_id), lambda run: _read_run(run, metric, x_metric, wall))

    # Parquet decoding releases the GIL: a few threads read several runs at once.
    with ThreadPoolExecutor(max_workers=READ_THREADS) as pool:
        answers = list(pool.map(read_one, wanted))
    tables = []
    for run_id, answer in answers:
        if answer is None:
            continue
        if isinstance(answer, str):
            result.skipped[run_id] = answer
            continue
        columns, cursor = answer
        if cursor is not None:
            result.cursors[run_id] = cursor
        if columns is None:
            continue
        if isinstance(columns, str):
            result.skipped[run_id] = columns
            continue
        index = len(result.run_ids)
        result.run_ids.append(run_id)
        tables.append(project_metric(columns, metric, x_metric, index))
    if tables:
        result.per_run = tables
        result.table = _by_step_blocks(tables)
    return result


def _by_step_blocks(tables: list[pa.Table]) -> pa.Table:
    """Slices of every run's rows by blocks of STEP_BLOCK steps, block after block (zero-copy, no sort).

    Each run's rows are ordered by step, so afterwards any stretch of rows covers a narrow step range:
    DuckDB's zone maps then skip the row groups outside a zoomed step range instead of scanning them all.
    """
    pieces: list[tuple[int, int, pa.Table]] = []
    for index, table in enumerate(tables):
        steps = table.column("step").to_numpy()
        if len(steps) == 0:
            continue
        blocks = steps // STEP_BLOCK
        if np.any(np.diff(blocks) < 0):  # out of order (should not happen): fall back to sorting this run
            table = table.take(pa.array(np.argsort(steps, kind="stable")))
            blocks = np.sort(blocks)
        cuts = np.flatnonzero(np.diff(blocks)) + 1
        starts = np.concatenate(([0], cuts))
        ends = np.concatenate((cuts, [len(blocks)]))
        for start, end in zip(starts, ends, strict=True):
            pieces.append((int(blocks[start]), index, table.slice(int(start), int(end - start))))
    pieces.sort(key=lambda piece: piece[:2])
    return pa.concat_tables([piece[2] for piece in pieces])


def _read_run(
    run: RunDirectory, metric: str, x_metric: str | None, wall: bool = True
) -> tuple[pa.Table | str | None, int | None]:
    """(table with _step, _timestamp, metric[, x_metric] | reason it is unusable | None if absent, cursor)."""
    meta = run.read_metadata()
    running = effective_state(meta) == "running"
    wanted = ["_step"] + (["_timestamp"] if wall else []) + [metric] + ([x_metric] if x_metric else [])
    if not running and run.parquet_path.is_file():
        names = set(pq.read_schema(run.parquet_path).names)
        if metric not in names:
            return None, None
        table = pq.read_table(run.parquet_path, columns=[c for c in wanted if c in names])
        return check_numeric(table, metric), None
    batches, cursor = [], -1
    if run.log_path.exists():
        for frame in iter_frames(run.log_path):
            cursor = frame.seq
            batch = decode_payload(frame.payload)
            if metric in batch.schema.names:
                present = [c for c in wanted if c in batch.schema.names]
                batches.append(pa.Table.from_batches([batch.select(present)]))
    # A running run is tailed from its last frame even when the metric has not appeared yet.
    tail = cursor if running else None
    if not batches:
        return None, tail
    table = pa.concat_tables(batches, promote_options="permissive")
    return check_numeric(table, metric), tail


def check_numeric(table: pa.Table, metric: str) -> pa.Table | str:
    type_ = table.schema.field(metric).type
    if not (pa.types.is_integer(type_) or pa.types.is_floating(type_) or pa.types.is_boolean(type_)):
        return f"{metric!r} is logged as {type_} in this run, not as a number"
    return table


def project_metric(table: pa.Table, metric: str, x_metric: str | None, index: int) -> pa.Table:
    value = table.column(metric).cast(pa.float64())
    n = table.num_rows
    columns = {
        "run": pa.repeat(pa.scalar(index, pa.int32()), n),
        "step": _column(table, "_step", pa.int64(), n),
        "wall": _column(table, "_timestamp", pa.float64(), n),
        "value": value,
    }
    if x_metric is not None:
        columns["x"] = _column(table, x_metric, pa.float64(), n)
    out = pa.table(columns, schema=output_schema(x_metric is not None))
    return out.filter(pc.is_valid(value)) if value.null_count else out


def _column(table: pa.Table, name: str, type_: pa.DataType, n: int) -> pa.ChunkedArray | pa.Array:
    if name in table.schema.names:
        return table.column(name).cast(type_)
    return pa.nulls(n, type_)


def projected_columns(path: Path) -> list[str]:
    """Column names of a run's history.parquet (for tests: what projection could read)."""
    return pq.read_schema(path).names
