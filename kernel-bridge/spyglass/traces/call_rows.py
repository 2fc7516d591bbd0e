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
_OP_NAME = operator.attrgetter("op_name")
_STARTED_NS = operator.attrgetter("started_ns")
_ENDED_NS = operator.attrgetter("ended_ns")
_TASK = operator.attrgetter("task")


def _microseconds(nanoseconds: list[int | None]) -> pa.Array:
    # Whole microseconds of epoch nanoseconds, divided in Arrow rather than once per row in Python.
    return pc.divide(pa.array(nanoseconds, pa.int64()), 1000).cast(_TIME)


def build_batch(rows: list[tuple[CallRecord, str]], run_id: str | None) -> pa.RecordBatch:
    """One row per (record, status); a running row leaves the end, output and exception empty."""
    records = [record for record, _ in rows]
    statuses = [status for _, status in rows]
    count = len(records)
    if RUNNING in statuses or UNFINISHED in statuses:
        ended = [status not in (RUNNING, UNFINISHED) for status in statuses]
        ended_ns = [record.ended_ns if done else None for record, done in zip(records, ended, strict=True)]
    else:  # the usual frame: every call in it ended
        ended = [True] * count
        ended_ns = list(map(_ENDED_NS, records))
    columns: dict[str, Any] = {
        "id": list(map(_ID, records)),
        "trace_id": [record.root.id for record in records],
        "parent_id": [None if record.parent is None else record.parent.id for record in records],
        "op_name": list(map(_OP_NAME, records)),
        "status": statuses,
        "started_at": _microseconds(list(map(_STARTED_NS, records))),
        "ended_at": _microseconds(ended_ns),
        "inputs": [to_json(record.encoded_inputs()) for record in records],
        "output": [
            to_json(record.output) if done and record.exception is None else None
            for record, done in zip(records, ended, strict=True)
        ],
        "exception": [
            record.exception if done else None for record, done in zip(records, ended, strict=True)
        ],
        "attributes": [
            None if record.attributes is None else to_json(record.attributes) for record in records
        ],
        "usage": [
            None if record.usage is None else to_json(encode(record.usage, record.session))
            for record in records
        ],
        "cost": [record.cost for record in records],
        "run_id": [run_id] * count,
        "thread_id": [record.thread.ident for record in records],
        "thread_name": [record.thread.name for record in records],
        "task": list(map(_TASK, records)),
    }
    try:
        return pa.RecordBatch.from_pydict(columns, schema=CALL_SCHEMA)
    except UnicodeEncodeError:  # a lone surrogate (no UTF-8 form) in some text: replace it, keep the row
        for name in (
            "op_name",
            "inputs",
            "output",
            "exception",
            "attributes",
            "usage",
            "thread_name",
            "task",
        ):
            columns[name] = [None if text is None else replace_surrogates(text) for text in columns[name]]
        return pa.RecordBatch.from_pydict(columns, schema=CALL_SCHEMA)


def latest_rows(table: pa.Table) -> pa.Table:
    """The last row of each call id, ordered by start time (then id)."""
    if table.num_rows == 0:
        return table
    numbered = table.append_column("_row", pa.array(range(table.num_rows), pa.int64()))
    last = numbered.group_by("id", use_threads=False).aggregate([("_row", "max")])
    return table.take(last["_row_max"]).sort_by([("started_at", "ascending"), ("id", "ascending")])
