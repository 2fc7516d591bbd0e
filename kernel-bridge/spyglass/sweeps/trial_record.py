"""The record of one trial (trials/<index>.json), kept by its agent, with a heartbeat thread while it runs."""

from __future__ import annotations

import math
import os
import socket
import threading
import time
from typing import Any

from .store import HEARTBEAT_INTERVAL, Claim, SweepStore


class TrialRecorder:
    """Writes the trial's record on every change and its heartbeat every HEARTBEAT_INTERVAL seconds."""

    def __init__(self, store: SweepStore, claim: Claim) -> None:
        self.store = store
        self.claim = claim
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        now = time.time()
        self.record: dict[str, Any] = {
            "index": claim.index,
            "attempt": claim.attempt,
            "state": "running",
            "params": claim.params,
            "latent": claim.latent,
            "run_id": None,
            "run_dir": None,
            "metric": None,
            "stopped_reason": None,
            "error": None,
            "agent": claim.agent,
            "host": socket.gethostname(),
            "pid": os.getpid(),
            "started_at": now,
            "ended_at": None,
            "heartbeat_at": now,
        }

    def update(self, **fields: Any) -> None:
        """Change fields and write the record (durably once the trial ended; a live one is rewritten soon)."""
        with self._lock:
            self.record.update(fields)
            self._write(durable=self.record["state"] not in ("claimed", "running"))

    def _write(self, durable: bool = False) -> None:
        # A slow agent that lost its trial to a retry must not overwrite the new owner's record.
        if self.store.claimed().get(self.claim.index, 0) != self.claim.attempt:
            return
        self.record["heartbeat_at"] = time.time()
        self.store.write_trial(self.record, durable)

    def __enter__(self) -> TrialRecorder:
        # The claim reads as "claimed" until the first update() (once the run exists) writes the record.
        self._thread = threading.Thread(
            target=self._beat, name=f"spyglass-sweep-heartbeat-{self.claim.index}", daemon=True
        )
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join()

    def _beat(self) -> None:
        while not self._stop.wait(HEARTBEAT_INTERVAL):
            with self._lock:
                if self.record["state"] in ("claimed", "running"):
                    self._write()

    def finish(
        self, metric: Any, error: str | None, stop: dict[str, Any] | None, stopped: str | None = None
    ) -> None:
        """The final record: failed (error), stopped_early/stopped (stop request, TrialStopped), finished."""
        if error is not None:
            state, reason = "failed", None
        elif stop is not None:
            state, reason = stop.get("state") or "stopped_early", stop.get("reason")
        elif stopped is not None:
            state, reason = "stopped_early", stopped
        else:
            state, reason = "finished", None
        value = metric if isinstance(metric, (int, float)) and not isinstance(metric, bool) else None
        if value is not None and not math.isfinite(value):
            value = None
        self.update(state=state, metric=value, error=error, stopped_reason=reason, ended_at=time.time())
