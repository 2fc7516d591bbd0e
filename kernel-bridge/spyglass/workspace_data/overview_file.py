"""A finished run's overview.arrow: the M4 pyramid levels the workspace's first chart reads, per metric.

The first chart of a metric across 1,000 runs × 100k steps read 100M rows (80 s) to draw ~200 buckets per run.
When a run finishes, its history.parquet is read once more and every numeric column's overview levels are
written next to it (overview.py's own functions on series.py's own projection, so a stored level is
bit-for-bit what the overview computes from the rows): levels top - SPAN … top, where top is the first level
holding all the run's steps in one bucket (any higher level has the same rows). The page asks for at most
1,000 buckets (packages/store/src/workspace/query.ts MAX_BUCKETS), so a level below top - SPAN is never
needed in practice; a request that needs one reads the history instead.

An Arrow IPC file (LZ4 buffers), one record batch per metric and level, a metric's levels in a row from its
first one: opened memory-mapped, a read decodes the footer and one batch (~200 rows), where a Parquet file's
footer and row group took ~10 times as long.
It is a cache derived from history.parquet (delete it and the first chart reads the rows); engines other
than Spyglass read history.parquet. The schema metadata key b"spyglass_overview" holds JSON {"format",
"history": fingerprint of the history.parquet it was computed from, "columns": every column of that
history, "metrics": {name: {"edge", "stats", "levels": [first, top], "batch": its first level's}}}. A
file whose fingerprint does not match the history next to it is ignored (a crash between the two writes, a
history replaced).
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import crc32c
import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

from ..base.atomic_file import atomic_output
from ..store.mirror_state import overview_from_bucket
from ..store.run_store import OVERVIEW_FILE, RunDirectory
from .overview import LEVEL_SCHEMA, MIN_LEVEL, m4_level, run_stats, sorted_points, step_edge
from .series import check_numeric, project_metric

FORMAT = 1
SPAN = 10  # levels kept below the top: a level for any bucket count up to 2^SPAN
MAX_METRICS = 1_000  # numeric columns; past either bound finish() writes no file (_worth_writing)
MAX_VALUES = 5_000_000  # numeric columns x rows: about 3 s of finish() here
META_KEY = b"spyglass_overview"
_TAIL_BYTES = 4096
FILE_SCHEMA = pa.schema([f for f in LEVEL_SCHEMA if f.name != "run"])
_EMPTY = pa.RecordBatch.from_pylist([], schema=FILE_SCHEMA)
# A level row's M4 columns, in the order zoom windows answer them (window.py WINDOW_SCHEMA after run and q).
M4_COLUMNS = ("x_first", "y_first", "x_last", "y_last", "x_min", "y_min", "x_max", "y_max", "y_sum", "n")


def history_fingerprint(path: Path) -> dict[str, int]:
    """Size and CRC32C of the last 4 KiB of a history (its Parquet footer: row group offsets, statistics)."""
    with open(path, "rb") as f:
        size = os.fstat(f.fileno()).st_size
        f.seek(max(0, size - _TAIL_BYTES))
        return {"bytes": size, "tail_crc32c": crc32c.crc32c(f.read())}


def _worth_writing(metadata: pq.FileMetaData) -> bool:
    # finish() pays about 0.6 s per million values for this file (and per column on top): a run far wider or
    # longer than the first chart's use case would wait seconds to minutes at finish() (100k keys in one row
    # took minutes), so such a run gets no file and its readers read the history, as for an older run.
    schema = metadata.schema.to_arrow_schema()
    numeric = sum(
        1
        for f in schema
        if f.name != "_step"
        and (pa.types.is_integer(f.type) or pa.types.is_floating(f.type) or pa.types.is_boolean(f.type))
    )
    return numeric <= MAX_METRICS and numeric * metadata.num_rows <= MAX_VALUES


def write_overview(run: RunDirectory) -> Path | None:
    """Write the run's overview.arrow from its history.parquet (atomically; an older one is removed first,
    so none is left describing another history). None, and no file, when the history has no usable step."""
    path = run.path / OVERVIEW_FILE
    path.unlink(missing_ok=True)
    if not _worth_writing(pq.ParquetFile(run.parquet_path).metadata):
        return None
    fingerprint = history_fingerprint(run.parquet_path)
    history = pq.read_table(run.parquet_path)
    if "_step" not in history.schema.names or history.column("_step").null_count:
        return None
    metrics: dict[str, dict[str, Any]] = {}
    batches: list[pa.RecordBatch] = []
    for name in history.schema.names:
        if name == "_step" or isinstance(check_numeric(history, name), str):
            continue  # a reader of a non-numeric column reads the history and says why it is skipped
        table = project_metric(history, name, None, 0)
        steps, values, finite = sorted_points(table)
        top = max(MIN_LEVEL, int(np.abs(steps).max()).bit_length()) if len(steps) else MIN_LEVEL
        first = max(MIN_LEVEL, top - SPAN)
        entry = {
            "edge": step_edge(table.column("step").to_numpy()),
            "stats": run_stats(steps, finite),
            "levels": [first, top],
            "batch": None,
        }
        if finite.any():
            entry["batch"] = len(batches)
            for lvl in range(first, top + 1):
                level = m4_level(0, steps[finite], values[finite], lvl).drop_columns(["run"])
                batches.append(level.combine_chunks().to_batches()[0])
        metrics[name] = entry
    meta = {"format": FORMAT, "history": fingerprint, "columns": history.schema.names, "metrics": metrics}
    schema = FILE_SCHEMA.with_metadata({META_KEY: json.dumps(meta).encode()})
    options = pa.ipc.IpcWriteOptions(compression="lz4")
    with atomic_output(path) as out, pa.ipc.new_file(out, schema, options=options) as writer:
        for batch in batches:
            writer.write_batch(batch)
    return path


@dataclass
class StoredOverview:
    """A run's overview.arrow that matches its history: the history's columns, each metric's entry."""

    file: pa.ipc.RecordBatchFileReader
    columns: frozenset[str]
    metrics: dict[str, dict[str, Any]]

    def level_rows(self, metric: str, level: int) -> pa.RecordBatch | None:
        """The metric's M4 rows at `level` (FILE_SCHEMA; above the top they are the top's, `lvl` saying so);
        None when the file does not hold that level (finer than the finest kept: read the history instead)."""
        entry = self.metrics[metric]
        first, top = entry["levels"]
        if level < first:
            return None
        if entry["batch"] is None:
            return _EMPTY
        return self.file.get_batch(entry["batch"] + min(level, top) - first)

    def levels(self, metric: str) -> StoredLevels | None:
        """Every stored level of `metric` copied out of the file (the file can then be closed: a zoom holds
        1,000 runs' levels, not 1,000 open files); None when it has no finite point."""
        entry = self.metrics[metric]
        if entry["batch"] is None:
            return None
        first, top = entry["levels"]
        levels = []
        for index in range(entry["batch"], entry["batch"] + top - first + 1):
            batch = self.file.get_batch(index)
            points = np.column_stack(
                [batch.column(name).to_numpy().astype(np.float64) for name in M4_COLUMNS]
            )
            levels.append((batch.column("b").to_numpy().copy(), points))
        return StoredLevels(first, top, levels)


