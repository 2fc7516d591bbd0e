"""The first chart of a metric, computed on the server: one M4 level of every run, small enough to draw now.

Loading a metric into the page (10M rows for 100 runs × 100k steps) takes seconds; the first paint should not
wait for it. The overview is the pyramid level the page would read for the whole step range at `buckets`
buckets (same layout as `packages/store/src/workspace/sql.ts`: bucket b = step >> level, the first, last,
lowest and highest finite point with its step, sum and count), computed by `charts/m4.py` from the same read
as the raw rows. A short-lived cache serves that read to the page's next request (the rows) without reading
the store again, and from the same snapshot of running runs.

The other x axes (wall time, time since the run's first row, a step metric) have no aligned grid to build a
pyramid on (relative time shifts every run by its own start), so their overview is plain M4 at `buckets` equal
buckets over the whole x range of all runs, as the page's `rawM4Sql` cuts it; the page reads it only for
whole-range charts on that axis, until the rows are in. It reuses the kept read of the same metric (the
snapshot the rows come from) while that is at most two minutes old.
"""

from __future__ import annotations

import json
import math
import threading
from dataclasses import dataclass
from typing import Any

import numpy as np
import pyarrow as pa

from ..base.path_confinement import Roots
from ..charts.m4 import equal_buckets, finite_sorted, m4_rows
from .series import MetricSlice, read_metric

MIN_LEVEL = 3
AXES = ("step", "wall", "relative", "x")
_CACHE_SECONDS = 120.0
_CACHE_ENTRIES = 2
_lock = threading.Lock()


@dataclass
class _KeptRead:
    key: tuple[Any, ...]
    sliced: MetricSlice
    rows_taken: bool = False


_cache: list[_KeptRead] = []

LEVEL_SCHEMA = pa.schema(
    [("lvl", pa.int32()), ("run", pa.int32()), ("b", pa.int64())]
    + [(name, pa.int64() if name.startswith("x_") else pa.float64()) for name in (
        "x_first", "y_first", "x_last", "y_last", "x_min", "y_min", "x_max", "y_max", "y_sum")]
    + [("n", pa.int64())]
)  # fmt: skip
AXIS_SCHEMA = pa.schema(
    [("run", pa.int32()), ("q", pa.int32())]
    + [(name, pa.float64()) for name in (
        "x_first", "y_first", "x_last", "y_last", "x_min", "y_min", "x_max", "y_max", "y_sum")]
    + [("n", pa.int64())]
)  # fmt: skip


def read_for_overview(
    store_root: str,
    project: str,
    metric: str,
    run_ids: list[str] | None,
    x_metric: str | None,
    *,
    reuse: bool = False,
    roots: Roots | None = None,
) -> MetricSlice:
    """read_metric, kept two minutes for the page's next requests for the same rows (see take_rows); with
    `reuse`, the kept read when there is one (another axis's overview of the same snapshot)."""
    key = (str(store_root), project, metric, tuple(run_ids or ()), x_metric)
    if reuse:
        with _lock:
            for entry in _cache:
                if entry.key == key:
                    return entry.sliced
    sliced = read_metric(store_root, project, metric, run_ids, x_metric, roots)
    kept = _KeptRead(key, sliced)
    with _lock:
        _cache[:] = [entry for entry in _cache if entry.key != key][-(_CACHE_ENTRIES - 1) :]
        _cache.append(kept)
    # Dropped when it expires even if no request comes: a read of 10M rows holds ~300 MB.
    expiry = threading.Timer(_CACHE_SECONDS, _forget, (kept,))
    expiry.daemon = True
    expiry.start()
    return sliced


def _forget(kept: _KeptRead) -> None:
    with _lock:
        _cache[:] = [entry for entry in _cache if entry is not kept]


def take_rows(
    store_root: str,
    project: str,
    metric: str,
    run_ids: list[str] | None,
    x_metric: str | None,
    roots: Roots | None = None,
) -> MetricSlice:
    """The read an overview was made from (once, within two minutes), else a fresh read_metric."""
    key = (str(store_root), project, metric, tuple(run_ids or ()), x_metric)
    with _lock:
        for entry in _cache:
            if entry.key == key and not entry.rows_taken:
                entry.rows_taken = True  # kept for overviews on other axes until it expires
                return entry.sliced
    return read_metric(store_root, project, metric, run_ids, x_metric, roots)


def overview(sliced: MetricSlice, buckets: int) -> tuple[pa.Table, dict[str, Any]]:
    """(level table of one level, {"level", "max_level", "stats": {run_id: {rows, finite, max_step}}})."""
    edges = [step_edge(table.column("step").to_numpy()) for table in sliced.per_run]
    level, max_level = levels_for(max(edges, default=0), buckets)
    stats: dict[str, dict[str, int]] = {}
    pieces = []
    for index, (run_id, table) in enumerate(zip(sliced.run_ids, sliced.per_run, strict=True)):
        steps, values, finite = sorted_points(table)
        stats[run_id] = run_stats(steps, finite)
        if finite.any():
            pieces.append(m4_level(index, steps[finite], values[finite], level))
    out = pa.concat_tables(pieces) if pieces else LEVEL_SCHEMA.empty_table()
    return out, {"level": level, "max_level": max_level, "stats": stats}


