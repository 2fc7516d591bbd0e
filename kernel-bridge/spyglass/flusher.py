"""The background flusher: every interval, turn buffered rows into frames, store them durably, then send them.

Order matters (invariant 1): frames are appended to the framed log and fsynced before the comm sees them.
A failure never drops rows silently: the rows stay in memory, are retried at the next tick, a warning says
what went wrong, and finish() raises FlushError if they still cannot be stored.
"""

from __future__ import annotations

import contextlib
import threading
import time
import warnings
from collections.abc import Callable
from pathlib import Path

import pyarrow as pa

from .arrow_codec import encode_batch
from .batch_builder import build_batch, merge_batches, nonfinite_columns
from .errors import FlushError
from .framed_log import FramedLogWriter
from .history import History, SegmentColumns
from .protocol import StoredFrame

DEFAULT_FLUSH_INTERVAL = 0.25

# Rows per frame when a flush has many: moderate frames encode far faster than one huge batch (big buffers
# are slow to allocate) and let the frontend ingest in steps; a normal notebook loop fills one frame per tick.
FRAME_ROWS = 16384


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
    ) -> None:
        self._history = history
        self._log_path = log_path
        self._run_label = run_label
        self._run_id = run_id
        self._started_at = started_at
        self._publish = publish
        # Set by the Run: step_sync fill before a batch is stored, summary aggregates after (this thread).
        self.prepare_batch: Callable[[pa.RecordBatch], pa.RecordBatch] = _unchanged
        self.observe_batch: Callable[[pa.RecordBatch], object] = _ignore
        self._observe_failed = False
        # Set by the Run: its heartbeat, called from this thread at least every tick_interval seconds.
        self.on_tick: Callable[[], object] = _no_tick
        self.tick_interval = 1.0
        self._tick_failed = False
        self._interval = interval
        self._writer: FramedLogWriter | None = FramedLogWriter(log_path)
        self._flush_lock = threading.Lock()  # one store at a time (the thread's or flush()'s) uses the writer
        # Guards the two lists below. A store holds it only to take converted batches, never while it writes,
        # so log()'s chunk conversion is not skipped for as long as a write, an fsync or a GIL wait lasts.
        self._convert_lock = threading.Lock()
        self._unstored: list[SegmentColumns] = []  # rows taken from the History but not converted yet
        self._converted: list[pa.RecordBatch] = []  # converted rows not stored yet
        self._error: BaseException | None = None
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
        deadline = time.monotonic() + self._interval
        next_tick = time.monotonic() + min(self._interval, self.tick_interval)
        while not self._stopping:
            self._wake.wait(max(0.0, min(deadline, next_tick) - time.monotonic()))
            self._wake.clear()
            if self._stopping:
                break
            now = time.monotonic()
            if now >= deadline:
                self.flush()
                deadline = time.monotonic() + self._interval
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
            return self._store()

    def _store(self) -> bool:
        # Caller holds _flush_lock.
        stored: list[StoredFrame] = []
        batches: list[pa.RecordBatch] = []
        try:
            with self._convert_lock:
                self._convert_taken()
                batches, self._converted = self._converted, []
            while batches:
                group = _next_group(batches)
                stored.append(self._append(merge_batches(group)))
                del batches[: len(group)]
            if stored:
                self._sync()
        except Exception as error:  # keep the rows, whatever went wrong, and say so
            with self._convert_lock:
                self._converted[:0] = batches  # ahead of any rows converted meanwhile
                rows = self._unstored_rows()
            self._report(error, rows)
            return False
        finally:
            # Appended frames are in the store; published under the lock, so in sequence order.
            for frame in stored:
                self._publish(frame)
        self._error = None
        return True

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
                self._converted.append(
                    build_batch(segments, history.kinds, self._started_at, history.float_keys)
                )
            except Exception:
                self._unstored = segments
                raise

    def _unstored_rows(self) -> int:
        return sum(s.row_count for s in self._unstored) + sum(b.num_rows for b in self._converted)

    def _append(self, batch: pa.RecordBatch) -> StoredFrame:
        batch = self.prepare_batch(batch)
        self._warn_nonfinite(batch)
        payload = encode_batch(batch)
        if self._writer is None:  # a previous append failed: reopening truncates any partial frame
            self._writer = FramedLogWriter(self._log_path)
        try:
            seq = self._writer.append(payload)
        except Exception:
            self._writer.close()
            self._writer = None
            raise
        try:
            self.observe_batch(batch)
        except Exception as error:  # a summary is not worth a stored row; say so once
            if not self._observe_failed:
                self._observe_failed = True
                warnings.warn(f"run {self._run_label}: summary not updated: {error!r}", stacklevel=2)
        return StoredFrame(self._run_id, seq, batch.num_rows, payload)

    def _sync(self) -> None:
        if self._writer is not None:
            self._writer.sync()

    def _warn_nonfinite(self, batch) -> None:
        for name in nonfinite_columns(batch, self._warned_nonfinite):
            self._warned_nonfinite.add(name)
            warnings.warn(
                f"run {self._run_label}: metric '{name}' has NaN or infinite values; they are stored as "
                "they are (this warning is shown once per metric).",
                NonFiniteValueWarning,
                stacklevel=2,
            )

    def _report(self, error: BaseException, rows: int) -> None:
        first = self._error is None
        self._error = error
        if first:
            warnings.warn(
                f"run {self._run_label}: could not store {rows} logged rows in {self._log_path}: "
                f"{type(error).__name__}: {error}. They are kept in memory and retried every "
                f"{self._interval} s; finish() raises if they still cannot be stored.",
                FlushFailedWarning,
                stacklevel=2,
            )

    def close(self) -> None:
        """Stop the thread, flush what is left, close the log; raise FlushError if rows remain unstored."""
        self._stopping = True
        self._wake.set()
        if self._thread is not threading.current_thread():
            self._thread.join()
        stored = self.flush()
        if self._writer is not None:
            self._writer.close()
            self._writer = None
        if not stored:
            rows = self._unstored_rows()
            raise FlushError(
                f"run {self._run_label}: {rows} logged rows could not be stored in {self._log_path}: "
                f"{type(self._error).__name__}: {self._error}. Fix the cause (disk space, permissions) — the "
                "rows are still in memory until this process exits."
            ) from self._error
