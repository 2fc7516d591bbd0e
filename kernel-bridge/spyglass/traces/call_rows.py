"""Calls as Arrow rows: the schema of calls.sglog and calls.parquet, and the latest row of each call.

A call gets one row when it ends; a call still running when its session flushes gets a "running" row first.
Readers keep the last row of each id (docs/store-format.md#traces).
"""

from __future__ import annotations

import operator
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc

from ..base.text_checks import replace_surrogates
from .call_ids import id_column
from .call_record import RUNNING, SUCCESS, UNFINISHED, CallRecord
from .json_columns import inputs_column, kept_column, text_array
from .value_encoding import encode, to_json

_TIME = pa.timestamp("us", tz="UTC")
CALL_SCHEMA = pa.schema(
    [
        ("id", pa.string()),
        ("trace_id", pa.string()),
        ("parent_id", pa.string()),
        ("op_name", pa.string()),
        ("status", pa.string()),
        ("started_at", _TIME),
        ("ended_at", _TIME),
        ("inputs", pa.string()),
        ("output", pa.string()),
        ("exception", pa.string()),
        ("attributes", pa.string()),
        ("usage", pa.string()),
        ("cost", pa.float64()),
        ("run_id", pa.string()),
        ("thread_id", pa.int64()),
        ("thread_name", pa.string()),
        ("task", pa.string()),
    ]
)
JSON_COLUMNS = ("inputs", "output", "attributes", "usage")


# The fields a row reads, one C-level pass over a frame's records each (no per-record tuple to allocate).
_FIELDS = {
    name: operator.attrgetter(name)
    for name in (
        "parent",
        "output",
        "exception",
        "ended_ns",
        "_usage",  # the values behind the validating usage and cost properties
        "_cost",
        "spec",
        "started_ns",
        "attributes",
        "thread",
        "task",
        "args",
        "kwargs",
        "inputs",
    )
}
_NAME = operator.attrgetter("name")
_ROOT = operator.attrgetter("root")
_NULL_TEXT = pa.scalar(None, pa.string())


def _microseconds(nanoseconds: Any) -> pa.Array:
    # Whole microseconds of epoch nanoseconds, divided in Arrow rather than once per row in Python.
    return pc.divide(pa.array(nanoseconds, pa.int64()), 1000).cast(_TIME)


def _array(values: list[Any], kind: pa.DataType) -> pa.Array:
    """`values` as an Arrow column; a column of one value (all None, one op, one thread) made at once."""
    first = values[0]
    if first is None and values.count(None) == len(values):
        return pa.nulls(len(values), kind)
    if type(first) is str and values.count(first) == len(values):
        return pa.repeat(pa.scalar(first, kind), len(values))
    return pa.array(values, kind)


def _text(values: Any) -> pa.Array:
    """A text column (a list or an Arrow array); a lone surrogate (no UTF-8 form) is replaced, row kept."""
    if isinstance(values, pa.Array):
        return values
    try:
        return _array(values, pa.string())
    except UnicodeEncodeError:
        return pa.array([None if text is None else replace_surrogates(text) for text in values], pa.string())


def _json_or_null(values: Any) -> Any:
    # Most calls have no attributes or usage: a column of None is kept as it is (counted in C).
    if values.count(None) == len(values):
        return values
    return [None if value is None else to_json(value) for value in values]


def _usage_column(usages: Any, sink: Any) -> Any:
    if usages.count(None) == len(usages):
        return usages
    return _json_or_null([encode(usage, sink) for usage in usages])


def _thread_columns(threads: list[Any]) -> tuple[pa.Array, pa.Array]:
    if threads.count(threads[0]) == len(threads):  # calls of one thread: its id and name once
        count, thread = len(threads), threads[0]
        return pa.repeat(pa.scalar(thread.ident, pa.int64()), count), _text([thread.name] * count)
    idents, names = [thread.ident for thread in threads], [thread.name for thread in threads]
    return pa.array(idents, pa.int64()), _text(names)


def _only(values: list[Any], keep: list[bool]) -> list[Any]:
    return [value if kept else None for value, kept in zip(values, keep, strict=True)]


def build_batch(records: list[CallRecord], statuses: list[str], run_id: str | None) -> pa.RecordBatch:
    """One row per record with its status; a running or unfinished row leaves end, output and exception empty.

    Column by column: each field of every record is read in one C-level pass, and columns are built in Arrow
    (ids by numpy, a column of one value at once), so a row costs little Python (bench/op_overhead).
    """
    count = len(records)
    if not count:
        return pa.RecordBatch.from_pylist([], schema=CALL_SCHEMA)
    field = {name: list(map(getter, records)) for name, getter in _FIELDS.items()}
    sink = records[0].session  # a session's queue holds its own calls only
    sinks = [sink] * count
    parents = field["parent"]
    ids = id_column(records)
    if parents.count(None) == count:  # root calls: each is its own trace
        trace_ids, parent_ids = ids, pa.nulls(count, pa.string())
    else:
        trace_ids, parent_ids = id_column(list(map(_ROOT, records))), id_column(parents)
    ended_ns, exceptions = field["ended_ns"], field["exception"]
    try:
        outputs = text_array(field["output"], sinks)
    except UnicodeEncodeError:  # a lone surrogate: as text, which _text replaces
        outputs = _text(kept_column(field["output"], sinks))
    if statuses.count(SUCCESS) != count:  # only a successful call has an output
        outputs = pc.if_else(pa.array([status == SUCCESS for status in statuses]), outputs, _NULL_TEXT)
        if RUNNING in statuses or UNFINISHED in statuses:  # rows of calls that have not ended: no end values
            ended = [status not in (RUNNING, UNFINISHED) for status in statuses]
            ended_ns, exceptions = _only(ended_ns, ended), _only(exceptions, ended)
    specs = field["spec"]
    columns = [
        ids,
        trace_ids,
        parent_ids,
        _text(list(map(_NAME, specs))),
        _array(statuses, pa.string()),
        _microseconds(field["started_ns"]),
        _microseconds(ended_ns),
        _text(inputs_column(records, sinks, specs, field["args"], field["kwargs"], field["inputs"])),
        outputs,
        _text(exceptions),
        _text(_json_or_null(field["attributes"])),
        _text(_usage_column(field["_usage"], sink)),
        _array(field["_cost"], pa.float64()),
        _array([run_id] * count, pa.string()),
        *_thread_columns(field["thread"]),
        _text(field["task"]),
    ]
    return pa.RecordBatch.from_arrays(columns, schema=CALL_SCHEMA)


def latest_rows(table: pa.Table) -> pa.Table:
    """The last row of each call id, ordered by start time (then id)."""
    if table.num_rows == 0:
        return table
    numbered = table.append_column("_row", pa.array(range(table.num_rows), pa.int64()))
    last = numbered.group_by("id", use_threads=False).aggregate([("_row", "max")])
    return table.take(last["_row_max"]).sort_by([("started_at", "ascending"), ("id", "ascending")])
