"""Calls read back from the store: `Api().calls(project, filters=...)` (StoredCall objects or a DataFrame).

The rows come from every trace session of the project (traces/call_reader.py: calls.parquet once a session
closed, else the last row of each call in its framed log). Filters use the run filters' language
(run_filters.py) over a call's fields, with dotted paths into inputs, output, attributes and usage.
"""

from __future__ import annotations

import datetime
import json
import os
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

import pyarrow as pa

from ..traces.call_feedback import read_feedback
from ..traces.call_rows import JSON_COLUMNS
from ..traces.otlp_export import calls_to_otlp, write_otlp
from .call_feedback import CallFeedback
from .run_filters import matches

_NO_ALIASES: Mapping[str, str] = {}  # a call's `id` is the call id (a run filter reads `id` as run_id)


@dataclass(frozen=True)
class StoredCall:
    """One call of a traced op as stored: values decoded from JSON (references stay reference dicts)."""

    id: str
    trace_id: str
    parent_id: str | None
    op_name: str
    status: str  # "success", "error", "running" (not ended yet) or "unfinished" (its session closed first)
    started_at: datetime.datetime
    ended_at: datetime.datetime | None
    inputs: dict[str, Any]
    output: Any
    exception: str | None
    attributes: dict[str, Any]
    usage: dict[str, Any] | None
    cost: float | None
    run_id: str | None
    session_id: str
    thread_id: int | None
    thread_name: str | None
    task: str | None
    # Thumbs, notes and labels on the call, oldest first; `call.feedback.add(...)` stores more.
    feedback: CallFeedback = field(default_factory=CallFeedback)

    @property
    def latency(self) -> float | None:
        """Seconds from start to end (None while running)."""
        return None if self.ended_at is None else (self.ended_at - self.started_at).total_seconds()

    @classmethod
    def from_row(cls, row: dict[str, Any], feedback: CallFeedback | None = None) -> StoredCall:
        values = {name: _decoded(row[name]) if name in JSON_COLUMNS else row[name] for name in row}
        values["inputs"] = values["inputs"] or {}
        values["attributes"] = values["attributes"] or {}
        return cls(**values, feedback=feedback if feedback is not None else CallFeedback())

    def filter_record(self) -> dict[str, Any]:
        """The fields a filter sees: these values, times as ISO text, and `latency`."""
        record = {name: getattr(self, name) for name in self.__dataclass_fields__}
        record["started_at"] = self.started_at.isoformat()
        record["ended_at"] = None if self.ended_at is None else self.ended_at.isoformat()
        record["latency"] = self.latency
        record["feedback"] = list(self.feedback)
        # What a filter on feedback usually wants: {"labels": "wrong"}, {"thumbs": "down"}.
        record["labels"] = self.feedback.labels
        record["thumbs"] = self.feedback.thumbs
        return record


def _decoded(text: str | None) -> Any:
    return None if text is None else json.loads(text)


class Calls:
    """A project's calls matching a filter, in start order, read on first use (iterate, len(), index)."""

    def __init__(
        self,
        read_table: Callable[[], pa.Table],
        filters: Mapping[str, Any] | None = None,
        project: str = "",
        root: str | os.PathLike[str] | None = None,
    ) -> None:
        self._read_table = read_table
        self.filters = dict(filters or {})
        self.project = project
        self.root = root  # the store, where feedback is read and added (None: no feedback)
        self._loaded: tuple[pa.Table, list[StoredCall]] | None = None

    def _load(self) -> tuple[pa.Table, list[StoredCall]]:
        if self._loaded is None:
            table = self._read_table()
            calls = [
                StoredCall.from_row(row, self._feedback_of(row["id"], entries))
                for entries in [read_feedback(self.root, self.project) if self.root is not None else {}]
                for row in table.to_pylist()
            ]
            kept = [
                index
                for index, call in enumerate(calls)
                if matches(call.filter_record(), self.filters, _NO_ALIASES)
            ]
            self._loaded = (table.take(pa.array(kept, pa.int64())), [calls[index] for index in kept])
        return self._loaded

    def _feedback_of(self, call_id: str, entries: dict[str, list[dict[str, Any]]]) -> CallFeedback:
        store = None if self.root is None else (self.root, self.project)
        return CallFeedback(entries.get(call_id, ()), store=store, call_id=call_id)

    def __iter__(self) -> Iterator[StoredCall]:
        return iter(self._load()[1])

    def __len__(self) -> int:
        return len(self._load()[1])

    def __getitem__(self, index: int | slice) -> Any:
        return self._load()[1][index]

    def to_arrow(self) -> pa.Table:
        """The matching calls as stored: JSON columns as text (as DuckDB reads calls.parquet)."""
        return self._load()[0]

    def to_otlp(self) -> dict[str, Any]:
        """The matching calls as OTel spans: an OTLP JSON ExportTraceServiceRequest (docs/otlp.md)."""
        return calls_to_otlp(self.to_arrow(), self.project)

    def write_otlp(self, path: str | os.PathLike[str]) -> int:
        """Write the matching calls to `path` as OTLP JSON (docs/otlp.md); return the number of spans."""
        return write_otlp(self.to_arrow(), self.project, path)

    def to_pandas(self) -> Any:
        """The matching calls as a pandas DataFrame, JSON columns decoded and a `feedback` column."""
        table = self._load()[0]
        frame = table.to_pandas()  # pandas is needed here; to_arrow() works without it
        for name in JSON_COLUMNS:
            frame[name] = [_decoded(text) for text in table.column(name).to_pylist()]
        frame["feedback"] = [list(call.feedback) for call in self._load()[1]]
        return frame

    def __repr__(self) -> str:
        state = "not loaded" if self._loaded is None else f"{len(self._loaded[1])} calls"
        return f"<Calls filters={self.filters!r} ({state})>"
