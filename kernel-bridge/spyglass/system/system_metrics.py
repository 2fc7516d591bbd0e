"""System metrics: a daemon thread samples CPU, memory, disk, network and GPUs into <run dir>/system.sglog.

Each sample is one row (one frame, same framed format as history.sglog, fsynced) with the columns
_timestamp, _runtime and "system/<metric>" (float64), handed to on_frame afterwards so the comm can stream it
(store first, then the wire). The thread never touches log()'s hot path; a failing probe loses its metrics,
not the thread.
Metric names and units: docs/system-metrics.md.
"""

from __future__ import annotations

import functools
import math
import os
import struct
import threading
import time
import warnings
from collections.abc import Callable, Sequence
from pathlib import Path

import pyarrow as pa

from ..store.arrow_codec import encode_batch
from ..store.framed_log import FramedLogWriter
from ..store.run_store import SYSTEM_LOG_FILE, RunDirectory
from .gpu_probes import open_gpu_probe
from .system_probes import (
    DiskIOProbe,
    DiskUsageProbe,
    NetworkProbe,
    Probe,
    ProcessProbe,
    SystemCpuMemoryProbe,
)

DEFAULT_INTERVAL = 10.0
METRIC_PREFIX = "system/"
# CPU percentages are rates over the time since the previous reading, so the first sample waits this long
# (or one interval if shorter) after the probes take their first reading.
PRIMING_SECONDS = 0.1
STOP_TIMEOUT = 2.0
_DOUBLE = struct.Struct("=d")  # Arrow buffers are in native byte order

OnFrame = Callable[[int, bytes, int], None]
ProbeFactory = Callable[[], "Probe | None"]


class SystemMetricsWarning(UserWarning):
    """A system metric could not be sampled or stored; sampling goes on without it."""


def default_probe_factories(run_path: Path) -> list[ProbeFactory]:
    """The probes a monitor uses unless told otherwise (GPU only when NVML works)."""
    return [
        ProcessProbe,
        SystemCpuMemoryProbe,
        functools.partial(DiskUsageProbe, run_path),
        DiskIOProbe,
        NetworkProbe,
        open_gpu_probe,
    ]


