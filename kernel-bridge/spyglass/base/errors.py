"""Exceptions raised by Spyglass. Every one derives from SpyglassError, so callers can catch them all."""

from __future__ import annotations

import os


class SpyglassError(Exception):
    """Base class of every error Spyglass raises on purpose."""

    def __reduce__(self):
        # Picklable whatever a subclass's __init__ takes: a multiprocessing pool cannot unpickle an exception
        # whose __init__ needs other arguments than its message, and then waits for that worker forever.
        return (_rebuild_with_fields, (type(self), self.args, self.__dict__))


class StoreError(SpyglassError):
    """The run store could not do what was asked (missing run, existing run, unreadable file, ...)."""


class CorruptLogError(SpyglassError):
    """A framed log holds invalid bytes before its end: data written earlier was damaged.

    Everything before `offset` is still readable: `read_framed_log(data[:offset])`.
    """

    def __init__(self, path: str | os.PathLike[str] | None, offset: int, reason: str) -> None:
        self.path = None if path is None else os.fspath(path)
        self.offset = offset
        self.reason = reason
        where = self.path if self.path is not None else "<bytes>"
        super().__init__(
            f"{where}: corrupt framed log at byte offset {offset}: {reason}. "
            f"The frames before offset {offset} are intact; the file needs repair or restoring from a copy."
        )

    def __reduce__(self):
        # Keep the exception picklable (multiprocessing, pytest-xdist) despite the custom __init__.
        return (type(self), (self.path, self.offset, self.reason))


class InvalidNameError(SpyglassError, ValueError):
    """A project name or run id cannot be used as a directory name in the store."""


class ProtocolError(SpyglassError, ValueError):
    """A comm message does not match the protocol (packages/protocol/src/messages.ts); `field` names it."""

    def __init__(self, message: str, field: str | None = None) -> None:
        self.field = field
        super().__init__(message)


class ProtocolVersionError(ProtocolError):
    """The peer speaks a newer protocol major than this package understands."""


class RunFinishedError(SpyglassError, RuntimeError):
    """A run was used (log, config change) after finish()."""


class StoreWriteError(StoreError, OSError):
    """Writing to the run store failed: `path` is the file or directory, `reason` says why in words.

    `reason` is one of "disk full", "disk quota exceeded", "read-only file system", "permission denied",
    "directory deleted", "file deleted or replaced", "file size limit reached", "I/O error", or the system's
    own text for anything else (store_faults.describe_os_error). An OSError too (`errno` is the system's code
    when there is one), so code that catches OSError around store writes keeps working.
    """

    def __init__(
        self, message: str, *, path: str | os.PathLike[str], reason: str, errno: int | None = None
    ) -> None:
        super().__init__(message)
        self.path = os.fspath(path)
        self.reason = reason
        self.errno = errno


class FlushError(StoreWriteError):
    """Logged rows are not durable in the store (flush() or finish()); they are still held in memory.

    `rows` is how many rows wait; `path` and `reason` are those of the write that failed.
    """

    def __init__(
        self, message: str, *, path: str | os.PathLike[str], reason: str, rows: int, errno: int | None = None
    ) -> None:
        super().__init__(message, path=path, reason=reason, errno=errno)
        self.rows = rows


def _rebuild_with_fields(cls: type, args: tuple, fields: dict) -> BaseException:
    # An error unpickles by restoring its args and attributes, not by calling its __init__ again.
    error = cls.__new__(cls)
    error.args = args
    error.__dict__.update(fields)
    return error


class ProjectNotFoundError(StoreError, LookupError):
    """The read API was asked for a project that the store does not hold."""


class RunNotFoundError(StoreError, LookupError):
    """The read API was asked for a run that the project does not hold."""


class CorruptRunLogError(CorruptLogError):
    """A run's framed log is corrupt; the message names the run as well as the file and byte offset."""

    def __init__(self, run_path: str, path: str | os.PathLike[str] | None, offset: int, reason: str) -> None:
        super().__init__(path, offset, reason)
        self.run_path = run_path
        self.args = (f"run {run_path}: {self.args[0]}",)

    def __reduce__(self):
        return (type(self), (self.run_path, self.path, self.offset, self.reason))


class FilterError(SpyglassError, ValueError):
    """A read API filter or order uses an operator or a shape that Spyglass does not understand."""


class StepOrderError(SpyglassError, ValueError):
    """With settings.strict, log() was given a step smaller than the run's current step."""


# The public names (`spyglass.errors` re-exports exactly these).
__all__ = [
    "SpyglassError",
    "StoreError",
    "CorruptLogError",
    "InvalidNameError",
    "ProtocolError",
    "ProtocolVersionError",
    "RunFinishedError",
    "StoreWriteError",
    "FlushError",
    "ProjectNotFoundError",
    "RunNotFoundError",
    "CorruptRunLogError",
    "FilterError",
    "StepOrderError",
    "BucketError",
    "BucketUnreachable",
    "BucketAccessDenied",
    "ObjectMissing",
    "RunLeaseError",
]


class BucketError(StoreError):
    """An S3-compatible object store refused or failed a request (the message names bucket and endpoint)."""


class BucketUnreachable(BucketError, ConnectionError):
    """The object store's endpoint did not answer (wrong AWS_ENDPOINT_URL, network down, server stopped)."""


class BucketAccessDenied(BucketError, PermissionError):
    """The object store refused the credentials or the operation (none found, wrong key, read-only user)."""


class ObjectMissing(BucketError, LookupError):
    """The object asked for does not exist in the bucket."""


class RunLeaseError(StoreError):
    """Another live writer holds the run in the bucket (its lease.json): one writer per run."""
