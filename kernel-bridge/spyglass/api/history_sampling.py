"""A run's logged rows as the read API returns them: key selection, even sampling, streaming rows."""

from __future__ import annotations

import os
from collections.abc import Iterator, Sequence
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc

from ..store.arrow_codec import decode_payload
from ..store.framed_log import iter_frames

STEP = "_step"


def select_keys(table: pa.Table, keys: Sequence[str] | None, x_axis: str = STEP) -> pa.Table:
    """Keep `x_axis` and `keys`, only rows where every key was logged (as wandb does); None keeps all."""
    if keys is None:
        return table
    if isinstance(keys, str):
        keys = [keys]
    names = list(dict.fromkeys([x_axis, *keys]))
    columns = [
        table.column(name) if name in table.column_names else pa.nulls(table.num_rows, pa.float64())
        for name in names
    ]
    selected = pa.table(columns, names=names)
    if not keys:
        return selected
    mask = pc.is_valid(selected.column(keys[0]))
    for key in keys[1:]:
        mask = pc.and_(mask, pc.is_valid(selected.column(key)))
    return selected.filter(mask)


def sample_rows(table: pa.Table, samples: int | None) -> pa.Table:
    """Return at most `samples` evenly spaced rows, always the first and the last (None: every row)."""
    if samples is None or table.num_rows <= samples:
        return table
    return table.take(pa.array(sample_indices(table.num_rows, samples), pa.int64()))


def sample_indices(count: int, samples: int) -> list[int]:
    """Evenly spaced row indices over `count` rows: `samples` of them, first and last included."""
    if samples < 1:
        raise ValueError(f"samples must be at least 1 (or None for every row), got {samples}")
    if samples == 1:
        return [0]
    step = (count - 1) / (samples - 1)
    return sorted({round(index * step) for index in range(samples)})


def as_frame(table: pa.Table, pandas: bool = True) -> Any:
    """Return a pandas DataFrame when asked for and pandas is installed, else the pyarrow Table itself."""
    if pandas:
        try:
            import pandas  # noqa: F401  (optional dependency)
        except ImportError:
            return table
        return table.to_pandas()
    return table


def iter_rows(
    log_path: str | os.PathLike[str],
    *,
    keys: Sequence[str] | None = None,
    page_size: int = 1000,
    min_step: int | None = None,
    max_step: int | None = None,
) -> Iterator[dict[str, Any]]:
    """Yield the rows of a framed log as dicts of the values logged, one frame decoded at a time.

    min_step is inclusive and max_step exclusive (as in wandb); `keys` keeps `_step` plus the keys, and only
    rows where every key was logged.
    """
    if page_size < 1:
        raise ValueError(f"page_size must be at least 1, got {page_size}")
    if isinstance(keys, str):
        keys = [keys]
    if not os.path.exists(log_path):
        return
    for frame in iter_frames(log_path):
        batch = decode_payload(frame.payload)
        if min_step is not None or max_step is not None:
            batch = _in_step_range(batch, min_step, max_step)
        for start in range(0, batch.num_rows, page_size):
            for row in batch.slice(start, page_size).to_pylist():
                shaped = _shape_row(row, keys)
                if shaped is not None:
                    yield shaped


def _in_step_range(batch: pa.RecordBatch, min_step: int | None, max_step: int | None) -> pa.RecordBatch:
    if STEP not in batch.schema.names:
        return batch
    steps = batch.column(STEP)
    mask = pa.array([True] * batch.num_rows)
    if min_step is not None:
        mask = pc.and_(mask, pc.greater_equal(steps, min_step))
    if max_step is not None:
        mask = pc.and_(mask, pc.less(steps, max_step))
    return batch.filter(mask)


def _shape_row(row: dict[str, Any], keys: Sequence[str] | None) -> dict[str, Any] | None:
    if keys is None:
        return {name: value for name, value in row.items() if value is not None}
    if any(row.get(key) is None for key in keys):
        return None
    return {STEP: row.get(STEP), **{key: row[key] for key in keys}}
