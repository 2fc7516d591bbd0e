"""The JSON text of a frame's inputs and outputs, a column at a time (the writer thread's per-row cost).

Values kept as passed (numbers, None, strings) are mostly of one type per column: a column of ints is its own
JSON text through `%s`, a column of short strings one C call per value, and the inputs of calls of one op with
the same number of positional arguments fill the op's '{"a":%s,"b":%s}' template row by row, all in C-level
maps. Anything else goes through kept_json / to_json value by value (value_encoding.py), with the same text.
"""

from __future__ import annotations

import json
import math
import operator
from itertools import compress, groupby
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc

from .value_encoding import INLINE_TEXT_CHARS, kept_json

_encode_string = json.encoder.encode_basestring
_INPUTS_JSON = operator.methodcaller("inputs_json")
_INT = frozenset({int})
_NUMBER = frozenset({int, float})
_STR = frozenset({str})
_NONE = frozenset({type(None)})


def kept_column(values: Any, sinks: Any) -> Any:
    """The JSON text of each kept value; long strings become references."""
    values = _template_values(values, sinks)
    return list(map(str, values)) if values and type(values[0]) is not str else values


def _template_values(values: Any, sinks: Any) -> Any:
    # Ints and finite floats as they are (their `%s` is their JSON), other values as JSON text.
    kinds = set(map(type, values))
    if kinds <= _INT or (kinds <= _NUMBER and all(map(math.isfinite, values))):  # bool is not in these
        return values
    if kinds <= _STR and max(map(len, values), default=0) <= INLINE_TEXT_CHARS:
        return list(map(_encode_string, values))
    if kinds <= _NONE:
        return ["null"] * len(values)
    return list(map(kept_json, values, sinks))


def inputs_column(records: list[Any], sinks: Any, specs: Any, args: Any, kwargs: Any, inputs: Any) -> Any:
    """The inputs JSON of each record (fields given as columns; a list or an Arrow string array), grouped by
    op and argument count where the arguments were kept."""
    count = len(records)
    if not count:
        return []
    texts: list[Any] | None = None
    rows: Any = range(count)
    if inputs.count(None) != count or any(kwargs):
        # Arguments encoded in the call, or passed by keyword: those rows ask their record.
        simple = [encoded is None and not named for encoded, named in zip(inputs, kwargs, strict=True)]
        texts = [None if fits else record.inputs_json() for record, fits in zip(records, simple, strict=True)]
        rows = list(compress(rows, simple))
        args, specs = list(map(args.__getitem__, rows)), list(map(specs.__getitem__, rows))
    widths = list(map(len, args))
    one_op = texts is None and specs.count(specs[0]) == count and widths.count(widths[0]) == count
    if one_op and _fits(specs[0], widths[0]):  # the usual frame: one op, one argument count, in row order
        try:
            return _joined(specs[0], args, sinks)
        except UnicodeEncodeError:  # a lone surrogate: as text, which build_batch replaces
            return _filled(specs[0], args, sinks)
    keys = list(zip(map(id, specs), widths, strict=True))
    ordered = sorted(range(len(rows)), key=keys.__getitem__)
    groups = [list(group) for _, group in groupby(ordered, keys.__getitem__)]
    if texts is None:
        texts = [None] * count
    for members in groups:
        spec, width = specs[members[0]], len(args[members[0]])
        targets = list(map(rows.__getitem__, members))
        if _fits(spec, width):
            group_args = list(map(args.__getitem__, members))
            filled = _filled(spec, group_args, list(map(sinks.__getitem__, targets)))
        else:  # a redacted parameter name or extra *args: the record's own encoding
            filled = list(map(_INPUTS_JSON, map(records.__getitem__, targets)))
        list(map(texts.__setitem__, targets, filled))
    return texts


def _fits(spec: Any, width: int) -> bool:
    return spec.plain_names and width <= len(spec.names)


def _filled(spec: Any, args: list[tuple[Any, ...]], sinks: list[Any]) -> list[str]:
    """'{"a":%s,"b":%s}' filled with each row's arguments (all rows of one op and argument count)."""
    width = len(args[0])
    if width == 0:
        return ["{}"] * len(args)
    columns = [_template_values(list(map(operator.itemgetter(k), args)), sinks) for k in range(width)]
    return list(map(spec.templates[width].__mod__, zip(*columns, strict=True)))


def _joined(spec: Any, args: Any, sinks: Any) -> Any:
    """As _filled, joined by Arrow (an array): a column of ints becomes text there, with no per-row Python."""
    width = len(args[0])
    if width == 0:
        return ["{}"] * len(args)
    pieces = spec.templates[width].split("%s")  # parameter names hold no "%"
    parts: list[Any] = []
    for k in range(width):
        parts += [pieces[k], text_array(list(map(operator.itemgetter(k), args)), sinks)]
    return pc.binary_join_element_wise(*parts, pieces[-1], "")


def text_array(values: list[Any], sinks: Any) -> pa.Array:
    """The JSON text of kept values as an Arrow column (a column of ints is made text by Arrow)."""
    if set(map(type, values)) <= _INT:
        try:
            return pa.array(values, pa.int64()).cast(pa.string())
        except OverflowError:  # an int past 64 bits: Python writes it
            pass
    return pa.array(kept_column(values, sinks), pa.string())
