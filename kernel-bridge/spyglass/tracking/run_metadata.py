"""When run.json is written: on a change (coalesced) and as a heartbeat, from the flusher thread.

Setting run.name, run.tags or a config key only marks the metadata dirty; the flusher thread calls tick()
after each of its ticks and writes run.json (atomically) when it is dirty or when heartbeat_interval has
passed since the last write. A loop of a thousand config updates is therefore one write, and a live run's
heartbeat_at never gets older than heartbeat_interval plus one flush interval while the process lives.
"""

from __future__ import annotations

import threading
import time
import warnings
from collections.abc import Callable


class MetadataWriteWarning(UserWarning):
    """run.json could not be rewritten (heartbeat or change); it is retried at the next tick."""


class MetadataSync:
    """Serializes run.json writes and decides when the flusher's tick writes one."""

    def __init__(
        self,
        write: Callable[[], None],
        *,
        heartbeat_interval: float,
        on_change_written: Callable[[], None],
        run_label: str,
    ) -> None:
        self._write = write
        self._on_change_written = on_change_written
        self._heartbeat_interval = heartbeat_interval
        self._run_label = run_label
        self._lock = threading.Lock()
        self._dirty = False
        self._last_write = time.monotonic()
        self._warned = False

    def mark_dirty(self) -> None:
        """Something in run.json changed; the next tick writes it."""
        self._dirty = True

    def tick(self) -> None:
        """Called by the flusher thread each tick: write if dirty or if a heartbeat is due."""
        changed = self._dirty
        if not changed and time.monotonic() - self._last_write < self._heartbeat_interval:
            return
        try:
            self.write_now()
        except Exception as error:
            self._dirty = self._dirty or changed
            if not self._warned:
                self._warned = True
                warnings.warn(
                    f"run {self._run_label}: could not rewrite run.json ({type(error).__name__}: {error}); "
                    "retrying at every tick (shown once).",
                    MetadataWriteWarning,
                    stacklevel=2,
                )
            return
        if changed:
            self._on_change_written()

    def write_now(self) -> None:
        """Write run.json now (finish, mark_preempting, flush)."""
        with self._lock:
            self._dirty = False
            try:
                self._write()
            except BaseException:
                self._dirty = True
                raise
            self._last_write = time.monotonic()

    @property
    def dirty(self) -> bool:
        return self._dirty
