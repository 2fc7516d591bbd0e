"""The step overview of a metric across runs from the runs' overview.arrow files (overview_file.py).

A finished run with a matching overview.arrow contributes its stored level (~200 rows) instead of its rows
(100k); every other run (running, finished before overview files existed, a level finer than stored, a column
that is not a number) is read from its history or log as before and bucketed by overview.py. The answer is the
one `overview_ipc` gives for a read of all the runs: same runs in the same order, same level, same rows, same
cursors and skip reasons. A project where no run has a stored overview takes the old path unchanged (the read
is then kept for the page's rows request, overview.read_for_overview).
"""

from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import numpy as np
import pyarrow as pa

from ..base.path_confinement import Roots
from ..store.run_state import effective_state
from ..store.run_store import RunDirectory
from .overview import (
    LEVEL_SCHEMA,
    levels_for,
    m4_level,
    overview_ipc,
    overview_stream,
    read_for_overview,
    run_stats,
    sorted_points,
    step_edge,
)
from .overview_file import FILE_SCHEMA, StoredOverview, open_overview
from .run_reads import read_run, requested_runs
from .series import READ_THREADS, MetricSlice, output_schema, read_metric


def step_overview_ipc(
    store_root: str | os.PathLike[str],
    project: str,
    metric: str,
    run_ids: list[str] | None,
    x_metric: str | None,
    buckets: int,
    roots: Roots | None = None,
) -> bytes:
    """The step overview of `metric` (as overview_ipc of read_metric's answer), from stored levels where a run
    has them."""
    by_id, wanted = requested_runs(store_root, project, run_ids, roots)

    def stored_of(run_id: str) -> tuple[str, Any]:
        return run_id, read_run(by_id.get(run_id), lambda run: _usable(run, metric))

    with ThreadPoolExecutor(max_workers=READ_THREADS) as pool:
        answers = dict(pool.map(stored_of, wanted))
    stored = {run_id: s for run_id, s in answers.items() if isinstance(s, StoredOverview)}
    if not stored:
        sliced = read_for_overview(str(store_root), project, metric, run_ids, x_metric, roots=roots)
        return overview_ipc(sliced, buckets)
    skipped = {run_id: s for run_id, s in answers.items() if isinstance(s, str)}
    others = [run_id for run_id in wanted if answers.get(run_id) is False]
    read = _read(store_root, project, metric, others, roots)
    order = [r for r in wanted if r in stored or r in read.run_ids]
    edges = [step_edge(t.column("step").to_numpy()) for t in read.per_run]
    level, max_level = levels_for(max(edges + [s.metrics[metric]["edge"] for s in stored.values()]), buckets)

    def level_of(run_id: str) -> pa.RecordBatch | None:
        return stored[run_id].level_rows(metric, level) if run_id in stored else None

    with ThreadPoolExecutor(max_workers=READ_THREADS) as pool:
        levels = list(pool.map(level_of, order))
    if any(run_id in stored and rows is None for run_id, rows in zip(order, levels, strict=True)):
        # A level finer than the finest stored (more than 2^SPAN buckets asked): every run's rows after all.
        return overview_ipc(read_metric(store_root, project, metric, run_ids, x_metric, roots), buckets)
    rows_of = dict(zip(read.run_ids, read.per_run, strict=True))
    stats: dict[str, dict[str, int]] = {}
    pieces: list[pa.RecordBatch] = []
    runs: list[int] = []  # the run index of each piece
    for index, (run_id, rows) in enumerate(zip(order, levels, strict=True)):
        if rows is None:
            steps, values, finite = sorted_points(rows_of[run_id])
            stats[run_id] = run_stats(steps, finite)
            if not finite.any():
                continue
            computed = m4_level(index, steps[finite], values[finite], level).drop_columns(["run"])
            rows = computed.combine_chunks().to_batches()[0]
        else:
            stats[run_id] = stored[run_id].metrics[metric]["stats"]
        pieces.append(rows)
        runs.append(index)
    table = _level_table(pieces, runs, level)
    answer = MetricSlice(table, order, read.cursors, {**skipped, **read.skipped})
    return overview_stream(answer, table, {"level": level, "max_level": max_level, "stats": stats})


def _level_table(pieces: list[pa.RecordBatch], runs: list[int], level: int) -> pa.Table:
    """The pieces (FILE_SCHEMA) as one LEVEL_SCHEMA table, `run` set per piece and `lvl` to `level` in one go
    (a stored level above a run's top holds the top's rows)."""
    table = pa.Table.from_batches(pieces, FILE_SCHEMA)
    columns = {name: table.column(name) for name in FILE_SCHEMA.names}
    columns["lvl"] = pa.array(np.full(table.num_rows, level, np.int32))
    counts = [piece.num_rows for piece in pieces]
    columns["run"] = pa.array(np.repeat(np.asarray(runs, np.int32), counts))
    return pa.table([columns[name] for name in LEVEL_SCHEMA.names], schema=LEVEL_SCHEMA)


def _usable(run: RunDirectory, metric: str) -> StoredOverview | bool | None:
    """The run's stored overview when it answers for `metric`; None when the ended run's history lacks the
    metric (left out, as read_metric leaves it); False when the run must be read."""
    if effective_state(run.read_metadata()) == "running":
        return False
    stored = open_overview(run)
    if stored is None:
        return False
    if metric not in stored.columns:
        return None
    return stored if metric in stored.metrics else False


def _read(
    store_root: str | os.PathLike[str], project: str, metric: str, run_ids: list[str], roots: Roots | None
) -> MetricSlice:
    """read_metric of these runs only (none: an empty answer, not every run)."""
    if not run_ids:
        return MetricSlice(table=output_schema(False).empty_table(), run_ids=[])
    return read_metric(store_root, project, metric, run_ids, None, roots)
