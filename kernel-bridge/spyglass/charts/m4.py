"""M4 downsampling (Jugel et al., VLDB 2014), Spyglass's one M4 in Python: per x bucket keep the first, last,
lowest and highest point, so a line drawn through the kept points has the same pixels as one drawn through all
of them (spikes survive). The workspace's first-paint overview, the report's series and the notebook's static
SVG fallback all downsample here; the page's SQL (`packages/store/src/downsample-m4.ts`) cuts buckets the same
way.
"""

from __future__ import annotations

from typing import Any

import numpy as np


def finite_sorted(x: Any, y: Any) -> tuple[np.ndarray, np.ndarray]:
    """The points whose x and y are finite, sorted by x (stable): what M4 takes. Nulls (None) drop out."""
    x = np.asarray(x, dtype=np.float64)
    y = np.asarray(y, dtype=np.float64)
    keep = np.isfinite(x) & np.isfinite(y)
    x, y = x[keep], y[keep]
    if len(x) > 1 and np.any(np.diff(x) < 0):
        order = np.argsort(x, kind="stable")
        x, y = x[order], y[order]
    return x, y


def equal_buckets(x: np.ndarray, x0: float, x1: float, buckets: int) -> np.ndarray:
    """The bucket of each x among `buckets` equal buckets over [x0, x1]: floor((x - x0) · buckets / span),
    clamped to 0 … buckets - 1, as the page's `m4BucketSql` cuts them."""
    if buckets < 1:
        raise ValueError(f"M4 needs a positive bucket count, got {buckets}")
    span = max(x1 - x0, np.finfo(np.float64).tiny)
    return np.clip(np.floor((x - x0) * buckets / span), 0, buckets - 1).astype(np.int64)


def m4_positions(y: np.ndarray, bucket: np.ndarray) -> dict[str, np.ndarray]:
    """Per bucket of points ordered by x (bucket numbers never decrease): the index of its first, last, lowest
    and highest point ("first", "last", "min", "max"; the first of equal extremes) and its "start" and "end"
    (exclusive). Vectorized: one pass of reduceat per column."""
    n = len(y)
    if not n:
        empty = np.zeros(0, np.int64)
        return dict.fromkeys(("start", "end", "first", "last", "min", "max"), empty)
    starts = np.concatenate(([0], np.flatnonzero(np.diff(bucket)) + 1))
    ends = np.concatenate((starts[1:], [n]))
    index = np.arange(n)
    sizes = ends - starts
    low = np.repeat(np.minimum.reduceat(y, starts), sizes)
    high = np.repeat(np.maximum.reduceat(y, starts), sizes)
    # The first index where the value is the bucket's extreme (elsewhere n, which never wins the minimum).
    at_min = np.minimum.reduceat(np.where(y == low, index, n), starts)
    at_max = np.minimum.reduceat(np.where(y == high, index, n), starts)
    return {"start": starts, "end": ends, "first": starts, "last": ends - 1, "min": at_min, "max": at_max}


def m4_rows(x: np.ndarray, y: np.ndarray, bucket: np.ndarray) -> dict[str, np.ndarray]:
    """M4 columns per bucket (as the page's pyramid holds them): "bucket", x_first, y_first, x_last, y_last,
    x_min, y_min, x_max, y_max, and the bucket's y_sum and point count n."""
    at = m4_positions(y, bucket)
    return {
        "bucket": bucket[at["start"]],
        "x_first": x[at["first"]],
        "y_first": y[at["first"]],
        "x_last": x[at["last"]],
        "y_last": y[at["last"]],
        "x_min": x[at["min"]],
        "y_min": y[at["min"]],
        "x_max": x[at["max"]],
        "y_max": y[at["max"]],
        "y_sum": np.add.reduceat(y, at["start"]) if len(y) else np.zeros(0, y.dtype),
        "n": (at["end"] - at["start"]).astype(np.int64),
    }


def m4_indices(x: np.ndarray, y: np.ndarray, buckets: int) -> np.ndarray:
    """Sorted indices of the points M4 keeps on `buckets` equal buckets over x's extent (all of them when they
    are at most 4 per bucket); `x` must be sorted ascending and `y` finite (see `finite_sorted`)."""
    n = len(x)
    if n <= 4 * buckets:
        return np.arange(n)
    at = m4_positions(y, equal_buckets(x, float(x[0]), float(x[-1]), buckets))
    return np.unique(np.concatenate([at["first"], at["last"], at["min"], at["max"]]))


def m4_points(x: Any, y: Any, max_points: int) -> tuple[np.ndarray, np.ndarray]:
    """At most `max_points` points of a line: its finite points sorted by x, M4-downsampled on max_points // 4
    buckets over its x extent when there are more. Accepts sequences holding None (left out)."""
    x, y = finite_sorted(x, y)
    kept = m4_indices(x, y, max(1, max_points // 4))
    return x[kept], y[kept]


def m4_aggregates_sql(x: str, y: str, x_cast: str = "") -> str:
    """The M4 aggregates of the points (x, y) of each SQL group, for native DuckDB: x_first, y_first, x_last,
    y_last, x_min, y_min, x_max, y_max (as the page's `m4AggregatesSql` in downsample-m4.ts, so a window the
    server answers is the bucket the page would compute). `x_cast` converts the aggregated x columns."""
    return (
        f"min({x}){x_cast} AS x_first, arg_min({y}, {x}) AS y_first, max({x}){x_cast} AS x_last, "
        f"arg_max({y}, {x}) AS y_last, arg_min({x}, {y}){x_cast} AS x_min, min({y}) AS y_min, "
        f"arg_max({x}, {y}){x_cast} AS x_max, max({y}) AS y_max"
    )


def m4_merge_sql() -> str:
    """The M4 aggregates of groups of M4 rows: the M4 of a union is the M4 of its parts' M4s."""
    return (
        "min(x_first) AS x_first, arg_min(y_first, x_first) AS y_first, max(x_last) AS x_last, "
        "arg_max(y_last, x_last) AS y_last, arg_min(x_min, y_min) AS x_min, min(y_min) AS y_min, "
        "arg_max(x_max, y_max) AS x_max, max(y_max) AS y_max"
    )


def equal_bucket_sql(x: str, x0: float, x1: float, buckets: int) -> str:
    """SQL of `equal_buckets`: the bucket of x among `buckets` equal buckets over [x0, x1], clamped."""
    if buckets < 1:
        raise ValueError(f"M4 needs a positive bucket count, got {buckets}")
    span = max(x1 - x0, float(np.finfo(np.float64).tiny))
    return f"least({buckets - 1}, greatest(0, floor(({x} - {x0!r})::DOUBLE * {buckets} / {span!r})))"