class SystemMonitor:
    """Samples system metrics every `interval` seconds (the first right after start) until stop()."""

    def __init__(
        self,
        run_dir: RunDirectory | str | os.PathLike[str],
        interval: float = DEFAULT_INTERVAL,
        on_frame: OnFrame | None = None,
        *,
        started_at: float | None = None,
        probes: Sequence[ProbeFactory] | None = None,
    ) -> None:
        """`started_at` (epoch seconds, default now) is the run's start, for _runtime; `probes` replaces the
        default probe factories (each called once in the thread; it may return None to opt out)."""
        if isinstance(interval, bool) or not (
            isinstance(interval, (int, float)) and math.isfinite(interval) and interval > 0
        ):
            raise ValueError(
                f"system metrics interval must be a positive number of seconds, got {interval!r}"
            )
        run_path = run_dir.path if isinstance(run_dir, RunDirectory) else Path(run_dir)
        self.interval = float(interval)
        self.log_path = run_path / SYSTEM_LOG_FILE
        self._on_frame = on_frame
        self._started_at = time.time() if started_at is None else started_at
        self._factories = list(probes) if probes is not None else default_probe_factories(run_path)
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._warned: set[str] = set()
        self._writer: FramedLogWriter | None = None
        self.samples_written = 0
        self.sample_seconds_total = 0.0  # time spent sampling, encoding and storing (cost measurement)

    def start(self) -> None:
        """Start the sampling thread (once; later calls do nothing). Never blocks on probes or the disk."""
        if self._thread is None and not self._stop.is_set():
            self._thread = threading.Thread(target=self._run, name="spyglass-system-metrics", daemon=True)
            self._thread.start()

    def stop(self) -> None:
        """Take a final sample, stop the thread and close the log; idempotent."""
        self._stop.set()
        thread = self._thread
        if thread is None or thread is threading.current_thread():
            return
        thread.join(STOP_TIMEOUT)
        # Only if a probe hangs (a wedged GPU driver); the daemon thread still closes the log when it returns.
        if thread.is_alive():
            self._warn_once("stop", f"the system metrics thread did not stop within {STOP_TIMEOUT} s")

    @property
    def mean_sample_seconds(self) -> float:
        """Average wall time of one sample (probes, encoding, append and fsync), 0 before the first."""
        return self.sample_seconds_total / self.samples_written if self.samples_written else 0.0

    def _run(self) -> None:
        probes: list[Probe] = []
        try:
            self._writer = self._open_writer()
            if self._writer is None:
                return
            probes = self._make_probes()
            if not self._stop.wait(min(PRIMING_SECONDS, self.interval)):
                self._sample(probes)
            deadline = time.monotonic() + self.interval
            while not self._stop.wait(max(0.0, deadline - time.monotonic())):
                self._sample(probes)
                # Fixed schedule without drift; after a long stall, skip missed ticks rather than burst.
                deadline = max(deadline + self.interval, time.monotonic())
            self._sample(probes)  # the final sample, taken by stop()
        finally:
            for probe in probes:
                self._guard(probe.name, probe.close)
            if self._writer is not None:
                self._writer.close()

    def _open_writer(self) -> FramedLogWriter | None:
        try:
            return FramedLogWriter(self.log_path)
        except Exception as error:
            self._warn_once("open", f"cannot open {self.log_path} ({error}); no system metrics for this run")
            return None

    def _make_probes(self) -> list[Probe]:
        probes = []
        for factory in self._factories:
            probe = self._guard(_factory_name(factory), factory)
            if probe is not None:
                probes.append(probe)
        return probes

    def _sample(self, probes: list[Probe]) -> None:
        began = time.perf_counter()
        timestamp = time.time()
        metrics: dict[str, float] = {}
        for probe in probes:
            values = self._guard(probe.name, lambda probe=probe: _as_floats(probe.sample()))
            if values:
                metrics.update(values)
        if not metrics:
            return
        batch = _row_batch(timestamp, timestamp - self._started_at, metrics)
        payload = encode_batch(batch)
        seq = self._guard("store", lambda: self._append(payload))
        if seq is None:
            return
        self.samples_written += 1
        self.sample_seconds_total += time.perf_counter() - began
        if self._on_frame is not None:
            self._guard("on_frame", lambda: self._on_frame(seq, payload, batch.num_rows))

    def _append(self, payload: bytes) -> int:
        if self._writer is None:  # a previous append failed; reopening truncates any partial frame
            self._writer = FramedLogWriter(self.log_path)
        try:
            seq = self._writer.append(payload)
            self._writer.sync()
        except Exception:
            self._writer.close()
            self._writer = None
            raise
        return seq

    def _guard(self, what: str, action: Callable[[], object]):
        """Run `action`; on an exception warn once for `what` and return None."""
        try:
            return action()
        except Exception as error:
            self._warn_once(what, f"{what} failed ({type(error).__name__}: {error}); skipped")
            return None

    def _warn_once(self, key: str, message: str) -> None:
        if key not in self._warned:
            self._warned.add(key)
            warnings.warn(f"system metrics: {message} (shown once)", SystemMetricsWarning, stacklevel=2)


def _factory_name(factory: ProbeFactory) -> str:
    target = factory.func if isinstance(factory, functools.partial) else factory
    return getattr(target, "__name__", repr(target))


def _as_floats(values: dict[str, float]) -> dict[str, float]:
    # Converted inside the probe's guard, so a probe returning a non-number is a failing probe.
    return {METRIC_PREFIX + name: float(value) for name, value in values.items()}


def _row_batch(timestamp: float, runtime: float, metrics: dict[str, float]) -> pa.RecordBatch:
    names = ("_timestamp", "_runtime", *metrics)
    values = (timestamp, runtime, *metrics.values())
    # Arrays straight from 8-byte buffers: pa.array() and from_pydict() import pandas on first use (~0.3 s,
    # tens of MB) and cost ~20 times more per column.
    columns = [pa.Array.from_buffers(pa.float64(), 1, [None, pa.py_buffer(_DOUBLE.pack(v))]) for v in values]
    return pa.RecordBatch.from_arrays(columns, schema=_float_schema(names))


@functools.lru_cache(maxsize=8)
def _float_schema(names: tuple[str, ...]) -> pa.Schema:
    return pa.schema([(name, pa.float64()) for name in names])
