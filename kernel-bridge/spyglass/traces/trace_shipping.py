"""Trace sessions of an s3:// store: shipped to the bucket like a run's spool, and pulled back by readers.

A session written under a bucket store's local root (store_url.local_root) is the local spool of its calls. A
shipper thread copies it to the bucket every segment interval (5 s; $SPYGLASS_SEGMENT_INTERVAL), as
segment_shipper.py copies a run: first the new `objects/` files (values stored by reference, immutable, so
they are there before the rows naming them), then the whole frames of `calls.sglog` past the shipped offset
as one segment object (store/log_shipping.py: If-None-Match, `crc32c` and `end` metadata, checked before it
leaves), then `session.json` when it changed. `log()` and `@sg.op` never wait for it. When the session closes,
the rest ships, then `calls.parquet`, then the final `session.json` (a reader taking the Parquet of a finished
session finds it complete). The bucket down: calls stay durable locally, one ShippingWarning per outage, and
the backlog ships when it returns (nothing lost, nothing twice: the offsets are kept in `.spool.json`).

    <project>/.traces/<session_id>/session.json
    <project>/.traces/<session_id>/segments/calls/<offset, 16 digits>.sglog
    <project>/.traces/<session_id>/objects/<name>
    <project>/.traces/<session_id>/calls.parquet            once the session closed

A reader (sg.Api().calls()) pulls each session of the project into its local root before reading: session.json
when its ETag changed, then a finished session's calls.parquet (once) or a running one's new segments (each
checked), and the objects it does not hold. Sessions this machine writes (`.spool.json`) are never touched.
"""

from __future__ import annotations

import contextlib
import json
import os
import threading
import time
import warnings
from functools import partial
from pathlib import Path

from ..base.errors import BucketError, InvalidNameError, ObjectMissing
from ..store.bucket import Bucket
from ..store.log_shipping import ShippingStopped, offset_key, pull_log, ship_log
from ..store.mirror_state import load_state, replace_file, save_state
from ..store.remote_root import bucket_of
from ..store.run_store import is_valid_name
from ..store.segment_shipper import FINISH_SECONDS, FIRST_RETRY_SECONDS, ShippingWarning
from ..store.spool import SPOOL_MARKER, SpoolMarker, has_marker, remove_marker
from .trace_session import CALLS_LOG, CALLS_PARQUET, OBJECTS_DIR, SESSION_FILE, TRACES_DIR

STREAM = "calls"
INTERVAL_ENV = "SPYGLASS_SEGMENT_INTERVAL"
DEFAULT_INTERVAL = 5.0


def session_prefix(project: str, session_id: str) -> str:
    return f"{project}/{TRACES_DIR}/{session_id}/"


class TraceShipper:
    """Ships one trace session directory to the bucket on a daemon thread (see the module docstring)."""

    def __init__(
        self, bucket: Bucket, store: str, session_dir: Path, interval: float, background: bool = True
    ) -> None:
        self._bucket = bucket
        self.path = session_dir
        project, session_id = session_dir.parent.parent.name, session_dir.name
        self._prefix = session_prefix(project, session_id)
        self._label = f"trace session '{session_id}' ({project}) in {store}"
        self.marker = SpoolMarker.load(session_dir) or SpoolMarker(writer=f"traces-{session_id}", store=store)
        self.marker.save(session_dir)  # from now on the mirror leaves this directory alone
        self.interval = interval
        self._put: dict[str, tuple[int, int]] = {}  # relative path -> (mtime_ns, size) put
        self._lock = threading.Lock()
        self._wake = threading.Event()
        self._stopping = False
        self.failing_since: float | None = None
        self._thread = threading.Thread(
            target=self._loop, name=f"spyglass-trace-shipper-{session_id}", daemon=True
        )
        if background:
            self._thread.start()

    @classmethod
    def for_session(cls, session_dir: Path) -> TraceShipper | None:
        """A shipper when the session is under a bucket store's local root, else None (a local store)."""
        root = session_dir.parent.parent.parent
        bucket = bucket_of(root)
        return None if bucket is None else cls(bucket, str(bucket.url), session_dir, segment_interval())

    def ship_now(self) -> None:
        """One pass on the calling thread: new objects, the new frames of calls.sglog, session.json."""
        with self._lock:
            self._put_files(OBJECTS_DIR)

            def shipped(_key: str, end: int) -> None:
                self.marker.shipped[STREAM] = end
                self.marker.save(self.path)

            start = self.marker.shipped.get(STREAM, 0)
            key_of = partial(offset_key, f"{self._prefix}segments/{STREAM}/")
            ship_log(self._bucket, self.path / CALLS_LOG, start, key_of, shipped)
            self._put_file(SESSION_FILE)

    def finish(self, seconds: float = FINISH_SECONDS) -> bool:
        """After the session closed: ship the rest, calls.parquet, then session.json; give the directory up.
        False (with a warning) when the bucket did not take it all within `seconds`: the spool keeps it."""
        self._stopping = True
        self._wake.set()
        if self._thread.is_alive() and self._thread is not threading.current_thread():
            self._thread.join()
        deadline, delay = time.monotonic() + seconds, FIRST_RETRY_SECONDS
        while True:
            try:
                self.ship_now()
                with self._lock:
                    self._put_file(CALLS_PARQUET)
                    self._put_file(SESSION_FILE, force=True)
            except ShippingStopped as error:
                self._warn(f"{self._label}: not shipped any more: {error}")
                return False
            except BucketError as error:
                if time.monotonic() + delay > deadline:
                    self._warn(
                        f"{self._label}: its last calls were not shipped ({error}); they are kept in "
                        f"{self.path}"
                    )
                    return False
                time.sleep(delay)
                delay = min(delay * 2, self.interval)
                continue
            remove_marker(self.path)
            return True

    def _put_files(self, directory: str) -> None:
        with contextlib.suppress(FileNotFoundError):
            for entry in sorted(os.scandir(self.path / directory), key=lambda e: e.name):
                if entry.is_file() and not entry.name.startswith("."):  # a dot name: still being written
                    self._put_file(f"{directory}/{entry.name}")

    def _put_file(self, relative: str, force: bool = False) -> None:
        path = self.path / relative
        try:
            status = path.stat()
            data = path.read_bytes()
        except FileNotFoundError:
            return
        stamp = (status.st_mtime_ns, status.st_size)
        if self._put.get(relative) == stamp and not force:
            return
        self._bucket.put(f"{self._prefix}{relative}", data)
        self._put[relative] = stamp

    def _loop(self) -> None:
        delay = 0.0
        while not self._stopping:
            self._wake.wait(delay)
            if self._stopping:
                return
            began = time.monotonic()
            try:
                self.ship_now()
            except ShippingStopped as error:
                self._warn(f"{self._label}: this process stops shipping the session: {error}")
                return
            except Exception as error:  # unreachable, denied, or a local file problem: retried
                if self.failing_since is None:
                    self.failing_since = time.time()
                    self._warn(
                        f"{self._label}: could not ship calls ({error}); they stay in the local spool "
                        f"{self.path} and ship when the bucket is reachable again"
                    )
                delay = (
                    FIRST_RETRY_SECONDS
                    if delay >= self.interval
                    else min(max(delay, 0.25) * 2, self.interval)
                )
                continue
            self.failing_since = None
            delay = max(0.0, self.interval - (time.monotonic() - began))

    def _warn(self, message: str) -> None:
        warnings.warn(message, ShippingWarning, stacklevel=2)


