"""The finer M4 levels of a held run (window_rows.py), kept as positions into its rows: a window at a level
its overview.arrow does not hold (finer than SPAN below the top, or a run without the file) reads ~one row per
bucket here instead of M4 over every raw row in range (32M rows for a level-6 window over 1,000 runs × 100k).

Level k of a run whose held rows are its finite points in step order: per bucket b = step >> k with rows, the
positions of its first and last row and of its lowest and highest value (the first of equal extremes, as
charts/m4.py picks them), and the sum of its values; 32 bytes per bucket, so levels 3 … 6 add ~7.5 bytes per
raw row. Level k + 1 is merged from level k (the M4 of a union is the M4 of its parts'), so building them
costs one pass over the rows for level 3 and a shrinking pass per level after it. The first, last, lowest and
highest point of a bucket are then its rows at those positions: a window bucket is exactly the M4 of its raw
rows.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..charts.m4 import m4_positions

MIN_LEVEL = 3


@dataclass(frozen=True)
class HeldLevel:
    """One level's buckets in bucket order: b (int64), the positions of their first, last, lowest and highest
    point (int32, n × 4) and their sums (float64)."""

    b: np.ndarray
    points: np.ndarray
    y_sum: np.ndarray


def build_levels(steps: np.ndarray, values: np.ndarray, last: int) -> list[HeldLevel]:
    """Levels MIN_LEVEL … `last` of finite points in step order (a shorter list when `last` < MIN_LEVEL)."""
    if last < MIN_LEVEL or not len(steps):
        return []
    keys = steps >> MIN_LEVEL
    at = m4_positions(values, keys)
    points = np.column_stack([at["start"], at["end"] - 1, at["min"], at["max"]]).astype(np.int32)
    level = HeldLevel(keys[at["start"]], points, np.add.reduceat(values, at["start"]))
    levels = [level]
    for _ in range(MIN_LEVEL + 1, last + 1):
        level = _merged(level, values)
        levels.append(level)
    return levels


def _merged(level: HeldLevel, values: np.ndarray) -> HeldLevel:
    """The next level: buckets paired (b >> 1); of equal extremes, the first in step order is kept."""
    keys = level.b >> 1
    lows = m4_positions(values[level.points[:, 2]], keys)
    highs = m4_positions(values[level.points[:, 3]], keys)
    starts = lows["start"]
    points = np.column_stack(
        [
            level.points[starts, 0],
            level.points[lows["end"] - 1, 1],
            level.points[lows["min"], 2],
            level.points[highs["max"], 3],
        ]
    )
    return HeldLevel(keys[starts], points, np.add.reduceat(level.y_sum, starts))
