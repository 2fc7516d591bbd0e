"""The shipper: a thread that copies a run's spool to the bucket, so log() never waits for the network.

Every interval it ships the whole frames past each stream's shipped offset as one immutable segment object
(segment_format.py, created with If-None-Match), puts run.json when it changed, and renews the run's lease.
When the bucket cannot be reached the spool keeps growing (bounded by spool.SpoolGate), a warning says so once
per outage, and the backlog ships when it returns, from the offsets the marker records: nothing is shipped
twice (a segment that exists already is adopted if its bytes are ours) and nothing is skipped.
"""

from __future__ import annotations

import contextlib
import json
import os
import threading
import time
import warnings
from collections.abc import Callable
from functools import partial
from pathlib import Path

from ..base.errors import BucketError
from .bucket import Bucket
from .log_shipping import ShippingStopped, ship_log
from .run_lease import RunLease
from .run_store import METADATA_FILE, OVERVIEW_FILE, PARQUET_FILE
from .segment_format import STREAMS, run_prefix, segment_key
from .spool import SpoolMarker, remove_marker

# The run's other files (tables and media, run.save() copies, the code diff), shipped under the same relative
# paths once they appear or change; media files are never rewritten, saved files may be.
RUN_FILE_DIRS = ("media", "files", "code")
MULTIPART_BYTES = 8 * 2**20
FIRST_RETRY_SECONDS = 0.5
FINISH_SECONDS = 60.0  # finish() keeps trying to ship this long before leaving the rest to `spyglass sync`


class ShippingWarning(UserWarning):
    """The bucket did not take a run's segments; they wait in the local spool and ship when it returns."""


