"""Zoom windows of a metric answered in the Jupyter server: the page never holds the rows of finished runs.

The page keeps a metric's first-paint overview and the rows of its running runs; any zoom over the other runs
comes here. The runs a window asks for are held per metric (window_rows.py: only those runs are looked up and
read, once, while their files do not change; a logging run again when its log grew). The answer is the M4 the
page's own pyramid gives (`packages/store/src/workspace/sql.ts`): on the step axis with a level k, each run's
steps cut into buckets of 2^k steps aligned to multiples of it, the two partial buckets at the range's edges
cut to the range; each bucket the first, last, lowest and highest finite point, sum and count of the raw rows
in it, so spikes survive every zoom. The whole buckets of a finished run come from its stored overview levels
(overview.arrow, computed from the same rows with the same M4 when the run finished) when it holds level k,
and the edges and everything else from its raw rows (window_m4.py). A window on another axis, or in equal
buckets, is M4 over the raw rows in range.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any

import pyarrow as pa

from ..base.path_confinement import Roots
from .overview import AXES
from .window_m4 import equal_bucket_rows, grid_rows
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
    walls = window.axis in ("wall", "relative")
    with rows.lock:  # one request per metric at a time: a load and a query never interleave
        held = rows.hold(str(store_root), project, metric, x_metric, run_ids, roots, walls)
        if not held:
            return WINDOW_SCHEMA.empty_table()
        if window.level is not None:
            columns = grid_rows(held, metric, window.lo, window.hi, window.level)
        else:
            columns = equal_bucket_rows(held, window.axis, window.lo, window.hi, int(window.buckets or 1))
    return pa.table(columns, schema=WINDOW_SCHEMA)


def _metric_rows(store_root: str, project: str, metric: str, x_metric: str | None) -> MetricRows:
    """The metric's kept rows (new, empty ones the first time); two metrics kept, the least recently used
    dropped."""
    key = (store_root, project, metric, x_metric)
    with _kept_lock:
        kept = _kept.get(key)
        if kept is None:
            kept = _kept[key] = MetricRows()
        _kept.move_to_end(key)
        while len(_kept) > _KEPT_METRICS:
            _kept.popitem(last=False)
        return kept


def forget_all() -> None:
    """Drops every kept metric (tests, benchmarks)."""
    with _kept_lock:
        _kept.clear()
