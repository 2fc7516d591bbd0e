"""What the system monitor measures through psutil: one probe per concept, each returning {metric: value}.

Metric names here have no "system/" prefix; the monitor adds it. Units are in the names (see
docs/system-metrics.md). Probes keep their own previous readings, so nothing else calling psutil in the
process (which shares psutil's module-level cpu_percent state) skews them.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Protocol

import psutil

MB = 1024 * 1024  # MiB, called MB in metric names as wandb and most dashboards do


class Probe(Protocol):
    """A source of metrics: `name` (for warnings), `sample()` -> {metric: number}, `close()`."""

    name: str

    def sample(self) -> dict[str, float]: ...

    def close(self) -> None: ...


class ProcessProbe:
    """This process: CPU % (100 = one core busy), resident memory and thread count."""

    name = "process"

    def __init__(self) -> None:
        self._process = psutil.Process()
        # The first cpu_percent() call has no previous reading and returns a meaningless 0.0.
        self._process.cpu_percent(None)

    def sample(self) -> dict[str, float]:
        process = self._process
        with process.oneshot():
            return {
                "proc.cpu.percent": process.cpu_percent(None),
                "proc.memory.rss_mb": process.memory_info().rss / MB,
                "proc.threads": float(process.num_threads()),
            }

    def close(self) -> None:
        pass


class SystemCpuMemoryProbe:
    """The whole machine: CPU % averaged over all cores (0..100) and memory in use %."""

    name = "system cpu and memory"

    def __init__(self) -> None:
        self._previous = _busy_and_total(psutil.cpu_times())

    def sample(self) -> dict[str, float]:
        busy, total = _busy_and_total(psutil.cpu_times())
        busy_delta, total_delta = busy - self._previous[0], total - self._previous[1]
        self._previous = (busy, total)
        cpu = 100.0 * busy_delta / total_delta if total_delta > 0 else 0.0
        return {"cpu.percent": min(100.0, max(0.0, cpu)), "memory.percent": psutil.virtual_memory().percent}

    def close(self) -> None:
        pass


def _busy_and_total(times) -> tuple[float, float]:
    # psutil's own formula: guest time is already counted in user time, iowait is idle time.
    total = sum(times) - getattr(times, "guest", 0.0) - getattr(times, "guest_nice", 0.0)
    return total - times.idle - getattr(times, "iowait", 0.0), total


class DiskUsageProbe:
    """Space used % on the filesystem holding `path` (the run directory)."""

    name = "disk usage"

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self._path = os.fspath(Path(path))

    def sample(self) -> dict[str, float]:
        return {"disk.percent": psutil.disk_usage(self._path).percent}

    def close(self) -> None:
        pass


class DiskIOProbe:
    """MB read from and written to all disks (machine-wide) since the monitor started."""

    name = "disk I/O"

    def __init__(self) -> None:
        self._start = psutil.disk_io_counters()

    def sample(self) -> dict[str, float]:
        now = psutil.disk_io_counters()
        if now is None:  # no disk statistics (some containers)
            return {}
        if self._start is None:
            self._start = now
        return {
            "disk.read_mb": max(0.0, (now.read_bytes - self._start.read_bytes) / MB),
            "disk.write_mb": max(0.0, (now.write_bytes - self._start.write_bytes) / MB),
        }

    def close(self) -> None:
        pass


class NetworkProbe:
    """MB sent and received on all interfaces (machine-wide) since the monitor started."""

    name = "network"

    def __init__(self) -> None:
        self._start = psutil.net_io_counters()

    def sample(self) -> dict[str, float]:
        now = psutil.net_io_counters()
        if now is None:
            return {}
        if self._start is None:
            self._start = now
        return {
            "network.sent_mb": max(0.0, (now.bytes_sent - self._start.bytes_sent) / MB),
            "network.recv_mb": max(0.0, (now.bytes_recv - self._start.bytes_recv) / MB),
        }

    def close(self) -> None:
        pass
