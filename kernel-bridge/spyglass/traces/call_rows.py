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
from .call_record import RUNNING, UNFINISHED, CallRecord
from .json_columns import inputs_column, kept_column
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


_ID = operator.attrgetter("id")
_NAME = operator.attrgetter("name")
# Every field a row needs, in one C-level call per record (the order of build_batch's unpacking).
_FIELDS = operator.attrgetter(
    "prefix",
    "number",
    "parent",
    "session",
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
_TEXT_COLUMNS = ("op_name", "inputs", "output", "exception", "attributes", "usage", "thread_name", "task")


def _microseconds(nanoseconds: Any) -> pa.Array:
    # Whole microseconds of epoch nanoseconds, divided in Arrow rather than once per row in Python.
    return pc.divide(pa.array(nanoseconds, pa.int64()), 1000).cast(_TIME)


def _json_or_null(values: Any) -> Any:
    # Most calls have no attributes or usage: a column of None is kept as it is (counted in C).
    if values.count(None) == len(values):
        return values
    return [None if value is None else to_json(value) for value in values]


def _usage_column(usages: Any, sessions: Any) -> Any:
    if usages.count(None) == len(usages):
        return usages
    return _json_or_null(list(map(encode, usages, sessions)))


def _thread_columns(threads: Any) -> dict[str, list[Any]]:
    if threads and threads.count(threads[0]) == len(threads):  # calls of one thread: its id and name once
        return {
            "thread_id": [threads[0].ident] * len(threads),
            "thread_name": [threads[0].name] * len(threads),
        }
    return {
        "thread_id": [thread.ident for thread in threads],
        "thread_name": [thread.name for thread in threads],
    }


def build_batch(records: list[CallRecord], statuses: list[str], run_id: str | None) -> pa.RecordBatch:
    """One row per record with its status; a running or unfinished row leaves end, output and exception empty.

    Column by column: one C-level pass reads every field of every record, transposed into columns.
    """
    count = len(records)
    if not count:
        return pa.RecordBatch.from_pylist([], schema=CALL_SCHEMA)
    (
        prefixes,
        numbers,
        parents,
        sessions,
        outputs,
        exceptions,
        ended_ns,
        usages,
        costs,
        specs,
        started_ns,
        attributes,
        threads,
        tasks,
        args,
        kwargs,
        inputs,
    ) = zip(*map(_FIELDS, records), strict=True)
    if prefixes.count(prefixes[0]) == count:  # one process made them: one format for all ids
        ids: Any = list(map((prefixes[0] + "{:016x}").format, numbers))
    else:
        ids = list(map(_ID, records))
    if parents.count(None) == count:  # root calls: each is its own trace
        trace_ids, parent_ids = ids, parents
    else:
        trace_ids = [record.root.id for record in records]
        parent_ids = [None if parent is None else parent.id for parent in parents]
    outputs = kept_column(outputs, sessions)
    if RUNNING in statuses or UNFINISHED in statuses:  # rows of calls that have not ended: no end values
        ended = [status not in (RUNNING, UNFINISHED) for status in statuses]
        ended_ns = [time if done else None for time, done in zip(ended_ns, ended, strict=True)]
        exceptions = [text if done else None for text, done in zip(exceptions, ended, strict=True)]
        outputs = [text if done else None for text, done in zip(outputs, ended, strict=True)]
    if exceptions.count(None) != count:  # a failed call has no output
        outputs = [
            text if exception is None else None for text, exception in zip(outputs, exceptions, strict=True)
        ]
    columns: dict[str, Any] = {
        "id": ids,
        "trace_id": trace_ids,
        "parent_id": parent_ids,
        "op_name": list(map(_NAME, specs)),
        "status": statuses,
        "started_at": _microseconds(started_ns),
        "ended_at": _microseconds(ended_ns),
        "inputs": inputs_column(records, sessions, specs, args, kwargs, inputs),
        "output": outputs,
        "exception": exceptions,
        "attributes": _json_or_null(attributes),
        "usage": _usage_column(usages, sessions),
        "cost": costs,
        "run_id": [run_id] * count,
        **_thread_columns(threads),
        "task": tasks,
    }
    try:
        return pa.RecordBatch.from_pydict(columns, schema=CALL_SCHEMA)
    except UnicodeEncodeError:  # a lone surrogate (no UTF-8 form) in some text: replace it, keep the row
        for name in _TEXT_COLUMNS:
            columns[name] = [None if text is None else replace_surrogates(text) for text in columns[name]]
        return pa.RecordBatch.from_pydict(columns, schema=CALL_SCHEMA)


def latest_rows(table: pa.Table) -> pa.Table:
    """The last row of each call id, ordered by start time (then id)."""
    if table.num_rows == 0:
        return table
    numbered = table.append_column("_row", pa.array(range(table.num_rows), pa.int64()))
    last = numbered.group_by("id", use_threads=False).aggregate([("_row", "max")])
    return table.take(last["_row_max"]).sort_by([("started_at", "ascending"), ("id", "ascending")])