def find_spooled_sessions(root: Path) -> list[Path]:
    """The trace session directories under a local root that this machine has not shipped whole, sorted."""
    return sorted(marker.parent for marker in root.glob(f"*/{TRACES_DIR}/*/{SPOOL_MARKER}"))


def segment_interval() -> float:
    try:
        value = float(os.environ.get(INTERVAL_ENV, DEFAULT_INTERVAL))
    except ValueError:
        return DEFAULT_INTERVAL
    return value if value > 0 else DEFAULT_INTERVAL


def pull_trace_sessions(bucket: Bucket, root: Path, project: str) -> int:
    """Pull every trace session of `project` from the bucket into `root`; how many sessions changed."""
    changed = 0
    for session_id in bucket.list_dirs(f"{project}/{TRACES_DIR}"):
        if not is_valid_name("session id", session_id):
            continue  # a hostile or foreign key: not a local directory name
        path = root / project / TRACES_DIR / session_id
        if has_marker(path):
            continue  # written by this machine
        changed += _pull_session(bucket, session_prefix(project, session_id), path)
    return changed


def _pull_session(bucket: Bucket, prefix: str, path: Path) -> bool:
    state = load_state(path)
    try:
        data, etag = bucket.get_with_etag(prefix + SESSION_FILE)
    except ObjectMissing:
        return False
    path.mkdir(parents=True, exist_ok=True)
    finished = _state(data) == "finished"
    for info in bucket.list(prefix + OBJECTS_DIR + "/"):
        target = path / OBJECTS_DIR / info.key[len(prefix + OBJECTS_DIR) + 1 :]
        if "/" not in info.key[len(prefix + OBJECTS_DIR) + 1 :] and not target.exists():
            bucket.download_file(info.key, target)
    if finished and state.parquet_etag is None:
        with contextlib.suppress(ObjectMissing):
            state.parquet_etag = bucket.download_with_etag(prefix + CALLS_PARQUET, path / CALLS_PARQUET)
    if not finished or state.parquet_etag is None:
        pull_log(bucket, f"{prefix}segments/{STREAM}/", path / CALLS_LOG, state.stream(STREAM), state)
    # session.json last: a reader that sees "finished" finds the Parquet (or the whole log) already here.
    replace_file(path / SESSION_FILE, data)
    changed = etag != state.run_json_etag
    state.run_json_etag = etag
    save_state(path, state)
    return changed


def _state(data: bytes) -> str | None:
    try:
        value = json.loads(data)
    except ValueError:
        return None
    return value.get("state") if isinstance(value, dict) else None


def pull_project_traces(root: Path, project: str) -> None:
    """Before reading a bucket store's calls: pull its sessions (nothing for a local store)."""
    bucket = bucket_of(root)
    if bucket is not None:
        with contextlib.suppress(InvalidNameError):
            pull_trace_sessions(bucket, Path(root), project)


__all__ = [
    "STREAM",
    "TraceShipper",
    "find_spooled_sessions",
    "pull_project_traces",
    "pull_trace_sessions",
    "session_prefix",
]
