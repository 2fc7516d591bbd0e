"""A frame's call ids as one Arrow column, written by numpy rather than formatted row by row.

An id is 16 hex digits of its process's random prefix and 16 of its call number (call_record.py). For the
records of one process the writer thread lays the digits out as fixed 32-byte rows and hands the buffer to
Arrow as a string column, so an id costs no Python string (bench/op_overhead).
"""

from __future__ import annotations

import operator
from itertools import repeat
from typing import Any

import numpy as np
import pyarrow as pa

ID_CHARS = 32
_HEX = np.frombuffer(b"0123456789abcdef", np.uint8)
_BYTE_DIGITS = np.stack([_HEX[np.arange(256) >> 4], _HEX[np.arange(256) & 15]], axis=1)  # byte -> 2 digits
_NUMBER = operator.attrgetter("number")
_PREFIX = operator.attrgetter("prefix")


def id_column(records: list[Any]) -> pa.Array:
    """The ids of `records` (a None item gives a null), the same text as each record's `id`."""
    count = len(records)
    nones = records.count(None)
    if nones == count:
        return pa.nulls(count, pa.string())
    present = list(filter(None, records)) if nones else records
    prefixes = list(map(_PREFIX, present))
    prefix = prefixes[0]
    numbers = [0 if record is None else record.number for record in records] if nones else None
    if prefixes.count(prefix) != len(prefixes) or len(prefix) != ID_CHARS // 2:  # another process's calls
        return pa.array([None if record is None else record.id for record in records], pa.string())
    if numbers is None:
        numbers = list(map(_NUMBER, records))
    try:
        digits = _BYTE_DIGITS[np.asarray(numbers, dtype=">u8").view(np.uint8)].reshape(count, ID_CHARS // 2)
    except OverflowError:  # a number past 64 bits (never in practice): formatted by Python
        return pa.array([None if record is None else record.id for record in records], pa.string())
    data = np.empty((count, ID_CHARS), np.uint8)
    data[:, : ID_CHARS // 2] = np.frombuffer(prefix.encode("ascii"), np.uint8)
    data[:, ID_CHARS // 2 :] = digits
    offsets = np.arange(0, ID_CHARS * count + 1, ID_CHARS, dtype=np.int32)
    validity = None
    if nones:
        validity = pa.array(list(map(operator.is_not, records, repeat(None))), pa.bool_()).buffers()[1]
    return pa.StringArray.from_buffers(
        count, pa.py_buffer(offsets), pa.py_buffer(data), validity, nones if nones else 0
    )
