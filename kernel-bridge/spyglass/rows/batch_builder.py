"""Turn buffered segments of rows into one Arrow record batch (in the flusher thread, off the hot path)."""

from __future__ import annotations

import math
import operator
import struct
from collections.abc import Collection, Mapping, Sequence

import pyarrow as pa
import pyarrow.compute as pc

from .history import SegmentColumns
from .row_values import Kind
from .value_isolation import (
    Report,
    ValueReport,
    ignore,
    key_report,
    number_or_null,
    raise_if_fatal,
    text_or_null,
)

_ARROW_TYPES: dict[str, pa.DataType] = {"number": pa.float64(), "string": pa.utf8()}
# struct format characters of the fixed-width types packed without pa.array (see _packed).
_PACK_CODES: dict[pa.DataType, str] = {pa.float64(): "d", pa.int64(): "q"}


def build_batch(
    segments: Sequence[SegmentColumns],
    kinds: Mapping[str, tuple[Kind, str]],
    started_at: float,
    float_keys: Collection[str] | None = None,
    report: Report | None = None,
) -> pa.RecordBatch:
    """Columns _step, _timestamp, _runtime, then each metric by first appearance; nulls where a row lacks one.

    Rows come out in step order. Keys whose kind is unknown (only ever None) are left out: they hold no data.
    A value that cannot be converted is stored as null (text: lone surrogates as U+FFFD) and `report`ed.
    With `float_keys` (History.float_keys) given, a number key not in it holds only ints and is int64; else
    every number is float64.
    """
    names: dict[str, pa.DataType] = {}
    for segment in segments:
        for key in segment.keys:
            if key not in names and key in kinds:
                kind = kinds[key][0]
                integer = kind == "number" and float_keys is not None and key not in float_keys
                names[key] = pa.int64() if integer else _ARROW_TYPES[kind]
    chunks: dict[str, list[pa.Array]] = {name: [] for name in ("_step", "_timestamp", "_runtime", *names)}
    for segment in segments:
        count = segment.row_count
        steps, times, columns = _to_arrow_columns(segment, names, report)
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


def _to_arrow_columns(
    segment: SegmentColumns, names: Mapping[str, pa.DataType], report: Report | None = None
) -> tuple[pa.Array, pa.Array, dict[str, pa.Array]]:
    """A segment's steps, timestamps and metric columns (those with a known kind) as Arrow arrays."""
    steps, times, *values = segment.columns
    metrics = zip(segment.keys, values, strict=True)
    columns = {
        key: to_arrow(column, names[key], key_report(report, key)) for key, column in metrics if key in names
    }
    return to_arrow(steps, pa.int64()), to_arrow(times, pa.float64()), columns


def to_arrow(values: Sequence[object], arrow_type: pa.DataType, report: ValueReport = ignore) -> pa.Array:
    """Convert one column of raw logged values (floats, ints, numpy scalars, 0-d tensors, None) to Arrow.

    A value whose conversion raises (anything but MemoryError) becomes null and is `report`ed.
    """
    code = _PACK_CODES.get(arrow_type)
    if code is not None:
        try:
            return _packed(values, code, arrow_type)
        except BaseException as error:  # None, an int beyond float range, a value whose __float__ raises
            raise_if_fatal(error)  # pa.array and the fallbacks below handle the others
    try:
        return pa.array(values, arrow_type)
    except BaseException as error:
        raise_if_fatal(error)
        if arrow_type == pa.utf8():
            return pa.array([text_or_null(v, report) for v in values], arrow_type)
        if arrow_type == pa.int64():
            return pa.array([None if v is None else operator.index(v) for v in values], arrow_type)
        return pa.array([number_or_null(v, _to_float, report) for v in values], arrow_type)


def _packed(values: Sequence[object], code: str, arrow_type: pa.DataType) -> pa.Array:
    # struct.pack writes the values' bytes about twice as fast as pa.array converts a list, and Arrow takes
    # the bytes as the array's buffer without a copy. It accepts exactly what float()/int() accept (numpy
    # scalars, 0-d arrays and tensors too) and raises on None; callers in log()'s thread only pass plain
    # Python numbers, so no tensor is read there.
    data = struct.pack(f"{len(values)}{code}", *values)
    return pa.Array.from_buffers(arrow_type, len(values), [None, pa.py_buffer(data)])


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
    # "permissive": an int64 column of an earlier batch and a float64 one of a later batch become float64.
    merged = pa.concat_tables(tables, promote_options="permissive").combine_chunks()
    return merged.to_batches()[0] if merged.num_rows else pa.RecordBatch.from_pylist([], schema=merged.schema)


def nonfinite_columns(batch: pa.RecordBatch, skip: set[str]) -> list[str]:
    """Names of float metric columns (not in `skip`) holding NaN or ±inf."""
    checked = {
        field.name: column
        for field, column in zip(batch.schema, batch.columns, strict=True)
        if not field.name.startswith("_") and field.name not in skip and field.type == pa.float64()
    }
    # One pass over all the columns at once (chunks of one array, no copy); column by column only when
    # something is found, which is rare. Nulls are skipped: a column of only nulls is finite.
    if not checked:
        return []
    together = pa.chunked_array(checked.values(), pa.float64())
    if pc.all(pc.is_finite(together)).as_py() is not False:
        return []
    return [name for name, column in checked.items() if pc.all(pc.is_finite(column)).as_py() is False]
