"""M4 downsampling (Jugel et al., VLDB 2014): per x bucket keep the first, last, minimum and maximum point, so
a line drawn from the kept points has the same pixels as one drawn from all of them (spikes survive)."""

from __future__ import annotations

import numpy as np


def m4_indices(x: np.ndarray, y: np.ndarray, buckets: int) -> np.ndarray:
    """Sorted indices of the points M4 keeps; `x` must be sorted ascending and `y` finite."""
    n = len(x)
    if n <= 4 * buckets:
        return np.arange(n)
    span = float(x[-1] - x[0])
    if span <= 0:
        bucket = np.zeros(n, dtype=np.int64)
    else:
        bucket = np.minimum(((x - x[0]) / span * buckets).astype(np.int64), buckets - 1)
    starts = np.flatnonzero(np.r_[True, bucket[1:] != bucket[:-1]])
    ends = np.r_[starts[1:], n] - 1
    # Within each bucket (x order is bucket order), sort by value: the group's first is its min, last its max.
    by_value = np.lexsort((y, bucket))
    group_starts = np.flatnonzero(np.r_[True, bucket[by_value][1:] != bucket[by_value][:-1]])
    group_ends = np.r_[group_starts[1:], n] - 1
    kept = np.concatenate([starts, ends, by_value[group_starts], by_value[group_ends]])
    return np.unique(kept)
