"""The M4 buckets of a zoom window over held runs (window_rows.py), in numpy: what window.py answers.

On the step axis with a level (the page's pyramid grid): the buckets wholly inside the range come from a
finished run's stored overview level when its overview.arrow holds that level (the rows of level k whose
bucket b lies inside, as they were computed from the same rows with the same M4, charts/m4.py, when the run
finished), everything else from the run's raw rows: the two partial buckets at the edges, and the whole range
for a run without that level (running, older, or a level finer than its finest stored one). The raw rows a
window reads are found by binary search on the held steps, so a window costs its range, not the run's length.
Rows of every run are concatenated and cut into buckets in one pass (m4_rows), per run and bucket.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from ..charts.m4 import equal_buckets, m4_rows
from .window_rows import HeldRun

_COLUMNS = ("x_first", "y_first", "x_last", "y_last", "x_min", "y_min", "x_max", "y_max", "y_sum", "n")
Piece = tuple[int, np.ndarray, np.ndarray]  # (run index in the request, x in order, y)


def grid_rows(
    held: list[tuple[int, HeldRun]], metric: str, lo: float, hi: float, level: int
) -> dict[str, np.ndarray]:
    """The buckets of the pyramid grid of `level` over the integer steps [⌈lo⌉, ⌊hi⌋] (q counted from lo
    aligned down to 2^level), per asked run, ordered by run and q."""
    unit = 1 << level
    ilo, ihi = math.ceil(lo), math.floor(hi)
    origin = (ilo // unit) * unit
    first, last = -(-ilo // unit), (ihi + 1) // unit - 1
    edges = [(ilo, ihi)] if first > last else [(ilo, first * unit - 1), ((last + 1) * unit, ihi)]
    stored: list[tuple[int, dict[str, np.ndarray], int, int]] = []  # (run, level rows, start, end)
    pieces: list[Piece] = []
    for index, run in held:
        level_rows = run.stored.level_rows(level) if run.stored is not None else None
        ranges = [(ilo, ihi)] if level_rows is None else edges
        if level_rows is not None and first <= last:
            b = level_rows["b"]
            start, end = np.searchsorted(b, first, "left"), np.searchsorted(b, last, "right")
            if end > start:
                stored.append((index, level_rows, int(start), int(end)))
        for a, z in ranges:
            start, end = run.span(a, z)
            if end > start:
                pieces.append((index, run.steps[start:end], run.values[start:end]))
    parts = [_stored_buckets(stored, origin // unit), _raw_buckets(pieces, lambda x: (x - origin) // unit)]
    return _ordered(parts)


def equal_bucket_rows(
    held: list[tuple[int, HeldRun]], axis: str, lo: float, hi: float, buckets: int
) -> dict[str, np.ndarray]:
    """`buckets` equal buckets over [lo, hi] on `axis` (the page's rawM4Sql: on the step axis the steps
    ⌊lo⌋ … ⌈hi⌉, elsewhere x in [lo, hi]; q clamped to 0 … buckets - 1), per asked run."""
    pieces: list[Piece] = []
    for index, run in held:
        if axis == "step":
            start, end = run.span(math.floor(lo), math.ceil(hi))
            x, y = run.steps[start:end].astype(np.float64), run.values[start:end]
        else:
            x, y = _axis_x(run, axis), run.values
            inside = (x >= lo) & (x <= hi)
            x, y = x[inside], y[inside]
            if len(x) > 1 and np.any(np.diff(x) < 0):
                order = np.argsort(x, kind="stable")
                x, y = x[order], y[order]
        if len(x):
            pieces.append((index, x, y))
    return _ordered([_raw_buckets(pieces, lambda x: equal_buckets(x, lo, hi, buckets))])


def _axis_x(run: HeldRun, axis: str) -> np.ndarray:
    """x of each held row on the wall or relative axis (time since the run's earliest wall time, NaN left
    out as the page's min() does), or the step metric's value."""
    if axis == "x":
        assert run.xs is not None
        return run.xs
    assert run.walls is not None
    if axis == "wall":
        return run.walls
    known = run.walls[~np.isnan(run.walls)]
    return run.walls - (known.min() if len(known) else np.nan)


def _raw_buckets(pieces: list[Piece], bucket_of: Any) -> dict[str, np.ndarray]:
    """M4 per run and bucket of the finite points of `pieces` (each in x order, runs in order): one pass."""
    if not pieces:
        return _empty()
    runs = np.concatenate([np.full(len(x), index, np.int32) for index, x, _ in pieces])
    x = np.concatenate([x for _, x, _ in pieces])
    y = np.concatenate([y for _, _, y in pieces])
    finite = np.isfinite(y) & np.isfinite(x)
    runs, x, y = runs[finite], x[finite], y[finite]
    if not len(x):
        return _empty()
    q = np.asarray(bucket_of(x), np.int64)
    boundary = (np.diff(runs) != 0) | (np.diff(q) != 0)
    group = np.concatenate(([0], np.cumsum(boundary)))
    starts = np.concatenate(([0], np.flatnonzero(boundary) + 1))
    columns = m4_rows(x, y, group)
    del columns["bucket"]
    out = {name: np.asarray(columns[name], np.float64) for name in _COLUMNS}
    return {"run": runs[starts], "q": q[starts].astype(np.float64), **out}


def _stored_buckets(
    stored: list[tuple[int, dict[str, np.ndarray], int, int]], origin_bucket: int
) -> dict[str, np.ndarray]:
    """Stored level rows [start, end) (overview_file.LEVEL_COLUMNS) as window buckets: q = b - the origin's
    bucket."""
    if not stored:
        return _empty()
    counts = [end - start for _, _, start, end in stored]
    out = {"run": np.repeat(np.asarray([index for index, *_ in stored], np.int32), counts)}
    b = np.concatenate([rows["b"][start:end] for _, rows, start, end in stored])
    out["q"] = (b - origin_bucket).astype(np.float64)
    for name in _COLUMNS:
        out[name] = np.concatenate([rows[name][start:end] for _, rows, start, end in stored]).astype(
            np.float64
        )
    return out


def _ordered(parts: list[dict[str, np.ndarray]]) -> dict[str, np.ndarray]:
    """The parts as one set of columns ordered by run, then q."""
    columns = {name: np.concatenate([part[name] for part in parts]) for name in ("run", "q", *_COLUMNS)}
    order = np.lexsort((columns["q"], columns["run"]))
    return {name: values[order] for name, values in columns.items()}


def _empty() -> dict[str, np.ndarray]:
    return {"run": np.zeros(0, np.int32), **{name: np.zeros(0) for name in ("q", *_COLUMNS)}}
