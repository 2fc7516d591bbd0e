"""A project's calls held for the trace panel: each session read once, re-read only when its files change.

The panel polls about once a second; re-reading 100k calls every time would cost most of the list's budget
(docs/traces.md#trace-panel). A session is keyed by the size and mtime of its session.json, calls.parquet and
calls.sglog, so a closed session is read once and an open one when its writer appended a frame.
"""

from __future__ import annotations

import json
import threading
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc

from ..traces.call_reader import read_session_calls, session_directories
from ..traces.call_rows import CALL_SCHEMA
from ..traces.trace_session import CALLS_LOG, CALLS_PARQUET, SESSION_FILE

# Projects kept per server process; a project's entry is dropped when it is the least recently asked for.
MAX_PROJECTS = 4

# Token counts as the LLM integrations name them (spyglass.llm): OpenAI's and Anthropic's spellings.
_INPUT_KEYS = ("input_tokens", "prompt_tokens")
_OUTPUT_KEYS = ("output_tokens", "completion_tokens")


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


def _roots_with_totals(calls: pa.Table) -> pa.Table:
    """Root calls with their trace's call count, tokens and cost (children go to their root's session)."""
    is_root = pc.is_null(calls["parent_id"])
    roots = calls.filter(is_root).select(
        ["id", "trace_id", "op_name", "status", "started_at", "ended_at", "exception", "session_id", "run_id"]
    )
    totals = _trace_totals(calls)
    order = {trace_id: index for index, trace_id in enumerate(roots["trace_id"].to_pylist())}
    size = roots.num_rows
    columns = {name: [None] * size for name in ("input_tokens", "output_tokens", "total_tokens", "cost")}
    count = [0] * size
    for trace_id, (calls_in_trace, tokens_in, tokens_out, tokens_total, cost) in totals.items():
        index = order.get(trace_id)
        if index is None:
            continue
        count[index] = calls_in_trace
        columns["input_tokens"][index] = tokens_in
        columns["output_tokens"][index] = tokens_out
        columns["total_tokens"][index] = tokens_total
        columns["cost"][index] = cost
    for name in ("input_tokens", "output_tokens", "total_tokens"):
        roots = roots.append_column(name, pa.array(columns[name], pa.int64()))
    roots = roots.append_column("cost", pa.array(columns["cost"], pa.float64()))
    roots = roots.append_column("call_count", pa.array(count, pa.int64()))
    root_rows = calls.filter(is_root)
    # What the text filter searches: the op, the exception, the inputs and the output, lower-cased once here.
    search = pc.binary_join_element_wise(
        *(pc.fill_null(root_rows[name], "") for name in ("op_name", "exception", "inputs", "output")), "\n"
    )
    return roots.append_column("search", pc.utf8_lower(search))


def _trace_totals(calls: pa.Table) -> dict[str, list]:
    """trace_id -> [calls, input tokens, output tokens, total tokens, cost] (None when no call had any)."""
    totals: dict[str, list] = {}
    for trace_id in calls["trace_id"].to_pylist():
        entry = totals.get(trace_id)
        if entry is None:
            totals[trace_id] = [1, None, None, None, None]
        else:
            entry[0] += 1
    has_usage = pc.or_(pc.is_valid(calls["usage"]), pc.is_valid(calls["cost"]))
    metered = calls.filter(has_usage).select(["trace_id", "usage", "cost"]).to_pylist()
    for row in metered:
        entry = totals[row["trace_id"]]
        if row["cost"] is not None:
            entry[4] = (entry[4] or 0.0) + row["cost"]
        tokens = _tokens(row["usage"])
        if tokens is None:
            continue
        for slot, value in zip((1, 2, 3), tokens, strict=True):
            if value is not None:
                entry[slot] = (entry[slot] or 0) + value
    return totals


def _tokens(usage: str | None) -> tuple[int | None, int | None, int | None] | None:
    """(input, output, total) tokens of a usage JSON; the total is input + output when not given."""
    if usage is None:
        return None
    try:
        value = json.loads(usage)
    except ValueError:
        return None
    if not isinstance(value, dict):
        return None
    tokens_in = _first_count(value, _INPUT_KEYS)
    tokens_out = _first_count(value, _OUTPUT_KEYS)
    total = _first_count(value, ("total_tokens",))
    if total is None and (tokens_in is not None or tokens_out is not None):
        total = (tokens_in or 0) + (tokens_out or 0)
    return tokens_in, tokens_out, total


def _first_count(usage: dict, keys: tuple[str, ...]) -> int | None:
    for key in keys:
        value = usage.get(key)
        if isinstance(value, int | float) and not isinstance(value, bool) and value == value:
            return int(value)
    return None


def _combine(sessions: tuple[SessionCalls, ...]) -> ProjectCalls:
    if sessions:
        roots = pa.concat_tables([session.roots for session in sessions])
    else:
        roots = _roots_with_totals(_empty_calls())
    newest_first = pc.sort_indices(roots, [("started_at", "descending"), ("id", "descending")])
    return ProjectCalls(sessions=sessions, roots=roots, newest_first=newest_first)


def _empty_calls() -> pa.Table:
    return CALL_SCHEMA.append(pa.field("session_id", pa.string())).empty_table()
