"""A dataset's rows as one Arrow table and back, losing nothing JSON can hold.

Columns Arrow can type on its own (numbers, text, booleans, lists and dicts of one shape) stay typed, so the
Parquet file reads well in DuckDB and the table explorer; a column whose values Arrow cannot unify (a number
in one row, text in another) is stored as JSON text and named in the schema metadata, so reading it back
gives the values as they were given.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping, Sequence
from typing import Any

import pyarrow as pa

from .errors import DatasetError

JSON_COLUMNS_KEY = b"spyglass.dataset.json_columns"


def checked_rows(rows: Any) -> list[dict[str, Any]]:
    """The rows as a list of dicts with text keys; DatasetError naming the first row that is not one."""
    if isinstance(rows, (str, bytes)) or not isinstance(rows, Sequence):
        raise DatasetError(
            "a dataset's rows are a list of dicts (or a pandas DataFrame or sg.Table), "
            f"got {type(rows).__name__}"
        )
    if not rows:
        raise DatasetError("a dataset needs at least one row")
    checked = []
    for index, row in enumerate(rows):
        if not isinstance(row, Mapping):
            raise DatasetError(f"dataset row {index} is a {type(row).__name__}, not a dict of column values")
        bad = [key for key in row if not isinstance(key, str) or not key]
        if bad:
            raise DatasetError(
                f"dataset row {index} has column names that are not non-empty text: {bad[:3]!r}"
            )
        for key, value in row.items():
            _check_value(index, key, value)
        checked.append(dict(row))
    return checked


def rows_to_arrow(rows: list[dict[str, Any]]) -> pa.Table:
    """One column per key seen in any row (first-seen order); a missing key is null in that row."""
    names = list(dict.fromkeys(key for row in rows for key in row))
    columns, json_columns = [], []
    for name in names:
        values = [row.get(name) for row in rows]
        column = _typed(values)
        if column is None:
            column = pa.array([None if v is None else _json(v) for v in values], pa.string())
            json_columns.append(name)
        columns.append(column)
    table = pa.Table.from_arrays(columns, names=names)
    return table.replace_schema_metadata({JSON_COLUMNS_KEY: json.dumps(json_columns).encode()})


def arrow_to_rows(table: pa.Table) -> list[dict[str, Any]]:
    """The rows back as dicts, JSON columns decoded (a key a row did not have reads back as None)."""
    metadata = table.schema.metadata or {}
    json_columns = set(json.loads(metadata.get(JSON_COLUMNS_KEY, b"[]")))
    rows = table.to_pylist()
    if json_columns:
        for row in rows:
            for name in json_columns:
                if row.get(name) is not None:
                    row[name] = json.loads(row[name])
    return rows


def _typed(values: list[Any]) -> pa.Array | None:
    # Arrow unifies dicts of different keys into one struct (adding None fields): keep a column typed only
    # when it reads back as given.
    try:
        column = pa.array(values)
    except (pa.ArrowInvalid, pa.ArrowTypeError, OverflowError):
        return None
    if not pa.types.is_null(column.type) and column.to_pylist() != [_plain(v) for v in values]:
        return None
    return column


def _plain(value: Any) -> Any:
    if isinstance(value, (list, tuple)):
        return [_plain(item) for item in value]
    if isinstance(value, Mapping):
        return {key: _plain(item) for key, item in value.items()}
    return value


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, allow_nan=False)


def _check_value(index: int, key: str, value: Any, depth: int = 0) -> None:
    # Values must be data a reader gets back as they were: JSON's kinds (tuples read back as lists).
    if value is None or isinstance(value, (bool, int, str)):
        return
    if isinstance(value, float):
        if not math.isfinite(value):
            raise DatasetError(f"dataset row {index} column {key!r} holds {value}; store it as null or text")
        return
    if depth > 20:
        raise DatasetError(f"dataset row {index} column {key!r} is nested deeper than 20 levels")
    if isinstance(value, Mapping):
        for inner_key, inner in value.items():
            if not isinstance(inner_key, str):
                raise DatasetError(f"dataset row {index} column {key!r} has a dict key that is not text")
            _check_value(index, key, inner, depth + 1)
        return
    if isinstance(value, (list, tuple)):
        for inner in value:
            _check_value(index, key, inner, depth + 1)
        return
    raise DatasetError(
        f"dataset row {index} column {key!r} holds a {type(value).__name__}; a dataset holds numbers, text, "
        "booleans, null, and lists and dicts of them (convert the value, e.g. to text or a list)"
    )
