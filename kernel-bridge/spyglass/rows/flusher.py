"""The background flusher: every interval, turn buffered rows into frames, store them durably, then send them.

Order matters (invariant 1): frames are appended to the framed log and fsynced before the comm sees them.
A failed write never drops rows silently: they stay in memory (pending_frames.py has the bound), the run is
"degraded" (`health`, run.json, the comm) and a warning says why, writes are retried with backoff and catch up
when the cause is gone, and flush() and finish() raise FlushError while rows are not durable.

Timing (the kill -9 bound, docs/store-format.md): flushes are due at a fixed rate, so a slow write does not
push the next one back, and the write path releases the GIL as few times as it can (one writev, one fsync):
each release lets a busy logging thread hold the GIL for a switch interval before the flusher gets it back.
"""

from __future__ import annotations

import contextlib
import functools
import threading
import time
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pyarrow as pa

from ..base.errors import FlushError
from ..store.arrow_codec import encode_batch
from ..store.durable_log import DurableLog
from ..store.store_faults import StoreFault, describe_os_error
from ..transport.protocol import StoredFrame
from .batch_builder import build_batch, merge_batches, nonfinite_columns
from .history import History, SegmentColumns
from .pending_frames import MAX_UNSTORED_BYTES, PendingFrames
from .value_isolation import build_isolated

DEFAULT_FLUSH_INTERVAL = 0.25

# Rows per frame when a flush has many: moderate frames encode far faster than one huge batch (big buffers
# are slow to allocate) and let the frontend ingest in steps; a normal notebook loop fills one frame per tick.
FRAME_ROWS = 16384

# Failed writes are retried after one flush interval, then after twice as long each time, up to this (or the
# interval, if longer): a store that has room again is caught up within this many seconds.
MAX_RETRY_SECONDS = 2.0


def _next_group(batches: list[pa.RecordBatch]) -> list[pa.RecordBatch]:
    """The leading batches that together stay within FRAME_ROWS rows (at least one)."""
    rows = batches[0].num_rows
    count = 1
    while count < len(batches) and rows + batches[count].num_rows <= FRAME_ROWS:
        rows += batches[count].num_rows
        count += 1
    return batches[:count]


def _warm_up_arrow() -> None:
    # pyarrow initialises compute kernels and thread pools lazily, and registers atexit handlers when it does;
    # at interpreter exit that fails ("can't register atexit after shutdown"), so a run finished by our atexit
    # handler could not store its last rows. Doing it once here also keeps that cost out of the first flush.
    kinds = {"x": ("number", "float"), "s": ("string", "str")}
    first = build_batch([SegmentColumns(("x",), [[0], [0.0], [1.5]])], kinds, 0.0)
    second_rows = [SegmentColumns(("s",), [[1], [0.0], ["a"]]), SegmentColumns(("x",), [[2], [0.0], [1]])]
    second = build_batch(second_rows, kinds, 0.0, float_keys=set())  # an int64 column, merged with float64
    nonfinite_columns(merge_batches([first, second]), set())
    encode_batch(first)


def _unchanged(batch: pa.RecordBatch) -> pa.RecordBatch:
    return batch


def _ignore(batch: pa.RecordBatch) -> None:
    return None


def _no_tick() -> None:
    return None


class NonFiniteValueWarning(UserWarning):
    """A metric holds NaN or ±inf; the values are stored as they are."""


class FlushFailedWarning(UserWarning):
    """The flusher could not store rows yet; they are kept in memory and retried."""


