"""The report's binary block of chart series: x then float32 y per series, little-endian, concatenated.

x is stored as int32 differences ('i32-delta') when every x is an integer that fits (steps: the differences
deflate to almost nothing), else as float64. The whole block is deflated once when the page is written.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ..charts.m4 import m4_indices
from .budgets import M4_MAX_BUCKETS, series_points

_INT32 = np.iinfo(np.int32)


class SeriesBlock:
    """Collects series and hands out their references (offsets into the block)."""

    def __init__(self) -> None:
        self._parts: list[bytes] = []
        self._size = 0

    def add(self, run_id: str, x: np.ndarray, y: np.ndarray, series_in_chart: int) -> dict[str, Any]:
        """Add one series (already finite and sorted by x), downsampled to its share of the chart's budget."""
        raw_points = len(x)
        limit = series_points(series_in_chart)
        m4 = raw_points > limit
        if m4:
            kept = m4_indices(x, y, min(M4_MAX_BUCKETS, limit // 4))
            x, y = x[kept], y[kept]
        x_kind, x_bytes = _encode_x(x)
        data = x_bytes + np.ascontiguousarray(y, dtype="<f4").tobytes()
        ref = {
            "run": run_id,
            "n": len(x),
            "x": x_kind,
            "offset": self._size,
            "m4": m4,
            "raw_points": raw_points,
        }
        self._parts.append(data)
        self._size += len(data)
        return ref

    def to_bytes(self) -> bytes:
        return b"".join(self._parts)


def _encode_x(x: np.ndarray) -> tuple[str, bytes]:
    if len(x) and np.all(np.isfinite(x)) and np.all(x == np.round(x)):
        ints = x.astype(np.int64)
        deltas = np.diff(ints, prepend=0)
        if deltas.min() >= _INT32.min and deltas.max() <= _INT32.max:
            return "i32-delta", deltas.astype("<i4").tobytes()
    return "f64", np.ascontiguousarray(x, dtype="<f8").tobytes()
