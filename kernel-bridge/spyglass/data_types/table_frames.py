"""DataFrames to Arrow for sg.Table(dataframe=...): pandas, polars and pyarrow, converted column-wise.


Only a column Arrow cannot convert (an object column holding media, or mixed types) is read cell by cell, and
only that column.
"""

from __future__ import annotations

from typing import Any

import pyarrow as pa

from .errors import TableError
from .table_columns import to_column

_ARROW_ERRORS = (pa.ArrowInvalid, pa.ArrowTypeError, pa.ArrowNotImplementedError, TypeError, ValueError)


def frame_to_arrow(frame: Any, allow_mixed: bool) -> tuple[pa.Table, dict[str, list[Any]]]:
    """(Arrow table of the plain columns, {name: media objects} of media columns) of a DataFrame or table."""
    if isinstance(frame, pa.RecordBatch):
        frame = pa.Table.from_batches([frame])
    if isinstance(frame, pa.Table):
        return _string_names(frame), {}
    module = type(frame).__module__
    if module.startswith("pandas"):
        return _from_pandas(frame, allow_mixed)
    if module.startswith("polars"):
        return _from_polars(frame, allow_mixed)
    raise TableError(
        "sg.Table(dataframe=...) takes a pandas or polars DataFrame or a pyarrow Table, "
        f"got {type(frame).__name__}."
    )


def _from_pandas(frame: Any, allow_mixed: bool) -> tuple[pa.Table, dict[str, list[Any]]]:
    try:
        return _string_names(pa.Table.from_pandas(frame, preserve_index=False)), {}
    except _ARROW_ERRORS:
        pass  # some column needs a closer look: convert column by column
    arrays, names, objects = [], [], {}
    for name in frame.columns:
        series = frame[name]
        try:
            column: Any = pa.Array.from_pandas(series)
        except _ARROW_ERRORS:
            column = to_column(str(name), series.tolist(), None, allow_mixed)
        if isinstance(column, list):
            objects[str(name)] = column
        else:
            arrays.append(column)
            names.append(str(name))
    return pa.Table.from_arrays(arrays, names=names) if names else pa.table({}), objects


def _from_polars(frame: Any, allow_mixed: bool) -> tuple[pa.Table, dict[str, list[Any]]]:
    # polars exports an Object column (Python objects, e.g. sg.Image) as raw pointers: read those as lists.
    if not any(_is_object(dtype) for dtype in frame.dtypes):
        return _string_names(frame.to_arrow()), {}
    arrays, names, objects = [], [], {}
    for name in frame.columns:
        series = frame.get_column(name)
        if _is_object(series.dtype):
            column: Any = to_column(name, series.to_list(), None, allow_mixed)
        else:
            column = series.to_arrow()
        if isinstance(column, list):
            objects[name] = column
        else:
            arrays.append(column)
            names.append(name)
    return pa.Table.from_arrays(arrays, names=names) if names else pa.table({}), objects


def _is_object(dtype: Any) -> bool:
    return str(dtype) == "Object"


def _string_names(table: pa.Table) -> pa.Table:
    names = [str(name) for name in table.column_names]
    if len(set(names)) != len(names):
        raise TableError(f"sg.Table column names must be unique, got {names}.")
    return table.rename_columns(names) if names != table.column_names else table
