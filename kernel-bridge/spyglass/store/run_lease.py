"""One writer per run in a bucket: `<project>/<run_id>/lease.json`, held through conditional writes.

The writer creates the lease with If-None-Match (it exists: someone holds the run) and renews it every segment
interval with If-Match on the ETag it got; a failed If-Match means another writer took the run over, and this
one stops shipping. A lease not renewed for STALE_INTERVALS intervals plus STALE_GRACE seconds (by the renewal
time it records: hosts' clocks are assumed to agree within the grace) may be taken over with If-Match, and
so may at once one whose process is gone on this same host (a writer killed with kill -9, resumed or synced).
"""

from __future__ import annotations

import json
import os
import socket
import time
from dataclasses import dataclass
from typing import Any

from ..base.errors import ObjectMissing, RunLeaseError
from .bucket import Bucket
from .run_state import process_alive
from .segment_format import run_prefix

LEASE_FILE = "lease.json"
STALE_INTERVALS = 4
STALE_GRACE = 30.0
_ATTEMPTS = 3  # a lease deleted between our create and our get is retried this often


@dataclass(frozen=True)
class LeaseHolder:
    """Who holds a run's lease, as its lease.json says."""

    writer: str
    host: str
    pid: int | None
    renewed_at: float
    interval: float

    @classmethod
    def parse(cls, data: bytes) -> LeaseHolder | None:
        """The holder recorded in `data`, or None when it is not a lease (taken over like a stale one)."""
        try:
            record = json.loads(data)
            return cls(
                str(record["writer"]),
                str(record.get("host") or "?"),
                record.get("pid") if isinstance(record.get("pid"), int) else None,
                float(record["renewed_at"]),
                float(record["interval"]),
            )
        except (ValueError, KeyError, TypeError):
            return None

    def stale_after(self) -> float:
        """Seconds after its last renewal from which this lease may be taken over."""
        return STALE_INTERVALS * self.interval + STALE_GRACE

    def gone(self, now: float) -> bool:
        """True when the holder stopped renewing long ago, or its process is gone on this host."""
        if now - self.renewed_at > self.stale_after():
            return True
        return self.host == socket.gethostname() and not process_alive(self.pid)


class RunLease:
    """This process's lease on one run. acquire() it; the shipper thread renews it; release() at the end."""

    def __init__(self, bucket: Bucket, project: str, run_id: str, *, writer: str, interval: float,
                 store: str) -> None:  # fmt: skip
        self._bucket = bucket
        self.key = f"{run_prefix(project, run_id)}{LEASE_FILE}"
        self._label = f"run '{run_id}' in project '{project}' of {store}"
        self.writer = writer
        self.interval = interval
        self._etag: str | None = None
        self._acquired_at = time.time()

    @property
    def held(self) -> bool:
        return self._etag is not None

    def acquire(self) -> RunLease:
        """Take the lease; raise RunLeaseError when another live writer holds it. Returns self."""
        for _ in range(_ATTEMPTS):
            etag = self._bucket.create(self.key, self._record())
            if etag is not None:
                self._etag = etag
                return self
            try:
                data, current = self._bucket.get_with_etag(self.key)
            except ObjectMissing:  # released between the two calls: try to create it again
                continue
            holder = LeaseHolder.parse(data)
            if holder is not None and holder.writer != self.writer and not holder.gone(time.time()):
                raise RunLeaseError(self._held_message(holder))
            self._etag = self._bucket.replace(self.key, self._record(), current)
            if self._etag is not None:
                return self
        raise RunLeaseError(
            f"{self._label}: another writer took the run at the same moment; one writer per run. "
            "Use another run id, or resume it once that writer has finished."
        )

    def renew(self) -> bool:
        """Renew the lease (If-Match); False when another writer took it over: this one must stop writing."""
        if self._etag is None:
            return False
        self._etag = self._bucket.replace(self.key, self._record(), self._etag)
        return self._etag is not None

    def release(self) -> None:
        """Give the run up (its writer finished): the next writer creates the lease afresh."""
        if self._etag is not None and self.renew():
            self._bucket.delete(self.key)
        self._etag = None

    def _record(self) -> bytes:
        record: dict[str, Any] = {
            "format": 1,
            "writer": self.writer,
            "host": socket.gethostname(),
            "pid": os.getpid(),
            "acquired_at": self._acquired_at,
            "renewed_at": time.time(),
            "interval": self.interval,
        }
        return json.dumps(record).encode()

    def _held_message(self, holder: LeaseHolder) -> str:
        age = max(0.0, time.time() - holder.renewed_at)
        pid = f", pid {holder.pid}" if holder.pid is not None else ""
        return (
            f"{self._label} is being written by another process (host {holder.host}{pid}; its lease was "
            f"renewed {age:.0f} s ago). One writer per run: finish that process first, or resume the run "
            f"once it has stopped (a lease not renewed for {holder.stale_after():.0f} s is taken over), or "
            "use another run id."
        )
