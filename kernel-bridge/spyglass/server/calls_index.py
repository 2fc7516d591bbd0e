"""A project's calls held for the trace panel: each session read once, re-read only when its files change.

The panel polls about once a second; re-reading 100k calls every time would cost most of the list's budget
(docs/traces.md#trace-panel). A session is keyed by the size and mtime of its session.json, calls.parquet and
calls.sglog, so a closed session is read once and an open one when its writer appended a frame.

The list needs no values: a closed session's first read takes only the listing columns from its Parquet file
(a third of the bytes), and the whole calls (inputs, outputs: a tree's values, the text filter's search) are
read on first use, started in the background as soon as the list is answered.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from ..traces.call_feedback import FeedbackReader
from ..traces.call_reader import closed_session_parquet, read_session_calls, session_directories
from ..traces.call_rows import CALL_SCHEMA
from ..traces.trace_session import CALLS_LOG, CALLS_PARQUET, SESSION_FILE
from .calls_sql import run_sql

# Projects kept per server process; a project's entry is dropped when it is the least recently asked for.
MAX_PROJECTS = 4
# What the list and its filters read of every call (not inputs, output: most of a session's bytes).
_LISTING_COLUMNS = [
    "id",
    "trace_id",
    "parent_id",
    "op_name",
    "status",
    "started_at",
    "ended_at",
    "exception",
    "attributes",
    "usage",
    "cost",
    "run_id",
]
_LISTING_SCHEMA = pa.schema([CALL_SCHEMA.field(name) for name in _LISTING_COLUMNS])
# A root's row: the listing's columns but its parent (none), usage and cost (summed per trace instead).
_ROOT_COLUMNS = [name for name in _LISTING_COLUMNS if name not in ("parent_id", "usage", "cost")] + [
    "session_id"
]
_reader = ThreadPoolExecutor(max_workers=1, thread_name_prefix="spyglass-calls")


@dataclass
class SessionCalls:
    """One session's calls: its roots with their traces' totals now, every call and value on first use."""

    key: tuple
    path: Path
    roots: pa.Table  # root calls: listing columns + per-trace totals
    ids: pa.Table  # id, trace_id of every call (feedback on a child goes to its trace)
    _calls: pa.Table | None = None
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def calls(self) -> pa.Table:
        """Every call with its values (the reader's columns + session_id), read once."""
        with self._lock:
            if self._calls is None:
                self._calls = _with_session(read_session_calls(self.path), self.path.name)
            return self._calls

    def search(self) -> pa.Array:
        """The text filter's haystack per root (`roots` order): op, exception, inputs, output, lower-cased."""
        calls = self.calls()
        root_rows = calls.filter(pc.is_null(calls["parent_id"]))
        text = pc.binary_join_element_wise(
            *(pc.fill_null(root_rows[name], "") for name in ("op_name", "exception", "inputs", "output")),
            "\n",
        )
        order = pc.index_in(self.roots["id"], value_set=root_rows["id"])
        return pc.utf8_lower(pc.take(text, order))


@dataclass
class ProjectCalls:
    """Every session of a project: roots in one table with the order newest first, calls per session."""

    sessions: tuple[SessionCalls, ...]
    roots: pa.Table
    newest_first: pa.Array  # indices into roots, by started_at descending
    _search: pa.Array | None = None
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def search(self) -> pa.Array:
        """The roots' search text (in `roots` order), made on the first text filter."""
        with self._lock:
            if self._search is None:
                parts = [session.search() for session in self.sessions]
                self._search = pa.chunked_array(parts, pa.string()).combine_chunks()
            return self._search

    def prefetch(self) -> Future:
        """Read every session's values in the background (the tree and the text filter need them)."""
        return _reader.submit(lambda: [session.calls() for session in self.sessions])


_lock = threading.Lock()
_projects: OrderedDict[tuple[str, str], ProjectCalls] = OrderedDict()
_feedback: dict[tuple[str, str], FeedbackReader] = {}


def project_calls(root: Path, project: str) -> ProjectCalls:
    """The project's calls as stored now (sessions whose files did not change are not read again)."""
    cache_key = (str(root), project)
    with _lock:
        previous = _projects.get(cache_key)
    known = {session.key[0]: session for session in previous.sessions} if previous else {}
    sessions = []
    for path in session_directories(root, project):
        key = _session_key(path)
        cached = known.get(key[0])
        sessions.append(cached if cached is not None and cached.key == key else _read_session(path, key))
    if previous is not None and [s.key for s in sessions] == [s.key for s in previous.sessions]:
        current = previous
    else:
        current = _combine(tuple(sessions))
    with _lock:
        _projects[cache_key] = current
        _projects.move_to_end(cache_key)
        while len(_projects) > MAX_PROJECTS:
            dropped, _ = _projects.popitem(last=False)
            _feedback.pop(dropped, None)
    return current


def project_feedback(root: Path, project: str) -> dict[str, list[dict[str, Any]]]:
    """{call id: feedback entries in force} of the project (files written since the last ask are read)."""
    with _lock:
        reader = _feedback.setdefault((str(root), project), FeedbackReader(root, project))
    return reader.by_call()


def _session_key(path: Path) -> tuple:
    stats = []
    for name in (SESSION_FILE, CALLS_PARQUET, CALLS_LOG):
        try:
            stat = (path / name).stat()
            stats.append((stat.st_mtime_ns, stat.st_size))
        except FileNotFoundError:
            stats.append(None)
    return (path.name, *stats)


def _with_session(calls: pa.Table, session_id: str) -> pa.Table:
    return calls.append_column("session_id", pa.array([session_id] * calls.num_rows, pa.string()))


def _read_session(path: Path, key: tuple) -> SessionCalls:
    parquet = closed_session_parquet(path)
    if parquet is None:  # an open session's log is read whole anyway: its values are kept
        calls = _with_session(read_session_calls(path), path.name)
        return _session(path, key, calls, calls)
    listing = pq.read_table(parquet, columns=_LISTING_COLUMNS).cast(_LISTING_SCHEMA)
    return _session(path, key, _with_session(listing, path.name), None)


def _session(path: Path, key: tuple, listing: pa.Table, full: pa.Table | None) -> SessionCalls:
    return SessionCalls(
        key=key,
        path=path,
        roots=_roots_with_totals(listing),
        ids=listing.select(["id", "trace_id"]),
        _calls=full,
    )


# The totals of each trace (children go to their root's session, so a session holds whole traces); token
# counts as the LLM integrations name them (OpenAI's and Anthropic's spellings).
_TOTALS_SQL = """
with metered as (
  select trace_id, cost,
    coalesce(try_cast(json_extract(u, '$.input_tokens') as double),
             try_cast(json_extract(u, '$.prompt_tokens') as double)) as tokens_in,
    coalesce(try_cast(json_extract(u, '$.output_tokens') as double),
             try_cast(json_extract(u, '$.completion_tokens') as double)) as tokens_out,
    try_cast(json_extract(u, '$.total_tokens') as double) as tokens_total
  from (select trace_id, cost, case when json_valid(usage) then usage end as u from calls)
)
select trace_id, count(*) as call_count,
  sum(tokens_in)::bigint as input_tokens, sum(tokens_out)::bigint as output_tokens,
  sum(coalesce(tokens_total, case when tokens_in is not null or tokens_out is not null
                                  then coalesce(tokens_in, 0) + coalesce(tokens_out, 0) end))::bigint
    as total_tokens,
  sum(cost) as cost
from metered group by trace_id
"""


def _roots_with_totals(calls: pa.Table) -> pa.Table:
    """Root calls (in start order) with their trace's call count, tokens and cost."""
    root_rows = calls.filter(pc.is_null(calls["parent_id"])).select(_ROOT_COLUMNS)
    totals = run_sql(_TOTALS_SQL, {"calls": calls.select(["trace_id", "usage", "cost"])})
    joined = root_rows.join(totals, "trace_id", join_type="left outer")
    # The join does not keep the order: back to the roots' order, by id.
    return joined.take(pc.index_in(root_rows["id"], value_set=joined["id"]))


def _combine(sessions: tuple[SessionCalls, ...]) -> ProjectCalls:
    if sessions:
        roots = pa.concat_tables([session.roots for session in sessions])
    else:
        empty = CALL_SCHEMA.append(pa.field("session_id", pa.string())).empty_table()
        roots = _roots_with_totals(empty)
    newest_first = pc.sort_indices(roots, [("started_at", "descending"), ("id", "descending")])
    return ProjectCalls(sessions=sessions, roots=roots, newest_first=newest_first)
