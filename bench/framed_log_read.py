"""Measure framed-log throughput: append ~100 MB of history batches, then read, slice and reopen the log.

Run: .venv/bin/python bench/framed_log_read.py [megabytes] [rows-per-frame]
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

import pyarrow as pa
from spyglass.store.arrow_codec import encode_batch
from spyglass.store.framed_log import FramedLogWriter, log_slice, read_framed_log


def main() -> None:
    megabytes = int(sys.argv[1]) if len(sys.argv) > 1 else 100
    rows = int(sys.argv[2]) if len(sys.argv) > 2 else 1000
    batch = pa.record_batch(
        {
            "_step": pa.array(range(rows), pa.int64()),
            **{f"m{i}": pa.array([0.5] * rows) for i in range(10)},
        }
    )
    payload = encode_batch(batch)
    count = megabytes * 2**20 // len(payload)
    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / "history.sglog"
        started = time.perf_counter()
        with FramedLogWriter(path) as writer:
            for _ in range(count):
                writer.append(payload)
            writer.sync()
        size = path.stat().st_size / 2**20
        report("append+fsync", size, time.perf_counter() - started, count)
        for label, action in [
            ("read_framed_log", lambda: read_framed_log(path)),
            (
                "read after_seq=last-10",
                lambda: read_framed_log(path, after_seq=count - 11),
            ),
            ("log_slice after_seq=last-10", lambda: log_slice(path, count - 11)),
            ("reopen writer (validate)", lambda: FramedLogWriter(path).close()),
        ]:
            best = min(timed(action) for _ in range(3))
            report(label, size, best, count)


def timed(action) -> float:
    started = time.perf_counter()
    action()
    return time.perf_counter() - started


def report(label: str, size: float, seconds: float, frames: int) -> None:
    print(
        f"{label:30s} {size:7.1f} MB {frames:7d} frames {seconds * 1000:8.1f} ms {size / seconds:8.0f} MB/s"
    )


if __name__ == "__main__":
    main()
