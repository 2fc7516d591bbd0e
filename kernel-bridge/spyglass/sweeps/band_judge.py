"""Hyperband milestones of a sweep in a bucket, judged off the logging thread.

At a milestone a trial records its value (a PUT), reads every trial's value at that band (a LIST and a GET
per trial) and may put a stop request: requests that have no place in log(), whose hot path never touches
the network. The trial's log() hands the milestone to a worker thread and returns; the worker judges the
milestones in order, retrying a bucket briefly down with a bounded backoff, and sets run.should_stop when the
trial is cut (so the stop reaches the trial a moment after the milestone instead of inside that log() call).
The worker is not a daemon and ends when nothing is queued: a trial script that exits right after its last
milestone still writes that milestone's value for its peers (bounded by the retries).
"""

from __future__ import annotations

import logging
import queue
import threading
import time
from collections.abc import Callable

from ..base.errors import BucketError

logger = logging.getLogger("spyglass.sweeps")
ATTEMPTS = 6  # 0.5 + 1 + 2 + 4 + 8 s between them: a bucket restarting, not one gone for good
FIRST_DELAY = 0.5


class BandJudge:
    """Runs milestone judgements in one worker thread at a time, in the order they were submitted."""

    def __init__(self, label: str) -> None:
        self._label = label
        self._jobs: queue.SimpleQueue[Callable[[], None]] = queue.SimpleQueue()
        self._lock = threading.Lock()
        self._worker: threading.Thread | None = None

    def submit(self, job: Callable[[], None]) -> None:
        self._jobs.put(job)
        with self._lock:
            if self._worker is None or not self._worker.is_alive():
                self._worker = threading.Thread(target=self._drain, name=f"spyglass-hyperband-{self._label}")
                self._worker.start()

    def wait(self, timeout: float | None = None) -> None:
        """Until the milestones submitted so far are judged (tests; a trial's end)."""
        with self._lock:
            worker = self._worker
        if worker is not None:
            worker.join(timeout)

    def _drain(self) -> None:
        while True:
            try:
                job = self._jobs.get_nowait()
            except queue.Empty:
                with self._lock:
                    if self._jobs.empty():
                        self._worker = None
                        return
                continue
            _run(job, self._label)


def _run(job: Callable[[], None], label: str) -> None:
    delay = FIRST_DELAY
    for attempt in range(ATTEMPTS):
        try:
            job()
            return
        except BucketError as error:
            if attempt == ATTEMPTS - 1:
                logger.warning("spyglass: %s: a hyperband milestone was not judged: %s", label, error)
                return
            time.sleep(delay)
            delay *= 2
        except Exception:  # a bug must not end the trial's later milestones silently
            logger.exception("spyglass: %s: judging a hyperband milestone failed", label)
            return