class Flusher:
    """Owns the run's framed log writer and a daemon thread flushing the History at least every interval."""

    def __init__(
        self,
        history: History,
        log_path: Path,
        *,
        run_label: str,
        started_at: float,
        publish: Callable[[StoredFrame], None],
        interval: float = DEFAULT_FLUSH_INTERVAL,
        run_id: str,
        max_unstored_bytes: int = MAX_UNSTORED_BYTES,
        prepare_batch: Callable[[pa.RecordBatch], pa.RecordBatch] = _unchanged,
        observe_batch: Callable[[pa.RecordBatch], object] = _ignore,
        on_tick: Callable[[], object] = _no_tick,
        tick_interval: float = 1.0,
        on_health_change: Callable[[], object] = _no_tick,
        admit: Callable[[Path, int], None] | None = None,
    ) -> None:
        """The run's hooks, each called from this flusher's thread: `prepare_batch` before a batch is stored
        (step_sync fill), `observe_batch` after (summary aggregates), `on_tick` at least every `tick_interval`
        seconds (heartbeat, run.json writes), `on_health_change` when `health` changes (outside the locks),
        `admit` before each write (it may refuse it: durable_log.DurableLog)."""
        self._history = history
        self._log_path = log_path
        self._run_label = run_label
        self._run_id = run_id
        self._started_at = started_at
        self._publish = publish
        self.prepare_batch = prepare_batch
        self.observe_batch = observe_batch
        self._observe_failed = False
        self.on_tick = on_tick
        self.tick_interval = tick_interval
        self._tick_failed = False
        self._interval = interval
        self.on_health_change = on_health_change
        self._log = DurableLog(log_path, admit)  # raises StoreWriteError (read-only store, ...) before a row
        self._pending = PendingFrames(max_unstored_bytes)
        self._fault: StoreFault | None = None
        self._flush_lock = threading.Lock()  # one store at a time (the thread's or flush()'s) uses the log
        # Guards the two lists below. A store holds it only to take converted batches, never while it writes,
        # so log()'s chunk conversion is not skipped for as long as a write, an fsync or a GIL wait lasts.
        self._convert_lock = threading.Lock()
        self._unstored: list[SegmentColumns] = []  # rows taken from the History but not converted yet
        self._converted: list[pa.RecordBatch] = []  # converted rows not stored yet
        self._error: BaseException | None = None
        self._health_changed = False
        self._warned_nonfinite: set[str] = set()
        self._wake = threading.Event()
        history.chunk_ready = self._chunk_ready
        self._stopping = False
        _warm_up_arrow()
        self._thread = threading.Thread(target=self._loop, name=f"spyglass-flusher-{run_id}", daemon=True)
        self._thread.start()

    def _loop(self) -> None:
        # Between ticks, a chunk of numpy/tensor rows (history.CHUNK_ROWS) wakes the thread to convert it to
        # Arrow (log() converts plain numbers itself); the tick then writes everything converted.
        # After the flush, on_tick (the run's heartbeat and coalesced run.json writes) runs at least every
        # tick_interval, even when the flush interval is longer.
        now = time.monotonic()
        next_flush = now + self._interval
        next_tick = now + min(self._interval, self.tick_interval)
        retry = self._interval
        while not self._stopping:
            self._wake.wait(max(0.0, min(next_flush, next_tick) - time.monotonic()))
            self._wake.clear()
            if self._stopping:
                break
            now = time.monotonic()
            if now >= next_flush:
                if self.flush():
                    retry = self._interval
                    # Due an interval after the previous one was due, not after it ended (at once if late).
                    next_flush = max(next_flush + self._interval, time.monotonic())
                else:
                    next_flush = time.monotonic() + retry
                    retry = min(retry * 2, max(MAX_RETRY_SECONDS, self._interval))
            else:
                self._convert_ahead()
            if now >= next_tick:
                self._tick()
                next_tick = time.monotonic() + min(self._interval, self.tick_interval)

    def _tick(self) -> None:
        try:
            self.on_tick()
        except Exception as error:  # the heartbeat must never stop the flushing
            if not self._tick_failed:
                self._tick_failed = True
                warnings.warn(f"run {self._run_label}: run.json not updated: {error!r}", stacklevel=2)

    def flush(self) -> bool:
        """Store (and then publish) everything buffered so far; return False if rows are still unstored."""
        with self._flush_lock:
            stored = self._store()
            health_changed = self._health_changed
            self._health_changed = False
        if health_changed:
            self._notify_health()
        return stored

    def flush_durable(self) -> None:
        """Return once every row logged before the call is durable; raise FlushError (rows kept) if not."""
        if not self.flush():
            raise self._flush_error() from self._error

    @property
    def health(self) -> dict[str, Any] | None:
        """None while rows reach the store; else why not (StoreFault.to_json: reason, path, rows waiting)."""
        fault = self._fault
        if fault is None:
            return None
        return fault.to_json(unstored_rows=self._unstored_rows(), dropped_rows=self._pending.dropped_rows)

    @property
    def dropped_rows(self) -> int:
        """Rows dropped because MAX_UNSTORED_BYTES of rows were already waiting for the store."""
        return self._pending.dropped_rows

    def _store(self) -> bool:
        # Caller holds _flush_lock. While the store fails and the queue is full, the queued frames are tried
        # first, so rows logged after the store has room again are kept rather than dropped.
        full_and_failing = self._fault is not None and self._pending.full and not self._write_pending()
        batches: list[pa.RecordBatch] = []
        try:
            with self._convert_lock:
                self._convert_taken()
                batches, self._converted = self._converted, []
            self._encode(batches, drop=full_and_failing)
        except Exception as error:  # keep the rows that could not be encoded, and say so
            with self._convert_lock:
                self._converted[:0] = batches  # ahead of any rows converted meanwhile
            self._report(error)
            return False
        if full_and_failing or not self._write_pending():
            return False
        self._error = None
        if self._fault is not None:
            self._fault = None
            self._health_changed = True
        return True

    def _write_pending(self) -> bool:
        if not self._pending:
            return True
        try:
            first = self._log.write([frame.payload for frame in self._pending.frames])
        except Exception as error:  # disk full, read-only, deleted: every frame stays pending
            self._report(error, degrades=True)
            return False
        self._stored(first)
        return True

    def _encode(self, batches: list[pa.RecordBatch], *, drop: bool) -> None:
        # Groups leave `batches` once encoded, so after a failure `batches` holds exactly the rows left.
        while batches:
            group = _next_group(batches)
            if drop and self._pending.full:
                self._drop(sum(batch.num_rows for batch in group))
            else:
                batch = self.prepare_batch(merge_batches(group))
                self._warn_nonfinite(batch)
                self._pending.add(batch, encode_batch(batch))
            del batches[: len(group)]

    def _stored(self, first_seq: int) -> None:
        # The frames are durable: now the summary sees them and the comm gets them, in sequence order.
        for offset, frame in enumerate(self._pending.take()):
            batch = frame.batch
            try:
                self.observe_batch(batch)
            except Exception as error:  # a summary is not worth a stored row; say so once
                if not self._observe_failed:
                    self._observe_failed = True
                    warnings.warn(f"run {self._run_label}: summary not updated: {error!r}", stacklevel=2)
            self._publish(StoredFrame(self._run_id, first_seq + offset, batch.num_rows, frame.payload))

    def _drop(self, rows: int) -> None:
        if not self._pending.dropped_rows:
            warnings.warn(
                f"run {self._run_label}: {self._pending.nbytes / 2**20:.0f} MiB of logged rows are waiting "
                f"for {self._log_path}; rows logged from now until the store accepts writes again are "
                'dropped (their count is recorded in run.json "dropped_rows").',
                FlushFailedWarning,
                stacklevel=2,
            )
        self._pending.drop(rows)
        self._health_changed = True

    def _chunk_ready(self) -> None:
        # Called by log() every CHUNK_ROWS steps. Plain Python numbers and strings are converted right here,
        # while hot in the CPU cache (about 0.3 ms per chunk, as a hand-written Arrow logger pays); with the
        # GIL this costs the training thread less than the same work done later by the flusher.
        # Never waits: if the flusher is converting or taking batches right now, the rows wait for the next
        # call. numpy/tensor values are never converted here (that may wait for a GPU): the flusher is woken.
        if not self._history.only_plain_values:
            self._wake.set()
        elif self._convert_lock.acquire(blocking=False):
            try:
                with contextlib.suppress(Exception):  # the rows stay in _unstored; flush() reports
                    self._convert_taken()
            finally:
                self._convert_lock.release()

    def _convert_ahead(self) -> None:
        # On failure the rows stay in _unstored; the next flush() retries and reports the error.
        with self._convert_lock, contextlib.suppress(Exception):
            self._convert_taken()

    def _convert_taken(self) -> None:
        segments = self._unstored + self._history.take()
        self._unstored = []
        if segments:
            try:
                history = self._history
                build = functools.partial(
                    build_batch,
                    kinds=history.kinds,
                    started_at=self._started_at,
                    float_keys=history.float_keys,
                    report=history.conversion_failed,
                )
                # A value that still breaks the batch costs only its own row (value_isolation).
                batch = build_isolated(segments, build, history.conversion_failed)
            except BaseException:
                self._unstored = segments
                raise
            if batch is not None:  # None: every row was left out, and reported
                self._converted.append(batch)

    def _unstored_rows(self) -> int:
        waiting = sum(s.row_count for s in self._unstored) + sum(b.num_rows for b in self._converted)
        return waiting + self._pending.rows

    def _warn_nonfinite(self, batch) -> None:
        for name in nonfinite_columns(batch, self._warned_nonfinite):
            self._warned_nonfinite.add(name)
            warnings.warn(
                f"run {self._run_label}: metric '{name}' has NaN or infinite values; they are stored as "
                "they are (this warning is shown once per metric).",
                NonFiniteValueWarning,
                stacklevel=2,
            )

    def _report(self, error: BaseException, *, degrades: bool = False) -> None:
        first = self._error is None
        self._error = error
        if degrades:
            fault = StoreFault.of(error, self._log_path)
            if self._fault is None or (fault.reason, fault.path) != (self._fault.reason, self._fault.path):
                self._fault = fault
                self._health_changed = True
        if first:
            warnings.warn(
                f"run {self._run_label}: could not store {self._unstored_rows()} logged rows in "
                f"{self._log_path}: {type(error).__name__}: {str(error).rstrip('.')}. They are kept in "
                f"memory and retried (after {self._interval} s, then backing off to every "
                f"{max(MAX_RETRY_SECONDS, self._interval)} s); flush() and finish() raise until they are "
                f"stored. Past {self._pending.max_bytes // 2**20} MiB of waiting rows, newer rows are "
                "dropped.",
                FlushFailedWarning,
                stacklevel=2,
            )

    def _notify_health(self) -> None:
        try:
            self.on_health_change()
        except Exception as error:  # showing the state must never stop the flushing
            warnings.warn(f"run {self._run_label}: store health not shown: {error!r}", stacklevel=2)

    def _flush_error(self) -> FlushError:
        error = self._error
        rows = self._unstored_rows()
        reason = describe_os_error(error) if error is not None else "unknown"
        path = str(getattr(error, "path", None) or self._log_path)
        return FlushError(
            f"run {self._run_label}: {rows} logged rows could not be stored in {path}: "
            f"{type(error).__name__}: {str(error).rstrip('.')}. Fix the cause (disk space, permissions); "
            "the rows are kept in memory and written as soon as the store accepts them, until this process "
            "exits.",
            path=path,
            reason=reason,
            rows=rows,
            errno=getattr(error, "errno", None),
        )

    def close(self) -> None:
        """Stop the thread, flush what is left, close the log; raise FlushError if rows remain unstored."""
        self._stopping = True
        self._wake.set()
        if self._thread is not threading.current_thread():
            self._thread.join()
        stored = self.flush()
        self._log.close()  # a later flush() reopens it (rows kept after a failure can still be stored)
        if not stored:
            raise self._flush_error() from self._error
