"""Zoom windows of a metric answered in the Jupyter server by native DuckDB: the page never holds its rows.

The page keeps a metric's first-paint overview and the rows of its running runs; any zoom over the other runs
comes here. One metric's rows (the read its overview was made from) go into an in-memory DuckDB database with
the M4 pyramid the page builds (`packages/store/src/workspace/sql.ts`): level k cuts each run's steps into
buckets of 2^k steps and keeps their first, last, lowest and highest finite point, sum and count. A window on
the step axis reads the level rows wholly inside the range and aggregates the raw rows of the partial buckets
at its two edges, so each bucket is exactly the M4 of the raw rows in it (spikes survive every zoom); a window
on another axis, or too narrow for the finest level, is M4 over the raw rows in range in equal buckets. The M4
aggregates are `charts/m4.py`'s.

A metric's database is kept (two metrics at most, least recently used dropped) while the runs' Parquet files
are unchanged: running runs are left to the page, which holds their rows and tails them.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Any

import pyarrow as pa

from ..base.errors import SpyglassError
from ..base.path_confinement import Roots
from ..charts.m4 import equal_bucket_sql, m4_aggregates_sql, m4_merge_sql
from ..store.run_state import effective_state
from ..store.run_store import RunDirectory
from .index import run_directories
from .overview import AXES, read_for_overview
from .series import read_metric

MIN_LEVEL = 3
_KEPT_METRICS = 2
# The answer's columns, as the page's queryBuckets reads them (buckets.ts).
WINDOW_SCHEMA = pa.schema(
    [("run", pa.int32()), ("q", pa.float64())]
    + [(name, pa.float64()) for name in (
        "x_first", "y_first", "x_last", "y_last", "x_min", "y_min", "x_max", "y_max", "y_sum", "n")]
)  # fmt: skip


class WindowRequestError(ValueError):
    """A window request the server cannot answer as asked (bad axis, range or grid); the message says why."""


@dataclass(frozen=True)
class Window:
    """A zoom window. With `level` (step axis only): the pyramid grid of buckets of 2^level steps aligned to
    multiples of it, over the integer steps [lo, hi]; bucket q starts at origin + q·2^level (origin: lo
    aligned down). Without: `buckets` equal buckets over [lo, hi] on `axis` (the page's rawM4Sql)."""

    axis: str
    lo: float
    hi: float
    level: int | None = None
    buckets: int | None = None

    def __post_init__(self) -> None:
        if self.axis not in AXES:
            raise WindowRequestError(f"axis must be one of {', '.join(AXES)}, got {self.axis!r}")
        if not (self.lo <= self.hi) or abs(self.lo) == float("inf") or abs(self.hi) == float("inf"):
            raise WindowRequestError(f"the range must be finite with lo <= hi, got [{self.lo}, {self.hi}]")
        if (self.level is None) == (self.buckets is None):
            raise WindowRequestError("give either level (a pyramid grid) or buckets (equal buckets)")
        if self.level is not None and (self.axis != "step" or not MIN_LEVEL <= self.level <= 62):
            raise WindowRequestError(f"level must be {MIN_LEVEL}..62 and the axis step, got {self.level}")
        if self.buckets is not None and not 1 <= self.buckets <= 100_000:
            raise WindowRequestError(f"buckets must be 1..100000, got {self.buckets}")


@dataclass
class _MetricRows:
    """One metric's rows and pyramid in a DuckDB database of their own."""

    fingerprint: tuple[Any, ...]
    run_ids: list[str]
    connection: Any  # duckdb.DuckDBPyConnection
    max_level: int
    lock: threading.Lock = field(default_factory=threading.Lock)


_kept: OrderedDict[tuple[Any, ...], _MetricRows] = OrderedDict()
_kept_lock = threading.Lock()
_building: dict[tuple[Any, ...], threading.Lock] = {}


def metric_window(
    store_root: str,
    project: str,
    metric: str,
    x_metric: str | None,
    run_ids: list[str],
    window: Window,
    roots: Roots | None = None,
) -> pa.Table:
    """The M4 buckets of `window` for `run_ids` (run = index into run_ids; runs the server does not hold, or
    that have no point in the window, have no rows). Ordered by run, then q."""
    if window.axis == "x" and not x_metric:
        raise WindowRequestError("axis x needs x_metric (the step metric drawn as x)")
    rows = _metric_rows(store_root, project, metric, x_metric, roots)
    held = {run_id: index for index, run_id in enumerate(rows.run_ids)}
    wanted = [(i, held[r]) for i, r in enumerate(run_ids) if r in held]
    if not wanted:
        return WINDOW_SCHEMA.empty_table()
    runs = pa.table({"asked": [a for a, _ in wanted], "held": [h for _, h in wanted]},
                    schema=pa.schema([("asked", pa.int32()), ("held", pa.int32())]))  # fmt: skip
    sql = _pyramid_sql(window) if window.level is not None else _raw_m4_sql(window)
    with rows.lock:
        cursor = rows.connection.cursor()
        cursor.register("asked_runs", runs)
        table = cursor.sql(
            f"SELECT asked AS run, w.* EXCLUDE (run) FROM ({sql}) w JOIN asked_runs ON w.run = held "
            "ORDER BY run, q"
        ).to_arrow_table()
        cursor.close()
    return table.cast(WINDOW_SCHEMA) if table.num_rows else WINDOW_SCHEMA.empty_table()


def _metric_rows(
    store_root: str, project: str, metric: str, x_metric: str | None, roots: Roots | None
) -> _MetricRows:
    """The kept database of the metric, (re)built when a run's Parquet file changed or appeared."""
    key = (str(store_root), project, metric, x_metric)
    fingerprint = _fingerprint(store_root, project, roots)
    with _kept_lock:
        kept = _kept.get(key)
        if kept is not None and kept.fingerprint == fingerprint:
            _kept.move_to_end(key)
            return kept
        building = _building.setdefault(key, threading.Lock())
    with building:  # one build per metric at a time; a second request waits for it
        with _kept_lock:
            kept = _kept.get(key)
            if kept is not None and kept.fingerprint == fingerprint:
                return kept
        # A first build takes the overview's read (the page asked for it just before); a rebuild reads afresh.
        built = _build(store_root, project, metric, x_metric, fingerprint, roots, fresh=kept is not None)
        with _kept_lock:
            _kept[key] = built
            _kept.move_to_end(key)
            while len(_kept) > _KEPT_METRICS:
                _kept.popitem(last=False)[1].connection.close()
        return built


def _fingerprint(store_root: str, project: str, roots: Roots | None) -> tuple[Any, ...]:
    """What the kept rows were read from: each run's history.parquet (or, for a run not running that has
    none, its framed log) by size and mtime. A running run counts by name only: the page holds its rows."""
    marks: list[tuple[Any, ...]] = []
    for path in run_directories(store_root, project, roots):
        run = RunDirectory(path)
        try:
            source = run.parquet_path
            if not source.is_file():
                if effective_state(run.read_metadata()) == "running":
                    marks.append((path.name, "running"))
                    continue
                source = run.log_path
            stat = source.stat()
        except (OSError, SpyglassError):
            marks.append((path.name, "unreadable"))
            continue
        marks.append((path.name, stat.st_size, stat.st_mtime_ns))
    return tuple(sorted(marks))


def _build(
    store_root: str,
    project: str,
    metric: str,
    x_metric: str | None,
    fingerprint: tuple[Any, ...],
    roots: Roots | None,
    fresh: bool,
) -> _MetricRows:
    """Loads the metric's rows (unless `fresh`, the overview's kept read when there is one) and builds the
    pyramid."""
    if fresh:
        sliced = read_metric(store_root, project, metric, None, x_metric, roots)
    else:
        sliced = read_for_overview(store_root, project, metric, None, x_metric, reuse=True, roots=roots)
    try:
        import duckdb  # the `server` extra: imported here so the server extension loads without it
    except ImportError:
        raise WindowRequestError(
            "zooms over large metrics need DuckDB in the Jupyter server: pip install 'spyglass[server]'"
        ) from None
    connection = duckdb.connect(":memory:")
    connection.register("rows_in", sliced.table)
    # The rows come ordered by blocks of steps (series._by_step_blocks): zone maps skip what a window misses.
    connection.execute("CREATE TABLE raw AS SELECT * FROM rows_in")
    connection.unregister("rows_in")
    max_step = connection.execute("SELECT coalesce(max(abs(step)), 0) FROM raw").fetchone()[0]
    max_level = max(MIN_LEVEL, int(max(max_step, 1)).bit_length())
    connection.execute(
        "CREATE TABLE levels AS SELECT "
        f"{MIN_LEVEL}::INTEGER AS lvl, run, step >> {MIN_LEVEL} AS b, {m4_aggregates_sql('step', 'value')}, "
        "sum(value) AS y_sum, count(*) AS n FROM raw WHERE isfinite(value) GROUP BY run, b ORDER BY b, run"
    )
    for level in range(MIN_LEVEL + 1, max_level + 1):
        connection.execute(
            f"INSERT INTO levels SELECT {level}, run, b >> 1 AS bb, {m4_merge_sql()}, sum(y_sum), sum(n) "
            f"FROM levels WHERE lvl = {level - 1} GROUP BY run, bb ORDER BY bb, run"
        )
    return _MetricRows(fingerprint, list(sliced.run_ids), connection, max_level)


def _pyramid_sql(window: Window) -> str:
    """The page's pyramidQuerySql, exact edges: level rows wholly inside [lo, hi], raw rows at the edges."""
    level = int(window.level or 0)
    unit = 1 << level
    lo, hi = int(-(-window.lo // 1)), int(window.hi // 1)
    origin = (lo // unit) * unit
    first, last = -(-lo // unit), (hi + 1) // unit - 1
    edges = [(lo, hi)] if first > last else [(lo, first * unit - 1), ((last + 1) * unit, hi)]
    parts = [
        f"SELECT run, (b - {origin // unit})::DOUBLE AS q, x_first::DOUBLE AS x_first, y_first, "
        "x_last::DOUBLE AS x_last, y_last, x_min::DOUBLE AS x_min, y_min, x_max::DOUBLE AS x_max, y_max, "
        f"y_sum, n::DOUBLE AS n FROM levels WHERE lvl = {level} AND b BETWEEN {first} AND {last}"
    ]
    for a, b in edges:
        if b >= a:
            parts.append(
                f"SELECT run, ((step - {origin}) // {unit})::DOUBLE AS q, "
                f"{m4_aggregates_sql('step', 'value', '::DOUBLE')}, sum(value), count(*)::DOUBLE "
                f"FROM raw WHERE step BETWEEN {a} AND {b} AND isfinite(value) GROUP BY run, q"
            )
    return " UNION ALL ".join(parts)


def _raw_m4_sql(window: Window) -> str:
    """The page's rawM4Sql: M4 of the finite points in [lo, hi] on the axis, in equal buckets over it."""
    x = {"step": "step::DOUBLE", "wall": "wall", "relative": "wall - w0", "x": "x"}[window.axis]
    source = "raw"
    if window.axis == "relative":
        source = "raw JOIN (SELECT run AS r0, min(wall) AS w0 FROM raw GROUP BY run) ON run = r0"
    where = f"isfinite(value) AND isfinite({x})"
    if window.axis == "step":
        where += f" AND step BETWEEN {int(window.lo // 1)} AND {int(-(-window.hi // 1))}"
    else:
        where += f" AND {x} BETWEEN {window.lo!r} AND {window.hi!r}"
    bucket = equal_bucket_sql("x", window.lo, window.hi, int(window.buckets or 1))
    return (
        f"SELECT run, {bucket}::DOUBLE AS q, {m4_aggregates_sql('x', 'y')}, sum(y) AS y_sum, "
        f"count(*)::DOUBLE AS n FROM (SELECT run, {x} AS x, value AS y FROM {source} WHERE {where}) "
        "GROUP BY run, q"
    )


def forget_all() -> None:
    """Drops every kept metric (tests)."""
    with _kept_lock:
        for rows in _kept.values():
            rows.connection.close()
        _kept.clear()