def step_edge(steps: np.ndarray) -> int:
    """What the level of the overview is chosen from for one run: the larger |step| of its first and last row
    (read order; rows are in step order)."""
    return max(abs(int(steps[-1])), abs(int(steps[0]))) if len(steps) else 0


def levels_for(max_step: int, buckets: int) -> tuple[int, int]:
    """(the level whose buckets of 2^level steps give about `buckets` over 0..max_step, the pyramid's top)."""
    max_level = max(MIN_LEVEL, max(max_step, 1).bit_length())
    level = min(max_level, max(MIN_LEVEL, math.ceil(math.log2(max((max_step + 1) / max(buckets, 1), 1)))))
    return level, max_level


def sorted_points(table: pa.Table) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """One run's (steps, values, finite mask) in step order (stable), as the overview buckets them."""
    steps = table.column("step").to_numpy()
    values = table.column("value").to_numpy()
    if len(steps) > 1 and np.any(np.diff(steps) < 0):
        order = np.argsort(steps, kind="stable")
        steps, values = steps[order], values[order]
    return steps, values, np.isfinite(values)


def run_stats(steps: np.ndarray, finite: np.ndarray) -> dict[str, int]:
    """What the page says "nothing logged" or "every value is NaN" from, and how far the steps go."""
    return {
        "rows": len(steps),
        "finite": int(finite.sum()),
        "max_step": int(steps.max()) if len(steps) else 0,
    }


def m4_level(run: int, steps: np.ndarray, values: np.ndarray, level: int) -> pa.Table:
    """M4 of one run's finite points (ascending steps) in buckets of 2^level steps."""
    columns = m4_rows(steps, values, steps >> level)
    columns["b"] = columns.pop("bucket")
    columns["lvl"] = np.full(len(columns["b"]), level, np.int32)
    columns["run"] = np.full(len(columns["b"]), run, np.int32)
    return pa.table(columns, schema=LEVEL_SCHEMA)


def axis_overview(sliced: MetricSlice, axis: str, buckets: int) -> tuple[pa.Table, dict[str, Any]]:
    """Plain M4 on a non-step axis: `buckets` equal buckets over the x extent of every run's finite points,
    q = floor((x - x0) · buckets / (x1 - x0)) clamped to the last bucket. Returns (table, {"axis", "x0", "x1",
    "buckets", "stats"} as overview's); x is the wall time, the wall time minus the run's earliest one, or the
    step metric `x`."""
    points = []
    stats: dict[str, dict[str, int]] = {}
    for index, (run_id, table) in enumerate(zip(sliced.run_ids, sliced.per_run, strict=True)):
        values = table.column("value").to_numpy()
        stats[run_id] = run_stats(table.column("step").to_numpy(), np.isfinite(values))
        xs, values = finite_sorted(_axis_values(table, axis), values)
        if len(xs):
            points.append((index, xs, values))
    meta: dict[str, Any] = {"axis": axis, "x0": 0.0, "x1": 0.0, "buckets": buckets, "stats": stats}
    if not points:
        return AXIS_SCHEMA.empty_table(), meta
    x0 = min(float(xs[0]) for _, xs, _ in points)
    x1 = max(float(xs[-1]) for _, xs, _ in points)
    pieces = []
    for index, xs, values in points:
        columns = m4_rows(xs, values, equal_buckets(xs, x0, x1, buckets))
        columns["q"] = columns.pop("bucket")
        columns["run"] = np.full(len(columns["q"]), index, np.int32)
        pieces.append(pa.table(columns, schema=AXIS_SCHEMA))
    return pa.concat_tables(pieces), {**meta, "x0": x0, "x1": x1}


def _axis_values(table: pa.Table, axis: str) -> np.ndarray:
    """x of each row on `axis`; relative time counts from the run's earliest wall time (as the page's SQL)."""
    if axis == "x":
        return table.column("x").to_numpy()
    wall = table.column("wall").to_numpy()
    if axis == "wall" or not np.isfinite(wall).any():
        return wall
    with np.errstate(invalid="ignore"):
        return wall - np.nanmin(wall)


def overview_ipc(sliced: MetricSlice, buckets: int, axis: str = "step") -> bytes:
    """The overview on `axis` as an Arrow IPC stream; metadata as /metric's plus what overview (step) or
    axis_overview (other axes) says about it."""
    table, extra = overview(sliced, buckets) if axis == "step" else axis_overview(sliced, axis, buckets)
    return overview_stream(sliced, table, extra)


def overview_stream(sliced: MetricSlice, table: pa.Table, extra: dict[str, Any]) -> bytes:
    """An overview `table` as an Arrow IPC stream; metadata: the slice's run ids, cursors, skips, `extra`."""
    meta = {"run_ids": sliced.run_ids, "cursors": sliced.cursors, "skipped": sliced.skipped, **extra}
    schema = table.schema.with_metadata({b"spyglass": json.dumps(meta).encode()})
    sink = pa.BufferOutputStream()
    with pa.ipc.new_stream(sink, schema) as writer:
        for batch in table.to_batches():
            writer.write_batch(batch)
    return sink.getvalue().to_pybytes()
