"""The M4 buckets of a zoom window over held runs (window_rows.py), in numpy: what window.py answers.

On the step axis with a level (the page's pyramid grid): the buckets wholly inside the range come from a
finished run's stored overview level when its overview.arrow holds that level (the rows of level k whose
bucket b lies inside, as they were computed from the same rows with the same M4, charts/m4.py, when the run
finished), else from the run's held level (held_levels.py: positions of the same points in its rows); the two
partial buckets at the edges come from the run's raw rows. The rows a window reads are found by binary search
(held steps, bucket numbers), so a window costs its range and bucket count, not the run's length. Raw rows of
every run are concatenated and cut into buckets in one pass (m4_rows), per run and bucket.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from ..charts.m4 import equal_buckets, m4_rows
from .held_levels import HeldLevel
from .overview_file import M4_COLUMNS
from .window_rows import HeldRun

_COLUMNS = M4_COLUMNS
Piece = tuple[int, np.ndarray, np.ndarray]  # (run index in the request, x in order, y)


def grid_rows(
    held: list[tuple[int, HeldRun]], metric: str, lo: float, hi: float, level: int
) -> dict[str, np.ndarray]:
    """The buckets of the pyramid grid of `level` over the integer steps [⌈lo⌉, ⌊hi⌋] (q counted from lo
    aligned down to 2^level), per asked run, ordered by run and q: whole buckets from the run's stored or held
    level, the partial ones at the edges (or all, when it has neither) from its raw rows."""
    unit = 1 << level
    ilo, ihi = math.ceil(lo), math.floor(hi)
    origin = (ilo // unit) * unit
    first, last = -(-ilo // unit), (ihi + 1) // unit - 1
    edges = [(ilo, ihi)] if first > last else [(ilo, first * unit - 1), ((last + 1) * unit, ihi)]
    stored: list[tuple[int, np.ndarray, np.ndarray]] = []  # (run, b, M4 matrix) of the whole buckets
    pieces: list[Piece] = []
    for index, run in held:
        rows = run.level(level)
        ranges = [(ilo, ihi)] if rows is None else edges
        if rows is not None and first <= last:
            b = rows.b if isinstance(rows, HeldLevel) else rows[0]
            start, end = int(np.searchsorted(b, first, "left")), int(np.searchsorted(b, last, "right"))
            if end > start and isinstance(rows, HeldLevel):
                stored.append((index, b[start:end], _held_points(run, rows, start, end)))
            elif end > start:
                stored.append((index, b[start:end], rows[1][start:end]))
        for a, z in ranges:
            start, end = run.span(a, z)
            if end > start:
                pieces.append((index, run.steps[start:end], run.values[start:end]))
    parts = [_level_buckets(stored, origin // unit), _raw_buckets(pieces, lambda x: (x - origin) // unit)]
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
    return run.walls - run.w0


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


def _held_points(run: HeldRun, level: HeldLevel, start: int, end: int) -> np.ndarray:
    """Held level buckets [start, end) as an M4 matrix (M4_COLUMNS): the points at the kept positions."""
    at = level.points[start:end]
    out = np.empty((end - start, len(_COLUMNS)))
    out[:, 0:8:2] = run.steps[at]
    out[:, 1:8:2] = run.values[at]
    out[:, 8] = level.y_sum[start:end]
    out[:, 9] = at[:, 1] - at[:, 0] + 1
    return out


def _level_buckets(
    rows: list[tuple[int, np.ndarray, np.ndarray]], origin_bucket: int
) -> dict[str, np.ndarray]:
    """Whole level buckets (run, b, M4 matrix) as window buckets: q = b - the origin's bucket."""
    if not rows:
        return _empty()
    counts = [len(b) for _, b, _ in rows]
    matrix = np.concatenate([points for _, _, points in rows])
    out = {
        "run": np.repeat(np.asarray([index for index, _, _ in rows], np.int32), counts),
        "q": (np.concatenate([b for _, b, _ in rows]) - origin_bucket).astype(np.float64),
    }
    return {**out, **{name: matrix[:, i] for i, name in enumerate(_COLUMNS)}}


def _ordered(parts: list[dict[str, np.ndarray]]) -> dict[str, np.ndarray]:
    """The parts as one set of columns ordered by run, then q."""
    columns = {name: np.concatenate([part[name] for part in parts]) for name in ("run", "q", *_COLUMNS)}
    order = np.lexsort((columns["q"], columns["run"]))
    return {name: values[order] for name, values in columns.items()}


def _empty() -> dict[str, np.ndarray]:
    return {"run": np.zeros(0, np.int32), **{name: np.zeros(0) for name in ("q", *_COLUMNS)}}
