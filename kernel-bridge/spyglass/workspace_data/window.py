"""Zoom windows of a metric answered in the Jupyter server by native DuckDB: the page never holds its rows.

The page keeps a metric's first-paint overview and the rows of its running runs; any zoom over the other runs
comes here. The runs a window asks for are held in an in-memory DuckDB database per metric (window_rows.py:
only those runs are looked up and read, once, while their files do not change) with the M4 pyramid the page
builds (`packages/store/src/workspace/sql.ts`): level k cuts each run's steps into buckets of 2^k steps and
keeps their first, last, lowest and highest finite point, sum and count. A window on the step axis reads the
level rows wholly inside the range and aggregates the raw rows of the partial buckets at its two edges, so
each bucket is exactly the M4 of the raw rows in it (spikes survive every zoom); a window on another axis, or
too narrow for the finest level, is M4 over the raw rows in range in equal buckets. The M4 aggregates are
`charts/m4.py`'s. A run's levels stop at its top level (its steps all fall in bucket 0, or -1, there), which
answers any coarser level too. Running runs are left to the page, which holds their rows and tails them.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any

import pyarrow as pa

from ..base.path_confinement import Roots
from ..charts.m4 import equal_bucket_sql, m4_aggregates_sql
from .overview import AXES
from .window_rows import MIN_LEVEL, MetricRows

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


_kept: OrderedDict[tuple[Any, ...], MetricRows] = OrderedDict()
_kept_lock = threading.Lock()


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
    run_ids = list(dict.fromkeys(run_ids))
    rows = _metric_rows(str(store_root), project, metric, x_metric)
    with rows.lock:  # one request per metric at a time: a load and a query never interleave
        held = rows.hold(str(store_root), project, metric, x_metric, run_ids, roots)
        if not held:
            return WINDOW_SCHEMA.empty_table()
        asked = pa.table(
            {
                "asked": [i for i, _ in held],
                "held": [h.number for _, h in held],
                "top": [h.top for _, h in held],
            },
            schema=pa.schema([("asked", pa.int32()), ("held", pa.int32()), ("top", pa.int32())]),
        )
        sql = (
            _pyramid_sql(window, min(h.top for _, h in held))
            if window.level is not None
            else _raw_m4_sql(window)
        )
        rows.connection.register("asked_runs", asked)
        try:
            table = rows.connection.sql(f"SELECT * FROM ({sql}) ORDER BY run, q").to_arrow_table()
        finally:
            rows.connection.unregister("asked_runs")
    return table.cast(WINDOW_SCHEMA) if table.num_rows else WINDOW_SCHEMA.empty_table()


def _metric_rows(store_root: str, project: str, metric: str, x_metric: str | None) -> MetricRows:
    """The metric's kept database (a new, empty one the first time); two metrics kept, the least recently
    used dropped."""
    key = (store_root, project, metric, x_metric)
    with _kept_lock:
        kept = _kept.get(key)
        if kept is None:
            try:
                import duckdb  # the `server` extra: imported here so the server extension loads without it
            except ImportError:
                raise WindowRequestError(
                    "zooms over large metrics need DuckDB in the Jupyter server: "
                    "pip install 'spyglass[server]'"
                ) from None
            kept = _kept[key] = MetricRows(duckdb.connect(":memory:"))
        _kept.move_to_end(key)
        while len(_kept) > _KEPT_METRICS:
            _close(_kept.popitem(last=False)[1])
        return kept


def _close(rows: MetricRows) -> None:
    with rows.lock:  # after the request using it, if any
        rows.connection.close()


def _pyramid_sql(window: Window, lowest_top: int) -> str:
    """The page's pyramidQuerySql, exact edges: level rows wholly inside [lo, hi], raw rows at the edges; a
    run's rows at min(level, its top level) (the same buckets: see the module's docstring)."""
    level = int(window.level or 0)
    unit = 1 << level
    lo, hi = int(-(-window.lo // 1)), int(window.hi // 1)
    origin = (lo // unit) * unit
    first, last = -(-lo // unit), (hi + 1) // unit - 1
    edges = [(lo, hi)] if first > last else [(lo, first * unit - 1), ((last + 1) * unit, hi)]
    parts = [
        f"SELECT a.asked AS run, (b - {origin // unit})::DOUBLE AS q, x_first::DOUBLE AS x_first, y_first, "
        "x_last::DOUBLE AS x_last, y_last, x_min::DOUBLE AS x_min, y_min, x_max::DOUBLE AS x_max, y_max, "
        f"y_sum, n::DOUBLE AS n FROM levels JOIN asked_runs a ON levels.run = a.held "
        f"WHERE lvl BETWEEN {min(level, lowest_top)} AND {level} AND lvl = least({level}, a.top) "
        f"AND b BETWEEN {first} AND {last}"
    ]
    for a, b in edges:
        if b >= a:
            parts.append(
                f"SELECT a.asked AS run, ((step - {origin}) // {unit})::DOUBLE AS q, "
                f"{m4_aggregates_sql('step', 'value', '::DOUBLE')}, sum(value), count(*)::DOUBLE "
                f"FROM raw JOIN asked_runs a ON raw.run = a.held WHERE step BETWEEN {a} AND {b} "
                "AND isfinite(value) GROUP BY a.asked, q"
            )
    return " UNION ALL ".join(parts)


def _raw_m4_sql(window: Window) -> str:
    """The page's rawM4Sql: M4 of the finite points in [lo, hi] on the axis, in equal buckets over it."""
    x = {"step": "step::DOUBLE", "wall": "wall", "relative": "wall - w0", "x": "x"}[window.axis]
    source = "(SELECT a.asked AS run, raw.* EXCLUDE (run) FROM raw JOIN asked_runs a ON raw.run = a.held)"
    if window.axis == "relative":
        source = f"{source} JOIN (SELECT run AS r0, min(wall) AS w0 FROM {source} GROUP BY run) ON run = r0"
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
            _close(rows)
        _kept.clear()
