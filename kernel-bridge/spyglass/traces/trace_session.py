"""A trace session: where one process's calls for one project (or one run) go, and the thread writing them.

<root>/<project>/.traces/<session_id>/ holds session.json, calls.sglog (the framed log, one Arrow batch per
frame, the source of truth while the session is open), objects/ (values stored by reference) and, once
closed, calls.parquet. The calling threads only append records to in-memory queues; the writer thread turns
them into a frame every FLUSH_INTERVAL seconds, writing referenced files first (docs/traces.md).
"""

from __future__ import annotations

import collections
import hashlib
import json
import operator
import os
import socket
import threading
import time
import warnings
from itertools import compress, repeat
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from ..base.atomic_file import atomic_output, write_atomic
from ..base.errors import StoreWriteError
from ..store.arrow_codec import encode_batch
from ..store.durable_log import DurableLog
from ..store.run_store import read_log_table, validate_name
from .call_record import RUNNING, UNFINISHED, CallRecord
from .call_rows import CALL_SCHEMA, build_batch, latest_rows
from .live_calls import live_publisher
from .trace_output import traces_bundle

TRACES_DIR = ".traces"
SESSION_FILE = "session.json"
CALLS_LOG = "calls.sglog"
CALLS_PARQUET = "calls.parquet"
OBJECTS_DIR = "objects"
FLUSH_INTERVAL = 0.25
_STATUS = operator.attrgetter("status")
_popleft = collections.deque.popleft


class TraceWriteWarning(UserWarning):
    """Calls could not be stored yet; they are kept in memory and written again at the next flush."""


def session_directory(root: str | os.PathLike[str], project: str, session_id: str) -> Path:
    """<root>/<project>/.traces/<session_id>, names checked as the store checks run names."""
    return (
        Path(root) / validate_name("project", project) / TRACES_DIR / validate_name("session id", session_id)
    )


