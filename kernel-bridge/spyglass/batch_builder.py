"""Turn buffered segments of rows into one Arrow record batch (in the flusher thread, off the hot path)."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

import pyarrow as pa
import pyarrow.compute as pc

from .history import Segment
from .row_values import Kind

_ARROW_TYPES: dict[str, pa.DataType] = {"number": pa.float64(), "string": pa.utf8()}


def build_batch(
    segments: Sequence[Segment], kinds: Mapping[str, tuple[Kind, str]], started_at: float
) -> pa.RecordBatch:
    """Columns _step, _timestamp, _runtime, then each metric by first appearance; nulls where a row lacks one.

    Rows come out in step order. Keys whose kind is unknown (only ever None) are left out: they hold no data.
    """
    names: dict[str, pa.DataType] = {}
    for segment in segments:
        for key in segment.keys:
            if key not in names and key in kinds:
                names[key] = _ARROW_TYPES[kinds[key][0]]
    chunks: dict[str, list[pa.Array]] = {name: [] for name in ("_step", "_timestamp", "_runtime", *names)}
    for segment in segments:
        count = len(segment.rows)
        steps, times, columns = _segment_columns(segment.keys, segment.rows, names)
        chunks["_step"].append(steps)
        chunks["_timestamp"].append(times)
        chunks["_runtime"].append(pc.subtract(times, started_at))
        for name, arrow_type in names.items():
            column = columns.get(name)
            chunks[name].append(pa.nulls(count, arrow_type) if column is None else column)
    arrays = [c[0] if len(c) == 1 else pa.concat_arrays(c) for c in chunks.values()]
    batch = pa.RecordBatch.from_arrays(arrays, names=list(chunks))
    if len(segments) > 1:
        batch = batch.take(pc.sort_indices(batch.column(0)))
    return batch


def _segment_columns(
    keys: tuple[str, ...], rows: Sequence[tuple[object, ...]], names: Mapping[str, pa.DataType]
) -> tuple[pa.Array, pa.Array, dict[str, pa.Array]]:
    """Transpose a segment's flat row tuples (step, timestamp, *values) into steps, timestamps and columns."""
    width = len(keys) + 2
    if all(names.get(key) == pa.float64() for key in keys):
        # All numbers: convert the segment's tuples in one pa.array call (as fixed-size lists), then pick each
        # column out of the flat values with a strided take. Far cheaper than a Python list per column;
        # falls back when a value needs conversion (numpy 0-d arrays, tensors, huge ints).
        try:
            flat = pa.array(rows, pa.list_(pa.float64(), width)).flatten()
        except (pa.ArrowInvalid, pa.ArrowTypeError, TypeError, ValueError, OverflowError):
            pass
        else:
            first = pa.array(range(0, len(flat), width), pa.int64())
            steps = flat.take(first).cast(pa.int64())  # steps are exact in float64 up to 2**53
            times = flat.take(pc.add(first, 1))
            columns = {key: flat.take(pc.add(first, index + 2)) for index, key in enumerate(keys)}
            return steps, times, columns
    transposed = list(zip(*rows, strict=True))
    steps = pa.array(transposed[0], pa.int64())
    times = pa.array(transposed[1], pa.float64())
    metrics = zip(keys, transposed[2:], strict=True)
    columns = {key: to_arrow(values, names[key]) for key, values in metrics if key in names}
    return steps, times, columns


def to_arrow(values: Sequence[object], arrow_type: pa.DataType) -> pa.Array:
    """Convert one column of raw logged values (floats, ints, numpy scalars, 0-d tensors, None) to Arrow."""
    try:
        return pa.array(values, arrow_type)
    except (pa.ArrowInvalid, pa.ArrowTypeError, TypeError, ValueError, OverflowError):
        if arrow_type == pa.utf8():
            return pa.array([None if v is None else str(v) for v in values], arrow_type)
        return pa.array([_to_float(v) for v in values], arrow_type)


def _to_float(value: object) -> float | None:
    if value is None:
        return None
    try:
        return float(value)  # type: ignore[arg-type]
    except OverflowError:  # an int beyond float range: keep its sign, as inf (warned like any inf)
        return math.inf if value > 0 else -math.inf  # type: ignore[operator]
    except (TypeError, ValueError):
        item = getattr(
            value, "item", None
        )  # tensors whose __float__ is missing; may wait for a GPU, here only
        return float(item()) if item is not None else None


def merge_batches(batches: Sequence[pa.RecordBatch]) -> pa.RecordBatch:
    """One batch from several built in turn (columns unified by name, nulls where a part lacks one)."""
    if len(batches) == 1:
        return batches[0]
    tables = [pa.Table.from_batches([batch]) for batch in batches]
    merged = pa.concat_tables(tables, promote_options="default").combine_chunks()
    return merged.to_batches()[0] if merged.num_rows else pa.RecordBatch.from_pylist([], schema=merged.schema)


def nonfinite_columns(batch: pa.RecordBatch, skip: set[str]) -> list[str]:
    """Names of float metric columns (not in `skip`) holding NaN or ±inf."""
    found = []
    for field, column in zip(batch.schema, batch.columns, strict=True):
        if field.name.startswith("_") or field.name in skip or field.type != pa.float64():
            continue
        if pc.any(pc.invert(pc.is_finite(column))).as_py():
            found.append(field.name)
    return found
