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
_PARENT = operator.attrgetter("parent")
_STARTED_NS = operator.attrgetter("started_ns")
_ENDED_NS = operator.attrgetter("ended_ns")
_OUTPUT = operator.attrgetter("output")
_SESSION = operator.attrgetter("session")
_EXCEPTION = operator.attrgetter("exception")
_ATTRIBUTES = operator.attrgetter("attributes")
_USAGE = operator.attrgetter("_usage")  # the slots behind the validating properties
_COST = operator.attrgetter("_cost")
_THREAD = operator.attrgetter("thread")
_PREFIX = operator.attrgetter("prefix")
_NUMBER = operator.attrgetter("number")
_TASK = operator.attrgetter("task")
_OP_NAME = operator.attrgetter("spec.name")
_TEXT_COLUMNS = ("op_name", "inputs", "output", "exception", "attributes", "usage", "thread_name", "task")


def _microseconds(nanoseconds: list[int | None]) -> pa.Array:
    # Whole microseconds of epoch nanoseconds, divided in Arrow rather than once per row in Python.
    return pc.divide(pa.array(nanoseconds, pa.int64()), 1000).cast(_TIME)


def _json_or_null(values: list[Any]) -> list[str | None]:
    # Most calls have no attributes or usage: a list of None is kept as it is (counted in C).
    if values.count(None) == len(values):
        return values
    return [None if value is None else to_json(value) for value in values]


def _thread_columns(threads: list[Any]) -> dict[str, list[Any]]:
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

    Column by column, with C-level maps over the records where a column needs no per-row decision.
    """
    count = len(records)
    prefixes = list(map(_PREFIX, records))
    if count and prefixes.count(prefixes[0]) == count:  # one process made them: one format for all ids
        ids = list(map((prefixes[0] + "{:016x}").format, map(_NUMBER, records)))
    else:
        ids = list(map(_ID, records))
    parents = list(map(_PARENT, records))
    if parents.count(None) == count:  # root calls: each is its own trace
        trace_ids, parent_ids = ids, parents
    else:
        trace_ids = [record.root.id for record in records]
        parent_ids = [None if parent is None else parent.id for parent in parents]
    sessions = list(map(_SESSION, records))
    outputs = kept_column(list(map(_OUTPUT, records)), sessions)
    exceptions = list(map(_EXCEPTION, records))
    if RUNNING in statuses or UNFINISHED in statuses:  # rows of calls that have not ended: no end values
        ended = [status not in (RUNNING, UNFINISHED) for status in statuses]
        ended_ns = [record.ended_ns if done else None for record, done in zip(records, ended, strict=True)]
        exceptions = [text if done else None for text, done in zip(exceptions, ended, strict=True)]
        outputs = [text if done else None for text, done in zip(outputs, ended, strict=True)]
    else:  # the usual frame: every call in it ended
        ended_ns = list(map(_ENDED_NS, records))
    if exceptions.count(None) != count:  # a failed call has no output
        outputs = [
            text if exception is None else None for text, exception in zip(outputs, exceptions, strict=True)
        ]
    usages = list(map(_USAGE, records))
    columns: dict[str, Any] = {
        "id": ids,
        "trace_id": trace_ids,
        "parent_id": parent_ids,
        "op_name": list(map(_OP_NAME, records)),
        "status": statuses,
        "started_at": _microseconds(list(map(_STARTED_NS, records))),
        "ended_at": _microseconds(ended_ns),
        "inputs": inputs_column(records, sessions),
        "output": outputs,
        "exception": exceptions,
        "attributes": _json_or_null(list(map(_ATTRIBUTES, records))),
        "usage": _json_or_null(
            usages if usages.count(None) == count else list(map(encode, usages, sessions))
        ),
        "cost": list(map(_COST, records)),
        "run_id": [run_id] * count,
        **_thread_columns(list(map(_THREAD, records))),
        "task": list(map(_TASK, records)),
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