class TraceSession:
    """Stores the calls of one session; `flush()` makes every finished call durable, `close()` ends it."""

    def __init__(
        self,
        root: str | os.PathLike[str],
        project: str,
        session_id: str,
        *,
        run_id: str | None = None,
        flush_interval: float = FLUSH_INTERVAL,
    ) -> None:
        self.project = project
        self.id = session_id
        self.run_id = run_id
        self.path = session_directory(root, project, session_id)
        self.path.mkdir(parents=True, exist_ok=True)
        self._created_at = time.time()
        self._write_metadata("running")
        self._log = DurableLog(self.path / CALLS_LOG)
        # pyarrow imports pandas at its first conversion of Python lists (seconds when busy): paid here,
        # once, rather than delaying the first frame past the flush interval (the kill -9 bound).
        encode_batch(build_batch([], [], run_id))
        # Calls as they start (the calling threads' only shared write: a deque append is atomic); the writer
        # moves them to _pending and writes each once it ended (a "running" row first if it outlives a flush).
        self.started: collections.deque[CallRecord] = collections.deque()
        self._pending: list[CallRecord] = []
        self._objects: collections.deque[tuple[str, bytes]] = collections.deque()
        self._object_names: set[str] = set()
        self._unstored: list[bytes] = []  # encoded frames a failed write left behind, written first next time
        self._lock = threading.Lock()  # one flush at a time (the thread's, flush()'s or close()'s)
        self._warned = False
        # Stored frames go to JupyterLab over the comm from this writer, never from a call (live_calls.py).
        self._publish = live_publisher(project, session_id, self.path.parents[2])
        self.closed = False
        self._stop = threading.Event()
        self._interval = flush_interval
        self._thread = threading.Thread(target=self._loop, name=f"spyglass-traces-{session_id}", daemon=True)
        self._thread.start()

    @property
    def open_calls(self) -> dict[int, CallRecord]:
        """The calls of this session that started and have not ended yet, by number."""
        started = (*self._pending, *self.started)  # copies made in C, each whole under the GIL
        return {record.number: record for record in started if record.status == RUNNING}

    def store_object(self, data: bytes, extension: str) -> tuple[str, str]:
        """Queue a referenced value's bytes (content-addressed); return its relative path and sha256."""
        digest = hashlib.sha256(data).hexdigest()
        name = f"{OBJECTS_DIR}/{digest[:32]}{extension}"
        if name not in self._object_names:
            self._object_names.add(name)
            self._objects.append((name, data))
        return name, digest

    def flush(self) -> None:
        """Write every call ended so far, durably (fsync); raise StoreWriteError if the store refuses."""
        with self._lock:
            self._write_pending(raise_errors=True)

    def close(self) -> None:
        """Flush, record calls still open as unfinished, write calls.parquet; later calls do nothing."""
        if self.closed:
            return
        self._stop.set()
        self._thread.join()
        with self._lock:
            self.closed = True
            self._write_pending(raise_errors=True, closing=True)
            self._log.close()
            table = latest_rows(read_log_table_of_calls(self.path / CALLS_LOG))
            with atomic_output(self.path / CALLS_PARQUET) as out:
                pq.write_table(table, out, compression="zstd")
            self._write_metadata("finished")

    def _loop(self) -> None:
        while not self._stop.wait(self._interval):
            with self._lock:
                self._write_pending(raise_errors=False)

    def _write_pending(self, *, raise_errors: bool, closing: bool = False) -> None:
        self._pending.extend(map(_popleft, repeat(self.started, len(self.started))))
        pending, self._pending = self._pending, []
        # One read of each status: a record read as ended has all its fields set (status is set last).
        statuses = list(map(_STATUS, pending))
        if RUNNING in statuses:
            running = list(compress(pending, map(RUNNING.__eq__, statuses)))
            ended = list(compress(pending, map(RUNNING.__ne__, statuses)))
            ended_statuses = list(compress(statuses, map(RUNNING.__ne__, statuses)))
            if closing:  # never ended: recorded as unfinished
                rows, row_statuses = ended + running, ended_statuses + [UNFINISHED] * len(running)
            else:  # still open: a "running" row once (before its end row, in a later frame)
                self._pending = running
                announce = [record for record in running if not record.announced]
                rows, row_statuses = announce + ended, [RUNNING] * len(announce) + ended_statuses
                for record in announce:
                    record.announced = True
        else:
            rows, row_statuses = pending, statuses
        if rows:
            self._unstored.append(encode_batch(build_batch(rows, row_statuses, self.run_id)))
        objects = [self._objects.popleft() for _ in range(len(self._objects))]
        try:
            for name, data in objects:  # before the rows that reference them
                self._write_object(name, data)
            if self._unstored:
                self._log.write(self._unstored)
                self._publish(self._unstored)
                self._unstored = []
        except (StoreWriteError, OSError) as error:
            self._objects.extendleft(reversed(objects))
            if not self._warned:
                self._warned = True
                warnings.warn(
                    f"traces of {self.path} not stored yet ({error}); retrying",
                    TraceWriteWarning,
                    stacklevel=2,
                )
            if raise_errors:
                raise

    def _write_object(self, name: str, data: bytes) -> None:
        target = self.path / name
        if not target.exists():
            target.parent.mkdir(exist_ok=True)
            write_atomic(target, data)

    def _write_metadata(self, state: str) -> None:
        meta: dict[str, Any] = {
            "format": 1,
            "id": self.id,
            "project": self.project,
            "run_id": self.run_id,
            "state": state,
            "created_at": self._created_at,
            "finished_at": time.time() if state == "finished" else None,
            "host": socket.gethostname(),
            "pid": os.getpid(),
        }
        write_atomic(self.path / SESSION_FILE, (json.dumps(meta, indent=2) + "\n").encode("utf-8"))

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None) -> dict[str, Any]:
        # The session as a cell's last value (sg.init_traces(...)) shows its project's live trace panel.
        return traces_bundle(self.project, str(self.path.parents[2]))

    def __repr__(self) -> str:
        return f"TraceSession(project={self.project!r}, id={self.id!r}, path={str(self.path)!r})"


def read_log_table_of_calls(path: Path) -> pa.Table:
    """Every row of a calls.sglog with the call schema (an absent or empty log gives no rows)."""
    table = read_log_table(path)
    if table.num_rows == 0:
        return CALL_SCHEMA.empty_table()
    return table.select(CALL_SCHEMA.names).cast(CALL_SCHEMA)
