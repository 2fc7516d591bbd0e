"""A project's calls held for the trace panel: each session read once, re-read only when its files change.

The panel polls about once a second; re-reading 100k calls every time would cost most of the list's budget
(docs/traces.md#trace-panel). A session is keyed by the size and mtime of its session.json, calls.parquet and
calls.sglog, so a closed session is read once and an open one when its writer appended a frame.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc

from ..traces.call_reader import read_session_calls, session_directories
from ..traces.call_rows import CALL_SCHEMA
from ..traces.trace_session import CALLS_LOG, CALLS_PARQUET, SESSION_FILE
from .calls_sql import run_sql

# Projects kept per server process; a project's entry is dropped when it is the least recently asked for.
MAX_PROJECTS = 4


@dataclass(frozen=True)
class SessionCalls:
    """One session's calls, and its root calls with the totals of their traces."""

    key: tuple
    calls: pa.Table  # every call (the reader's columns)
    roots: pa.Table  # root calls: listing columns + per-trace totals + a lower-cased search text


@dataclass(frozen=True)
class ProjectCalls:
    """Every session of a project: roots in one table with the order newest first, calls per session."""

    sessions: tuple[SessionCalls, ...]
    roots: pa.Table
    newest_first: pa.Array  # indices into roots, by started_at descending


_lock = threading.Lock()
_projects: OrderedDict[tuple[str, str], ProjectCalls] = OrderedDict()


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
            _projects.popitem(last=False)
    return current


def _session_key(path: Path) -> tuple:
    stats = []
    for name in (SESSION_FILE, CALLS_PARQUET, CALLS_LOG):
        try:
            stat = (path / name).stat()
            stats.append((stat.st_mtime_ns, stat.st_size))
        except FileNotFoundError:
            stats.append(None)
    return (path.name, *stats)


def _read_session(path: Path, key: tuple) -> SessionCalls:
    calls = read_session_calls(path)
    calls = calls.append_column("session_id", pa.array([path.name] * calls.num_rows, pa.string()))
    return SessionCalls(key=key, calls=calls, roots=_roots_with_totals(calls))


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
_ROOT_COLUMNS = [
    "id",
    "trace_id",
    "op_name",
    "status",
    "started_at",
    "ended_at",
    "exception",
    "session_id",
    "run_id",
]


def _roots_with_totals(calls: pa.Table) -> pa.Table:
    """Root calls with their trace's call count, tokens and cost, and the text the filter searches."""
    root_rows = calls.filter(pc.is_null(calls["parent_id"]))
    totals = run_sql(_TOTALS_SQL, {"calls": calls.select(["trace_id", "usage", "cost"])})
    roots = root_rows.select(_ROOT_COLUMNS).join(totals, "trace_id", join_type="left outer")
    # What the text filter searches: the op, the exception, the inputs and the output, lower-cased once here.
    search = pc.binary_join_element_wise(
        *(pc.fill_null(root_rows[name], "") for name in ("op_name", "exception", "inputs", "output")), "\n"
    )
    ids = root_rows["id"]
    # The join does not keep the order: put the search text back by id.
    order = pc.index_in(roots["id"], value_set=ids)
    return roots.append_column("search", pc.take(pc.utf8_lower(search), order))


def _combine(sessions: tuple[SessionCalls, ...]) -> ProjectCalls:
    if sessions:
        roots = pa.concat_tables([session.roots for session in sessions])
    else:
        roots = _roots_with_totals(_empty_calls())
    newest_first = pc.sort_indices(roots, [("started_at", "descending"), ("id", "descending")])
    return ProjectCalls(sessions=sessions, roots=roots, newest_first=newest_first)


def _empty_calls() -> pa.Table:
    return CALL_SCHEMA.append(pa.field("session_id", pa.string())).empty_table()
