"""Which trace session a new root call goes to: the current run's, else the one sg.init_traces() opened.

With neither, ops run untraced (as weave.op before weave.init). The current run is found through the hook
`current_run`, provided by the facade (tracking/ is a floor above). Sessions still open when the process
exits are closed then, which writes their calls.parquet. A session of an s3:// store is shipped to the bucket
(trace_shipping.py). A forked child forgets its parent's sessions (two
processes appending to one framed log would corrupt it) and traces into a new session of the same project.
"""

from __future__ import annotations

import atexit
import os
import secrets
import threading
import time
from pathlib import Path
from typing import Any

from ..base.hooks import Hook
from ..store.run_store import resolve_store_root, validate_name
from .trace_session import TraceSession
from .trace_shipping import TraceShipper
from .value_encoding import redact_names


def _no_run() -> Any:
    return None


# The current run (an object with .dir = <root>/<project>/<run_id>, .project and .id), or None.
current_run: Hook[[], Any] = Hook(_no_run)

_lock = threading.Lock()
_explicit: TraceSession | None = None
_run: Any = None  # the run whose session _run_session is
_run_session: TraceSession | None = None
_every: list[TraceSession] = []
_reopen_in_child: tuple[Path, str] | None = None  # (root, project) of the parent's init_traces session
_shippers: dict[int, TraceShipper] = {}  # id(session) -> its shipper, for sessions of an s3:// store


def init_traces(project: str, *, dir: str | os.PathLike[str] | None = None, redact: Any = ()) -> TraceSession:
    """Trace `@sg.op` calls into `project` of the store (`dir`, else $SPYGLASS_DIR, else ./spyglass).

    Calls made while a run is active go to that run's session instead. `redact` adds argument and key names
    whose values are never stored (api_key, authorization, password, ... are redacted by default).
    Calling it again for the same project and store returns the open session.
    """
    global _explicit
    validate_name("project", project)
    redact_names(redact)
    root = resolve_store_root(dir)
    with _lock:
        reusable = _explicit is not None and not _explicit.closed and _explicit.project == project
        if reusable and _explicit.path.parents[2] == root:
            return _explicit
        _explicit = _open(root, project, _new_session_id(), None)
        return _explicit


def finish_traces() -> None:
    """Close every trace session of this process (flush, write calls.parquet); later ops start new ones."""
    global _explicit, _run, _run_session
    with _lock:
        sessions, _every[:] = list(_every), []
        _explicit = _run = _run_session = None
    for session in sessions:
        _close(session)


def flush_traces() -> None:
    """Make every call this process ended so far durable (a read from this process then sees them)."""
    for session in list(_every):
        session.flush()


def session_for_root_call() -> TraceSession | None:
    """The session a call with no traced parent goes to, or None (untraced)."""
    run = current_run.function()  # the hook's function itself: this runs once per root call
    if run is _run:
        if run is not None:
            return _run_session
        return _explicit if _reopen_in_child is None else _open_in_child()
    return _leave_run() if run is None else _enter_run(run)


def _enter_run(run: Any) -> TraceSession | None:
    global _run, _run_session
    with _lock:
        previous = _run_session
        # A disabled run (mode="disabled") has no directory: nothing is recorded, calls included.
        session = _open(Path(run.dir).parent.parent, run.project, run.id, run.id) if run.dir else None
        _run, _run_session = run, session
    if previous is not None:
        _close_quietly(previous)
    return session


def _leave_run() -> TraceSession | None:
    global _run, _run_session
    with _lock:
        previous, _run, _run_session = _run_session, None, None
    if previous is not None:
        _close_quietly(previous)  # the run ended: its calls get their Parquet file now
    return _explicit


def _open_in_child() -> TraceSession | None:
    global _explicit, _reopen_in_child
    with _lock:
        if _reopen_in_child is not None:
            root, project = _reopen_in_child
            _reopen_in_child = None
            _explicit = _open(root, project, _new_session_id(), None)
        return _explicit


def _forget_after_fork() -> None:
    # In the child: the writer threads did not survive the fork and the logs are the parent's.
    global _lock, _explicit, _run, _run_session, _reopen_in_child
    _lock = threading.Lock()
    if _explicit is not None and not _explicit.closed:
        _reopen_in_child = (_explicit.path.parents[2], _explicit.project)
    _explicit = _run = _run_session = None
    _every.clear()
    _shippers.clear()


def _open(root: Path, project: str, session_id: str, run_id: str | None) -> TraceSession:
    session = TraceSession(root, project, session_id, run_id=run_id)
    _every.append(session)
    # An s3:// store: the session is shipped to the bucket by a thread, never from a call (trace_shipping.py).
    shipper = TraceShipper.for_session(session.path)
    if shipper is not None:
        _shippers[id(session)] = shipper
    return session


def _close(session: TraceSession) -> None:
    session.close()
    shipper = _shippers.pop(id(session), None)
    if shipper is not None:
        shipper.finish()  # the rest of the log, calls.parquet, the final session.json


def _close_quietly(session: TraceSession) -> None:
    if session in _every:
        _every.remove(session)
    _close(session)


def _new_session_id() -> str:
    return time.strftime("%Y%m%d-%H%M%S", time.gmtime()) + "-" + secrets.token_hex(4)


atexit.register(finish_traces)
if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_forget_after_fork)
