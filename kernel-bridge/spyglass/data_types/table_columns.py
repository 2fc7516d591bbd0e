"""Table columns: declared dtypes, type inference from Python values, Arrow conversion and type names.

A column is either an Arrow array (numbers, text, booleans, nested values) or a list of media objects (images,
audio, ...) that become reference JSON strings when the table is logged. Ints and floats in one column are
stored as floats (the one silent coercion, as pandas and wandb do); any other mix raises ColumnTypeError, or
is
stored as JSON text with `allow_mixed_types=True`.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

import pyarrow as pa

from ..base.json_values import json_safe
from ..base.text_checks import is_storable, replaced_text
from .audio import Audio
from .errors import ColumnTypeError
from .histogram import Histogram
from .html import Html
from .image import Image
from .media import Media
from .object3d import Object3D
from .video import Video

_NAMED_TYPES: dict[str, pa.DataType] = {
    "integer": pa.int64(),
    "int": pa.int64(),
    "number": pa.float64(),
    "float": pa.float64(),
    "string": pa.string(),
    "str": pa.string(),
    "boolean": pa.bool_(),
    "bool": pa.bool_(),
}
_PYTHON_TYPES: dict[type, pa.DataType] = {
    int: pa.int64(),
    float: pa.float64(),
    str: pa.string(),
    bool: pa.bool_(),
}
_ARROW_ERRORS = (
    pa.ArrowInvalid,
    pa.ArrowTypeError,
    pa.ArrowNotImplementedError,
    TypeError,
    ValueError,
    OverflowError,
)


def media_kinds() -> dict[str, type[Media]]:
    """Media `_type` name -> class, for dtype="image" and friends."""
    return {cls._type: cls for cls in (Image, Audio, Video, Html, Object3D, Histogram)}


def normalise_dtype(column: str, dtype: Any) -> pa.DataType | type[Media] | None:
    """A declared column type as an Arrow type or a Media class (None: inferred from the values)."""
    if dtype is None or isinstance(dtype, pa.DataType):
        return dtype
    if isinstance(dtype, type) and issubclass(dtype, Media):
        return dtype
    if isinstance(dtype, str):
        if dtype in _NAMED_TYPES:
            return _NAMED_TYPES[dtype]
        kinds = media_kinds()
        if dtype in kinds:
            return kinds[dtype]
    elif isinstance(dtype, type) and dtype in _PYTHON_TYPES:
        return _PYTHON_TYPES[dtype]
    else:
        try:
            import numpy as np

            return pa.from_numpy_dtype(np.dtype(dtype))
        except (TypeError, ValueError, pa.ArrowNotImplementedError):
            pass
    raise TypeError(
        f"table column {column!r}: dtype {dtype!r} is not understood; use int, float, str, bool, a pyarrow "
        "type, a numpy dtype, a media class (sg.Image) or its name ('image')."
    )


def to_column(
    name: str, values: Sequence[Any], dtype: pa.DataType | type[Media] | None, allow_mixed: bool = False
) -> pa.Array | list[Any]:
    """Values of one column as an Arrow array, or a list of media objects (None for missing cells)."""
    if isinstance(dtype, type):
        _check_media(name, values, dtype)
        return list(values)
    try:
        return pa.array(values, type=dtype)
    except _ARROW_ERRORS as error:
        arrow_error = error
    if any(isinstance(value, str) and not is_storable(value) for value in values):
        # Lone surrogates have no UTF-8: the text is kept with U+FFFD in their place (docs/python-run-api.md).
        warned: set[str] = set()
        where = f"sg.Table column {name!r}"
        storable = [
            replaced_text(where, value, warned)
            if isinstance(value, str) and not is_storable(value)
            else value
            for value in values
        ]
        return to_column(name, storable, dtype, allow_mixed)
    unwrapped = _unwrap_scalars(values)
    if unwrapped is not None:  # 0-d tensors and arrays among the values: as their Python numbers (wandb)
        try:
            return pa.array(unwrapped, type=dtype)
        except _ARROW_ERRORS as error:
            arrow_error, values = error, unwrapped
    kinds = {type(value) for value in values if value is not None}
    media = [kind for kind in kinds if issubclass(kind, Media)]
    if media and dtype is None and len(media) == len(kinds) and len({kind._type for kind in media}) == 1:
        return list(values)
    if allow_mixed and dtype is None:
        return pa.array([None if value is None else _text_of(value) for value in values], pa.string())
    names = sorted({kind.__name__ for kind in kinds})
    row = _first_conflict(values)
    if media:
        advice = "Keep each kind of media in its own column, and other values out of media columns."
    elif dtype is not None:
        advice = f"The column is declared {dtype}; convert the values, or drop the dtype. ({arrow_error})"
    else:
        advice = (
            "Give the column one type (ints and floats together are stored as floats), declare "
            "dtype=str to store text, or pass allow_mixed_types=True to store every value as JSON text."
        )
    raise ColumnTypeError(name, names, row, advice)


def media_type_of(objects: Sequence[Any]) -> str:
    """The `_type` of a media column (its first non-missing cell)."""
    return next((value._type for value in objects if value is not None), "string")


def type_name(arrow_type: pa.DataType) -> str:
    """The column type the table explorer sees: integer, number, string, boolean, timestamp, date, ..."""
    if pa.types.is_dictionary(arrow_type):
        arrow_type = arrow_type.value_type
    if pa.types.is_boolean(arrow_type):
        return "boolean"
    if pa.types.is_integer(arrow_type):
        return "integer"
    if pa.types.is_floating(arrow_type) or pa.types.is_decimal(arrow_type):
        return "number"
    if (
        pa.types.is_string(arrow_type)
        or pa.types.is_large_string(arrow_type)
        or pa.types.is_string_view(arrow_type)
    ):
        return "string"
    if pa.types.is_timestamp(arrow_type):
        return "timestamp"
    if pa.types.is_date(arrow_type):
        return "date"
    if pa.types.is_duration(arrow_type):
        return "duration"
    if pa.types.is_null(arrow_type):
        return "null"
    if pa.types.is_binary(arrow_type) or pa.types.is_large_binary(arrow_type):
        return "binary"
    if (
        pa.types.is_list(arrow_type)
        or pa.types.is_large_list(arrow_type)
        or pa.types.is_fixed_size_list(arrow_type)
    ):
        return "list"
    if pa.types.is_struct(arrow_type) or pa.types.is_map(arrow_type):
        return "struct"
    return str(arrow_type)


def _check_media(name: str, values: Sequence[Any], kind: type[Media]) -> None:
    for row, value in enumerate(values):
        if value is not None and not isinstance(value, kind):
            raise ColumnTypeError(
                name,
                sorted({kind.__name__, type(value).__name__}),
                row,
                f"The column is declared {kind.__name__}; wrap the value in sg.{kind.__name__}(...).",
            )


def _unwrap_scalars(values: Sequence[Any]) -> list[Any] | None:
    """`values` with 0-d tensors/arrays and numpy scalars as Python numbers; None when there are none."""
    found = False
    unwrapped = []
    for value in values:
        if _is_scalar_like(value):
            found = True
            value = value.item()
        unwrapped.append(value)
    return unwrapped if found else None


def _is_scalar_like(value: Any) -> bool:
    # numpy scalars, 0-d numpy arrays, torch/jax 0-d tensors: a dtype, an empty shape and .item().
    if value is None or isinstance(value, (str, bytes, Media)) or not hasattr(value, "item"):
        return False
    try:
        return getattr(value, "dtype", None) is not None and tuple(value.shape) == ()
    except (AttributeError, TypeError):
        return False


def _first_conflict(values: Sequence[Any]) -> int | None:
    first: type | None = None
    for row, value in enumerate(values):
        if value is None:
            continue
        kind = type(value)
        number = isinstance(value, (int, float)) and not isinstance(value, bool)
        if first is None:
            first = float if number else kind
        elif (float if number else kind) is not first:
            return row
    return None


def _text_of(value: Any) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, Media):
        return json.dumps({"_type": value._type, "repr": repr(value)})
    return json.dumps(json_safe(value), ensure_ascii=False)


def as_text(column: Any) -> pa.Array:
    """A column as JSON text (allow_mixed_types): strings kept, other values as JSON."""
    if pa.types.is_string(column.type):
        return column
    if pa.types.is_null(column.type):
        return column.cast(pa.string())
    return pa.array([None if value is None else _text_of(value) for value in column.to_pylist()], pa.string())
