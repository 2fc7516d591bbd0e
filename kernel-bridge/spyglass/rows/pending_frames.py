"""Frames encoded but not yet durable, in sequence order, and the memory bound that applies while writes fail.

While the store cannot be written (disk full, read-only, directory deleted) the flusher keeps every logged row
here and retries; log() never blocks and never raises for the disk. Past MAX_UNSTORED_BYTES of waiting frames,
newer rows are dropped (counted in `dropped_rows`, recorded in run.json) rather than growing without limit;
the rows kept are the ones right after the stored prefix, so the log stays a contiguous prefix of the run.
"""

from __future__ import annotations

from dataclasses import dataclass

import pyarrow as pa

MAX_UNSTORED_BYTES = 256 * 1024 * 1024


@dataclass(frozen=True, slots=True)
class PendingFrame:
    """One frame's rows (for the summary, after the write) and its encoded payload (what is written)."""

    batch: pa.RecordBatch
    payload: bytes


class PendingFrames:
    """The flusher's queue of frames to write; only the flusher (holding its lock) touches it."""

    def __init__(self, max_bytes: int = MAX_UNSTORED_BYTES) -> None:
        self.max_bytes = max_bytes
        self.frames: list[PendingFrame] = []
        self.nbytes = 0
        self.dropped_rows = 0

    def __bool__(self) -> bool:
        return bool(self.frames)

    @property
    def rows(self) -> int:
        return sum(frame.batch.num_rows for frame in self.frames)

    @property
    def full(self) -> bool:
        """True once the waiting frames hold max_bytes (passed by at most the rows of one flush)."""
        return self.nbytes >= self.max_bytes

    def add(self, batch: pa.RecordBatch, payload: bytes) -> None:
        self.frames.append(PendingFrame(batch, payload))
        self.nbytes += batch.nbytes + len(payload)

    def drop(self, rows: int) -> None:
        """Count rows that were not kept because the queue was full."""
        self.dropped_rows += rows

    def take(self) -> list[PendingFrame]:
        """Empty the queue (its frames are durable now) and return what it held."""
        frames, self.frames, self.nbytes = self.frames, [], 0
        return frames