class SegmentShipper:
    """Ships one run directory's spool to the bucket on a daemon thread."""

    def __init__(
        self,
        bucket: Bucket,
        lease: RunLease,
        marker: SpoolMarker,
        run_dir: Path,
        *,
        project: str,
        run_id: str,
        interval: float,
        on_state: Callable[[bytes], object] = lambda run_json: None,
    ) -> None:
        """`on_state(run_json)` is called once run.json was put with a changed "state" (the project index)."""
        self._bucket = bucket
        self._lease = lease
        self.marker = marker
        self.run_dir = run_dir
        self._project, self.run_id = project, run_id
        self._label = f"run '{run_id}' ({project}) in {marker.store}"
        self.interval = interval
        self._on_state = on_state
        self._put_run_json: tuple[int, int] | None = None  # (mtime_ns, size) of the run.json last put
        self._put_state: str | None = None
        self.run_json_etag: str | None = None  # of the run.json last put
        self.last_keys: dict[str, str] = {}  # per stream, the key of the last segment this writer shipped
        self._shipped_files: dict[str, tuple[int, int]] = {}  # relative path -> (mtime_ns, size) put
        self._lock = threading.Lock()  # one pass at a time (the thread's or finish()'s)
        self._wake = threading.Event()
        self._stopping = False
        self._last_renewal = time.monotonic()
        self.failing_since: float | None = None
        self.stopped: str | None = None  # why this writer stopped shipping for good, if it did
        self._thread = threading.Thread(target=self._loop, name=f"spyglass-shipper-{run_id}", daemon=True)

    def start(self) -> SegmentShipper:
        self._thread.start()
        return self

    def unshipped_bytes(self) -> int:
        """Bytes of the spool files not shipped yet (the spool gate's measure)."""
        waiting = 0
        for stream, name in STREAMS.items():
            with contextlib.suppress(FileNotFoundError):
                waiting += max(0, os.path.getsize(self.run_dir / name) - self.marker.shipped.get(stream, 0))
        return waiting

    def ship_now(self) -> None:
        """One pass on the calling thread: ship every stream, put run.json, renew the lease when due.

        Raises BucketError (unreachable, denied) or ShippingStopped; what was shipped before stays shipped.
        """
        with self._lock:
            if self.stopped is not None:
                raise ShippingStopped(self.stopped)
            try:
                self._renew_if_due()
                for stream in STREAMS:
                    self._ship_stream(stream)
                self._ship_run_files()
                self._put_run_json_if_changed()
            except ShippingStopped as error:
                self.stopped = str(error)
                raise

    def finish(self, *, parquet: bool, seconds: float = FINISH_SECONDS) -> bool:
        """Stop the thread, ship the rest (retrying up to `seconds`), then history.parquet and run.json, and
        give the run up. False (with a warning) when the bucket did not take it all: the spool keeps it."""
        self._stopping = True
        self._wake.set()
        if self._thread.is_alive() and self._thread is not threading.current_thread():
            self._thread.join(seconds)
        deadline = time.monotonic() + seconds
        delay = FIRST_RETRY_SECONDS
        while True:
            try:
                self.ship_now()
                if parquet:
                    self._upload_parquet()
                self._put_run_json_if_changed(force=True)
                self._lease.release()
            except ShippingStopped as error:
                self._warn(f"{self._label}: not shipped any more: {error}")
                return False
            except Exception as error:  # unreachable, denied, or a failed upload: retried until the deadline
                if time.monotonic() + delay > deadline:
                    self._warn(
                        f"{self._label}: finish could not ship the run's last rows: {error} Every row is "
                        f"kept in the local spool {self.run_dir}; `spyglass sync` ships it once the bucket "
                        "is reachable."
                    )
                    return False
                time.sleep(delay)
                delay = min(delay * 2, self.interval)
                continue
            remove_marker(self.run_dir)
            return True

    def _upload_parquet(self) -> None:
        for name in (PARQUET_FILE, OVERVIEW_FILE):  # the overview after the history it was computed from
            path = self.run_dir / name
            if path.is_file():
                self._upload(f"{run_prefix(self._project, self.run_id)}{name}", path, path.stat().st_size)

    def _upload(self, key: str, path: Path, size: int) -> None:
        """One PUT for a small file, a parallel multipart upload for a large one."""
        if size <= MULTIPART_BYTES:
            self._bucket.put(key, path.read_bytes())
            return
        try:
            self._bucket.upload_file(key, path)
        except RuntimeError:  # at interpreter exit (atexit's finish) no thread pool takes work: one PUT
            self._bucket.put(key, path.read_bytes())

    def _loop(self) -> None:
        delay = 0.0  # the first pass at once: run.json makes the run visible to readers
        while not self._stopping:
            self._wake.wait(delay)
            if self._stopping:
                return
            began = time.monotonic()
            try:
                self.ship_now()
            except ShippingStopped as error:
                self._warn(f"{self._label}: this process stops shipping the run: {error}")
                return
            except BucketError as error:
                self._outage(error)
                delay = FIRST_RETRY_SECONDS if delay >= self.interval else min(delay * 2, self.interval)
                continue
            except Exception as error:  # a bug or a local file problem must not kill the thread silently
                self._outage(error)
                delay = self.interval
                continue
            if self.failing_since is not None:
                self.failing_since = None
            # Every `interval` from the start of the last pass: a slow pass does not delay the next rows.
            delay = max(0.0, self.interval - (time.monotonic() - began))

    def _outage(self, error: BaseException) -> None:
        if self.failing_since is None:
            self.failing_since = time.time()
            self._warn(
                f"{self._label}: could not ship segments ({error}); logging goes on into the local spool "
                f"{self.run_dir} ({self.unshipped_bytes() / 2**20:.1f} MiB waiting), and the backlog ships "
                "when the bucket is reachable again."
            )

    def _warn(self, message: str) -> None:
        warnings.warn(message, ShippingWarning, stacklevel=2)

    def _renew_if_due(self) -> None:
        if time.monotonic() - self._last_renewal < self.interval:
            return
        if not self._lease.renew():
            raise ShippingStopped(
                "its lease was taken over by another writer (this one was unreachable for too long); its "
                f"rows from then on stay in the local spool {self.run_dir}"
            )
        self._last_renewal = time.monotonic()

    def _ship_stream(self, stream: str) -> None:
        def shipped(key: str, end: int) -> None:
            self.last_keys[stream] = key
            self.marker.shipped[stream] = end
            self.marker.save(self.run_dir)

        start = self.marker.shipped.get(stream, 0)
        key_of = partial(segment_key, self._project, self.run_id, stream)
        ship_log(self._bucket, self.run_dir / STREAMS[stream], start, key_of, shipped)

    def _ship_run_files(self) -> None:
        for name in RUN_FILE_DIRS:
            for path in sorted((self.run_dir / name).rglob("*")):
                relative = path.relative_to(self.run_dir)
                if any(part.startswith(".") for part in relative.parts) or not path.is_file():
                    continue  # a file being written (dot-prefixed temporary name)
                status = path.stat()
                stamp = (status.st_mtime_ns, status.st_size)
                if self._shipped_files.get(relative.as_posix()) == stamp:
                    continue
                self._upload(f"{run_prefix(self._project, self.run_id)}{relative.as_posix()}", path, stamp[1])
                self._shipped_files[relative.as_posix()] = stamp

    def _put_run_json_if_changed(self, *, force: bool = False) -> None:
        path = self.run_dir / METADATA_FILE
        try:
            status = os.stat(path)
            data = path.read_bytes()
        except FileNotFoundError:
            return
        stamp = (status.st_mtime_ns, status.st_size)
        if stamp == self._put_run_json and not force:
            return
        self.run_json_etag = self._bucket.put(
            f"{run_prefix(self._project, self.run_id)}{METADATA_FILE}", data
        )
        self._put_run_json = stamp
        state = _state_of(data)
        if state != self._put_state:
            self._put_state = state
            self._on_state(data)


def _state_of(run_json: bytes) -> str | None:
    try:
        state = json.loads(run_json).get("state")
    except (ValueError, AttributeError):
        return None
    return state if isinstance(state, str) else None
