"""The rows zoom windows read: per metric, one native DuckDB database holding the runs windows asked for.

A window's cost must grow with the runs and the range it asks for, not with the project (10,000 runs in a
bucket, of which a chart shows 100). So each request looks up only its own runs (a stat of each run's source
file, run_reads.requested_runs), loads the runs it has not seen or whose file changed, and queries those runs
alone. A run is held with the mark of what it was read from: its history.parquet (or, for an ended run
without one, its framed log) by size and mtime; a running run by its state alone, since the page holds and
tails its rows (a run that finishes gets its Parquet file, a new mark, and is read again).

Each run's rows go into the table `raw` (run = the run's number here, step, wall, value[, x]) and its M4
pyramid into `levels` (level k: buckets of 2^k steps, MIN_LEVEL up to the run's own top level, above which
every level equals the top one: see window.py). Runs not asked for a while are dropped once the database
holds more than MAX_HELD_ROWS rows.
"""

from __future__ import annotations

import os
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa

from ..base.errors import SpyglassError
from ..base.path_confinement import Roots
from ..charts.m4 import m4_aggregates_sql, m4_merge_sql
from ..store.run_state import effective_state
from ..store.run_store import LOG_FILE, PARQUET_FILE, RunDirectory
from .run_reads import requested_runs
from .series import read_metric

MIN_LEVEL = 3
MAX_HELD_ROWS = 30_000_000  # about 1 GB of rows and pyramid per metric


@dataclass
class HeldRun:
    """A run loaded into a metric's database: its number there, what it was read from, its top level."""

    number: int
    mark: tuple[Any, ...]
    top: int
    rows: int
    used: float = 0.0