@dataclass(frozen=True)
class StoredLevels:
    """One metric's stored levels first … top, each (bucket numbers b, float64 matrix of M4_COLUMNS), rows in
    bucket order."""

    first: int
    top: int
    levels: list[tuple[np.ndarray, np.ndarray]]  # level first + i at i

    def level_rows(self, level: int) -> tuple[np.ndarray, np.ndarray] | None:
        """The rows of `level` (above the top: the top's, the same buckets), None when finer than stored."""
        if level < self.first:
            return None
        return self.levels[min(level, self.top) - self.first]


def open_overview(run: RunDirectory) -> StoredOverview | None:
    """The run's overview.arrow when it exists and was computed from the history.parquet next to it (or, in
    a bucket store's mirror before that history is pulled, from the bucket's); None
    otherwise, also for a damaged one (the reader then reads the history, which is never worse)."""
    path = run.path / OVERVIEW_FILE
    if not path.is_file():
        return None
    # A bucket run's first chart pulls the overview alone; the mirror vouches that it matches the bucket's
    # history (mirror_state.overview_from_bucket) until that history is here to check it against.
    history_here = run.parquet_path.is_file()
    if not history_here and not overview_from_bucket(run.path):
        return None
    try:
        file = pa.ipc.open_file(pa.memory_map(str(path)))
        meta = json.loads((file.schema.metadata or {}).get(META_KEY, b"{}"))
        if meta.get("format") != FORMAT:
            return None
        if history_here and meta.get("history") != history_fingerprint(run.parquet_path):
            return None
        return StoredOverview(file, frozenset(meta["columns"]), meta["metrics"])
    except (OSError, pa.ArrowException, ValueError, KeyError, TypeError):
        return None
