"""The first chart of a metric, computed on the server: one M4 level of every run, small enough to draw now.

Loading a metric into the page (10M rows for 100 runs × 100k steps) takes seconds; the first paint should not
wait for it. The overview is the pyramid level the page would read for the whole step range at `buckets`
buckets (same layout as `packages/store/src/workspace-sql.ts`: bucket b = step >> level, the first, last,
lowest and highest finite point with its step, sum and count), computed with numpy from the same read as the
raw rows. A short-lived cache serves that read to the page's next request (the rows) without reading the store
again, and from the same snapshot of running runs.
"""

from __future__ import annotations

import math
import threading
import time
from typing import Any

import numpy as np
import pyarrow as pa

from .workspace_series import MetricSlice, read_metric

MIN_LEVEL = 3
_CACHE_SECONDS = 120.0
_CACHE_ENTRIES = 2
_lock = threading.Lock()
_cache: list[tuple[tuple[Any, ...], float, MetricSlice]] = []

LEVEL_SCHEMA = pa.schema(
    [("lvl", pa.int32()), ("run", pa.int32()), ("b", pa.int64())]
    + [(name, pa.int64() if name.startswith("x_") else pa.float64()) for name in (
        "x_first", "y_first", "x_last", "y_last", "x_min", "y_min", "x_max", "y_max", "y_sum")]
    + [("n", pa.int64())]
)  # fmt: skip


def read_for_overview(
    store_root: str, project: str, metric: str, run_ids: list[str] | None, x_metric: str | None
) -> MetricSlice:
    """read_metric, kept for the page's next request for the same rows (see take_rows)."""
    key = (str(store_root), project, metric, tuple(run_ids or ()), x_metric)
    sliced = read_metric(store_root, project, metric, run_ids, x_metric)
    with _lock:
        _cache[:] = [entry for entry in _cache if entry[0] != key][-(_CACHE_ENTRIES - 1) :]
        _cache.append((key, time.monotonic(), sliced))
    return sliced


def take_rows(
    store_root: str, project: str, metric: str, run_ids: list[str] | None, x_metric: str | None
) -> MetricSlice:
    """The read an overview was made from (once, within two minutes), else a fresh read_metric."""
    key = (str(store_root), project, metric, tuple(run_ids or ()), x_metric)
    now = time.monotonic()
    with _lock:
        for position, (entry_key, at, sliced) in enumerate(_cache):
            if entry_key == key:
                del _cache[position]
                if now - at < _CACHE_SECONDS:
                    return sliced
                break
    return read_metric(store_root, project, metric, run_ids, x_metric)


def overview(sliced: MetricSlice, buckets: int) -> tuple[pa.Table, dict[str, Any]]:
    """(level table of one level, {"level", "max_level", "stats": {run_id: {rows, finite, max_step}}})."""
    max_step = 0
    for table in sliced.per_run:
        if table.num_rows:
            max_step = max(
                max_step,
                abs(int(table.column("step")[-1].as_py())),
                abs(int(table.column("step")[0].as_py())),
            )
    max_level = max(MIN_LEVEL, max(max_step, 1).bit_length())
    level = min(max_level, max(MIN_LEVEL, math.ceil(math.log2(max((max_step + 1) / max(buckets, 1), 1)))))
    stats: dict[str, dict[str, float]] = {}
    pieces = []
    for index, (run_id, table) in enumerate(zip(sliced.run_ids, sliced.per_run, strict=True)):
        run_steps = table.column("step").to_numpy()
        run_values = table.column("value").to_numpy()
        if len(run_steps) > 1 and np.any(np.diff(run_steps) < 0):
            order = np.argsort(run_steps, kind="stable")
            run_steps, run_values = run_steps[order], run_values[order]
        finite = np.isfinite(run_values)
        stats[run_id] = {
            "rows": int(len(run_steps)),
            "finite": int(finite.sum()),
            "max_step": int(run_steps.max()) if len(run_steps) else 0,
        }
        if finite.any():
            pieces.append(_m4_level(index, run_steps[finite], run_values[finite], level))
    out = pa.concat_tables(pieces) if pieces else LEVEL_SCHEMA.empty_table()
    return out, {"level": level, "max_level": max_level, "stats": stats}


def _m4_level(run: int, steps: np.ndarray, values: np.ndarray, level: int) -> pa.Table:
    """M4 of one run's finite points (ascending steps) in buckets of 2^level steps, vectorized."""
    buckets = steps >> level
    starts = np.concatenate(([0], np.flatnonzero(np.diff(buckets)) + 1))
    ends = np.concatenate((starts[1:], [len(steps)]))
    index = np.arange(len(steps))
    y_min = np.minimum.reduceat(values, starts)
    y_max = np.maximum.reduceat(values, starts)
    # First index of each bucket's minimum / maximum: the index where the value is the extreme, else the end.
    at_min = np.minimum.reduceat(
        np.where(values == np.repeat(y_min, ends - starts), index, len(steps)), starts
    )
    at_max = np.minimum.reduceat(
        np.where(values == np.repeat(y_max, ends - starts), index, len(steps)), starts
    )
    count = ends - starts
    columns = {
        "lvl": np.full(len(starts), level, np.int32),
        "run": np.full(len(starts), run, np.int32),
        "b": buckets[starts],
        "x_first": steps[starts],
        "y_first": values[starts],
        "x_last": steps[ends - 1],
        "y_last": values[ends - 1],
        "x_min": steps[at_min],
        "y_min": y_min,
        "x_max": steps[at_max],
        "y_max": y_max,
        "y_sum": np.add.reduceat(values, starts),
        "n": count.astype(np.int64),
    }
    return pa.table(columns, schema=LEVEL_SCHEMA)


def overview_ipc(sliced: MetricSlice, buckets: int) -> bytes:
    """The overview as an Arrow IPC stream; metadata as /metric's plus "level", "max_level" and "stats"."""
    import json

    table, extra = overview(sliced, buckets)
    meta = {"run_ids": sliced.run_ids, "cursors": sliced.cursors, "skipped": sliced.skipped, **extra}
    schema = table.schema.with_metadata({b"spyglass": json.dumps(meta).encode()})
    sink = pa.BufferOutputStream()
    with pa.ipc.new_stream(sink, schema) as writer:
        for batch in table.to_batches():
            writer.write_batch(batch)
    return sink.getvalue().to_pybytes()