@dataclass
class MetricRows:
    """One metric's database and the runs it holds; `lock` guards both (loads and queries)."""

    connection: Any  # duckdb.DuckDBPyConnection
    runs: dict[str, HeldRun] = field(default_factory=dict)
    next_number: int = 0
    rows: int = 0
    created: bool = False  # the tables exist (made from the first rows loaded: their columns)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def hold(
        self, store_root: str, project: str, metric: str, x_metric: str | None, run_ids: list[str],
        roots: Roots | None,
    ) -> list[tuple[int, HeldRun]]:  # fmt: skip
        """(index in run_ids, held run) of each asked run that has rows of the metric, loading the runs
        first asked or changed since; a run no longer in the project is dropped. Call with `lock` held."""
        by_id, _ = requested_runs(store_root, project, run_ids, roots)
        marks = {run_id: _mark(path) for run_id, path in by_id.items()}
        changed = [r for r, mark in marks.items() if r not in self.runs or self.runs[r].mark != mark]
        gone = [r for r in run_ids if r in self.runs and r not in by_id]
        self._drop([r for r in changed + gone if r in self.runs])
        if changed:
            self._load(store_root, project, metric, x_metric, {r: marks[r] for r in changed}, roots)
        now = time.monotonic()
        asked = []
        for index, run_id in enumerate(run_ids):
            held = self.runs.get(run_id)
            if held is not None and held.rows:
                held.used = now
                asked.append((index, held))
        self._evict(set(run_ids))
        return asked

    def _load(
        self, store_root: str, project: str, metric: str, x_metric: str | None,
        marks: dict[str, tuple[Any, ...]], roots: Roots | None,
    ) -> None:  # fmt: skip
        sliced = read_metric(store_root, project, metric, list(marks), x_metric, roots)
        numbers = {}
        for run_id in marks:  # a run without the metric is held too (no rows): asked again, not read again
            numbers[run_id] = self.next_number
            self.runs[run_id] = HeldRun(self.next_number, marks[run_id], MIN_LEVEL, 0)
            self.next_number += 1
        table = sliced.table
        if not table.num_rows:
            return
        read_numbers = np.array([numbers[r] for r in sliced.run_ids], np.int32)
        table = table.set_column(0, "run", pa.array(read_numbers[table.column("run").to_numpy()]))
        tops = self._insert(table)
        for run_id in sliced.run_ids:
            held = self.runs[run_id]
            held.top, held.rows = tops.get(held.number, (MIN_LEVEL, 0))
            self.rows += held.rows

    def _insert(self, table: pa.Table) -> dict[int, tuple[int, int]]:
        """Appends the rows of new runs (ordered by blocks of steps, so zone maps skip what a window misses)
        and their pyramid; {run number: (top level, rows)}."""
        stats = table.group_by("run").aggregate([("step", "min"), ("step", "max"), ("step", "count")])
        tops = {}
        for run, low, high, count in zip(*(stats.column(i).to_pylist() for i in range(4)), strict=True):
            top = max(MIN_LEVEL, max(abs(low), abs(high), 1).bit_length())
            tops[run] = (top, count)
        fresh = pa.table({"run": list(tops), "top": [t for t, _ in tops.values()]},
                         schema=pa.schema([("run", pa.int32()), ("top", pa.int32())]))  # fmt: skip
        db = self.connection
        db.register("incoming", table)
        db.register("fresh", fresh)
        try:
            if not self.created:
                db.execute("CREATE TABLE raw AS SELECT * FROM incoming LIMIT 0")
                db.execute(f"CREATE TABLE levels AS {_first_level_sql()} LIMIT 0")
                self.created = True
            db.execute("INSERT INTO raw SELECT * FROM incoming")
            db.execute(f"CREATE TEMP TABLE new_levels AS {_first_level_sql()}")
            for level in range(MIN_LEVEL + 1, max(t for t, _ in tops.values()) + 1):
                db.execute(
                    f"INSERT INTO new_levels SELECT {level}, l.run, b >> 1 AS bb, {m4_merge_sql()}, "
                    "sum(y_sum), sum(n) FROM new_levels l JOIN fresh f ON l.run = f.run "
                    f"WHERE lvl = {level - 1} AND f.top >= {level} GROUP BY l.run, bb"
                )
            db.execute("INSERT INTO levels SELECT * FROM new_levels ORDER BY lvl, b, run")
            db.execute("DROP TABLE new_levels")
        finally:
            db.unregister("incoming")
            db.unregister("fresh")
        return tops

    def _drop(self, run_ids: list[str]) -> None:
        if not run_ids:
            return
        listed = ", ".join(str(self.runs[r].number) for r in run_ids)
        for run_id in run_ids:
            self.rows -= self.runs.pop(run_id).rows
        if self.created:
            self.connection.execute(f"DELETE FROM raw WHERE run IN ({listed})")
            self.connection.execute(f"DELETE FROM levels WHERE run IN ({listed})")

    def _evict(self, asked: set[str]) -> None:
        """Drops the runs asked least recently (never those of this request) while over MAX_HELD_ROWS."""
        if self.rows <= MAX_HELD_ROWS:
            return
        dropped, rows = [], self.rows
        for run_id, held in sorted(self.runs.items(), key=lambda item: item[1].used):
            if rows <= MAX_HELD_ROWS:
                break
            if run_id not in asked:
                dropped.append(run_id)
                rows -= held.rows
        self._drop(dropped)


def _first_level_sql() -> str:
    return (
        f"SELECT {MIN_LEVEL}::INTEGER AS lvl, run, step >> {MIN_LEVEL} AS b, "
        f"{m4_aggregates_sql('step', 'value')}, sum(value) AS y_sum, count(*) AS n "
        "FROM incoming WHERE isfinite(value) GROUP BY run, b"
    )


def _mark(path: Path) -> tuple[Any, ...]:
    """What a run's rows are read from: its history.parquet (or, for an ended run without one, its framed log)
    by size and mtime; a running run by its state alone (the page holds its rows)."""
    directory = os.fspath(path)
    try:
        try:
            stat = os.stat(os.path.join(directory, PARQUET_FILE))
        except FileNotFoundError:
            if effective_state(RunDirectory(path).read_metadata()) == "running":
                return ("running",)
            stat = os.stat(os.path.join(directory, LOG_FILE))
    except (OSError, SpyglassError):
        return ("unreadable",)
    return (stat.st_size, stat.st_mtime_ns)
