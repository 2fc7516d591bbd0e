"""The local spool of a run written to a bucket: its `.spool.json` marker and its size limit.

A run directory this machine writes for an `s3://` store holds `.spool.json` (writer id, host, pid, the store
URL without credentials, the byte offsets of each stream already shipped). The bucket mirror never touches a
directory with that marker, and `spyglass sync` finds the runs whose shipping a killed writer left unfinished
by it. The marker goes once the run is finished and everything is shipped: the directory is then an ordinary
copy of the bucket's run.

The spool limit bounds the bytes written locally but not shipped yet (the bucket unreachable for long): past
it the flusher's writes fail with reason "spool full", so the run is degraded as for a full disk (rows wait
in memory, then are dropped and counted; docs/store-format.md) and catches up once segments ship again.
"""

from __future__ import annotations

import contextlib
import json
import os
import socket
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path

from ..base.atomic_file import write_atomic
from .store_faults import fault_error

SPOOL_MARKER = ".spool.json"
SPOOL_FULL = "spool full"


@dataclass
class SpoolMarker:
    """What `.spool.json` records about a run this machine writes to a bucket."""

    writer: str
    store: str
    host: str = field(default_factory=socket.gethostname)
    pid: int = field(default_factory=os.getpid)
    shipped: dict[str, int] = field(default_factory=dict)

    @classmethod
    def load(cls, run_dir: Path) -> SpoolMarker | None:
        """The marker of `run_dir`, or None when it has none (or an unreadable one: then shipping starts from
        the bucket's own record of what it holds)."""
        try:
            record = json.loads((run_dir / SPOOL_MARKER).read_bytes())
            shipped = {str(name): int(offset) for name, offset in record.get("shipped", {}).items()}
            return cls(
                str(record["writer"]), str(record["store"]), str(record["host"]), int(record["pid"]), shipped
            )
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            return None

    def save(self, run_dir: Path) -> None:
        """Replace the marker atomically."""
        write_atomic(run_dir / SPOOL_MARKER, (json.dumps({"format": 1, **asdict(self)}) + "\n").encode())


def has_marker(run_dir: Path) -> bool:
    """True when this machine writes (or wrote and has not shipped) the run in `run_dir`."""
    return (run_dir / SPOOL_MARKER).is_file()


def remove_marker(run_dir: Path) -> None:
    """The run is finished and shipped: its directory becomes an ordinary copy of the bucket's run."""
    with contextlib.suppress(FileNotFoundError):
        os.unlink(run_dir / SPOOL_MARKER)


def find_spooled_runs(root: Path) -> list[Path]:
    """The run directories under a local root that hold a spool marker, sorted."""
    return sorted(
        marker.parent for marker in root.glob(f"*/*/{SPOOL_MARKER}") if not marker.parent.name.startswith(".")
    )


class SpoolGate:
    """Refuses flusher writes while the unshipped bytes are at the limit (the flusher's `admit`).

    A write is refused only once the limit is reached, not because it would pass it: rows that waited in
    memory during an outage are written in one go as soon as shipping has made room.
    """

    def __init__(self, limit_mb: float, unshipped: Callable[[], int], store: str) -> None:
        self.limit_mb = limit_mb
        self._unshipped = unshipped
        self._store = store

    def __call__(self, path: Path, nbytes: int) -> None:
        waiting = self._unshipped()
        if waiting >= self.limit_mb * 2**20:
            raise fault_error(
                path,
                "append to the local spool",
                SPOOL_FULL,
                f"{waiting / 2**20:.3g} MiB are not shipped to {self._store} yet; the limit is "
                f"{self.limit_mb:g} MiB (spool_limit_mb, SPYGLASS_SPOOL_LIMIT_MB)",
            )
