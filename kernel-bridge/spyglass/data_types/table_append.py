"""Growing a table's Arrow data: rows appended below (with type unification) and columns from array-likes."""

from __future__ import annotations

from typing import Any

import pyarrow as pa

from .errors import ColumnTypeError
from .table_columns import as_text, type_name


def append_rows(existing: pa.Table, fresh: pa.Table, added: int, allow_mixed: bool) -> pa.Table:
    """`existing` with `added` rows of `fresh` below it, column by column (so a conflict names its column).

    All-null columns take the other side's type; ints and floats become floats; with allow_mixed, text.
    """
    if not existing.num_rows and not existing.num_columns:
        return fresh
    columns = {}
    for name in existing.column_names:
        old = existing.column(name)
        new = fresh.column(name) if name in fresh.column_names else pa.nulls(added, old.type)
        if old.type != new.type:
            old, new = _unify(name, old, new, allow_mixed)
        columns[name] = pa.chunked_array([*_chunks(old), *_chunks(new)], old.type)
    return pa.table(columns, schema=None).replace_schema_metadata(existing.schema.metadata)


def _chunks(column: pa.Array | pa.ChunkedArray) -> list[pa.Array]:
    return column.chunks if isinstance(column, pa.ChunkedArray) else [column]


def _unify(name: str, old: Any, new: Any, allow_mixed: bool) -> tuple[Any, Any]:
    if pa.types.is_null(old.type):
        return old.cast(new.type), new
    if pa.types.is_null(new.type):
        return old, new.cast(old.type)
    numbers = (pa.types.is_integer, pa.types.is_floating)
    if any(test(old.type) for test in numbers) and any(test(new.type) for test in numbers):
        return old.cast(pa.float64()), new.cast(pa.float64())
    if allow_mixed:
        return as_text(old), as_text(new)
    raise ColumnTypeError(
        name,
        sorted({type_name(old.type), type_name(new.type)}),
        len(old),
        "Rows added later must keep the column's type (ints and floats together become floats).",
    )


def series_to_arrow(data: Any) -> pa.Array | pa.ChunkedArray | None:
    """Arrow data of a numpy array, pandas/polars Series or Arrow array (no Python loop); else None."""
    if isinstance(data, (pa.Array, pa.ChunkedArray)):
        return data
    module = type(data).__module__
    try:
        if module.startswith("numpy") and getattr(data, "dtype", None) is not None and data.dtype != object:
            return pa.array(data)
        if module.startswith("pandas") and str(getattr(data, "dtype", "object")) != "object":
            return pa.Array.from_pandas(data)
        if module.startswith("polars") and hasattr(data, "to_arrow") and str(data.dtype) != "Object":
            return data.to_arrow()
    except (pa.ArrowInvalid, pa.ArrowTypeError, pa.ArrowNotImplementedError, TypeError, ValueError):
        return None
    return None
