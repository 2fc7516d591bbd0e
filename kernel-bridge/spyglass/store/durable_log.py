"""The history log as the flusher writes it: frames appended and fsynced as one step, all or none.

A failed write or fsync cuts the frames of that attempt off again, so the next attempt writes them with the
same sequence numbers: the log stays contiguous, nothing is stored twice. A log reopened after a failure must
still hold every frame known to be durable; one that lost frames (deleted, replaced) is refused.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from pathlib import Path

from ..base.errors import StoreWriteError
from .framed_log import FramedLogWriter
from .store_faults import DIRECTORY_DELETED, FILE_REPLACED, fault_error

# After these, the open file is not the run's log any more: reopen (and check) at the next attempt.
_LOST_FILE = (DIRECTORY_DELETED, FILE_REPLACED)


class DurableLog:
    """Writes frames to one framed log, durably; one thread at a time (the flusher holds its lock)."""

    def __init__(self, path: Path, admit: Callable[[Path, int], None] | None = None) -> None:
        """`admit(path, nbytes)` may refuse a write before it starts by raising StoreWriteError (the spool
        limit of a run written to a bucket, spool.SpoolGate)."""
        self.path = path
        self._admit = admit
        self._writer: FramedLogWriter | None = FramedLogWriter(path)
        self._durable_seq = self._writer.next_seq

    @property
    def durable_seq(self) -> int:
        """The sequence number the next durable frame gets: every frame before it is in the file, fsynced."""
        return self._durable_seq

    def write(self, payloads: list[bytes]) -> int:
        """Append one frame per payload and fsync; return the first frame's seq. Raise StoreWriteError if not
        all of them are durable, in which case none of them stays in the log."""
        if self._admit is not None:
            self._admit(self.path, sum(map(len, payloads)))
        writer = self._open()
        try:
            first = writer.append_many(payloads)
            writer.sync()
        except StoreWriteError as error:
            if error.reason in _LOST_FILE:
                self.close()
            else:
                with contextlib.suppress(StoreWriteError):
                    writer.rewind()  # a writer that cannot cut closes itself: reopened and checked next time
            raise
        self._durable_seq = writer.durable_seq
        return first

    def close(self) -> None:
        """Close the file; a later write() reopens it."""
        if self._writer is not None:
            writer, self._writer = self._writer, None
            writer.close()

    def _open(self) -> FramedLogWriter:
        if self._writer is not None and not self._writer.closed:
            return self._writer
        writer = FramedLogWriter(self.path)
        try:
            if writer.next_seq < self._durable_seq:
                raise fault_error(
                    self.path,
                    "continue the log",
                    FILE_REPLACED,
                    f"it holds {writer.next_seq} frames where {self._durable_seq} were stored",
                )
            writer.rewind_to(self._durable_seq)  # frames of a failed attempt that a failed cut left behind
        except BaseException:
            writer.close()
            raise
        self._writer = writer
        return writer
