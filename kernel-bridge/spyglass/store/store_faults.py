"""What a failed write to the run store means: the reason in words, the typed error naming the path,
and the "degraded" record a run keeps while its rows cannot be stored (run.json, the comm, the read API)."""

from __future__ import annotations

import errno
import os
import time
from dataclasses import dataclass
from typing import Any

from ..base.errors import StoreWriteError

DISK_FULL = "disk full"
READ_ONLY = "read-only file system"
DIRECTORY_DELETED = "directory deleted"
FILE_REPLACED = "file deleted or replaced"

_REASONS = {
    errno.ENOSPC: DISK_FULL,
    errno.EDQUOT: "disk quota exceeded",
    errno.EROFS: READ_ONLY,
    errno.EACCES: "permission denied",
    errno.EPERM: "permission denied",
    errno.ENOENT: DIRECTORY_DELETED,
    errno.ENOTDIR: DIRECTORY_DELETED,
    errno.EFBIG: "file size limit reached",
    errno.EIO: "I/O error",
}

_ADVICE = {
    DISK_FULL: "free space on that disk; logged rows wait in memory and are written as soon as it has room",
    "disk quota exceeded": "raise the quota or free space; logged rows wait in memory meanwhile",
    READ_ONLY: "the store's file system is mounted read-only; point the run at a writable store "
    "(sg.init(dir=...) or SPYGLASS_DIR)",
    "permission denied": "this process may not write there; fix the permissions or choose another store "
    "(sg.init(dir=...) or SPYGLASS_DIR)",
    DIRECTORY_DELETED: "the run's directory was removed while the run was live; rows logged from now on "
    "cannot be stored there",
    FILE_REPLACED: "the run's history.sglog was removed or replaced by another file while the run was live",
    "file size limit reached": "the process's file size limit (ulimit -f) was reached; raise it",
    "spool full": "the bucket has not taken this run's segments for a while; rows wait in memory and ship "
    "once it does (check the connection, or raise the limit)",
}


def describe_os_error(error: BaseException) -> str:
    """The reason of a failed write in words: 'disk full', 'read-only file system', ... or the OS text."""
    if isinstance(error, StoreWriteError):
        return error.reason
    code = getattr(error, "errno", None)
    if code in _REASONS:
        return _REASONS[code]
    return getattr(error, "strerror", None) or str(error) or type(error).__name__


def store_write_error(path: str | os.PathLike[str], doing: str, error: BaseException) -> StoreWriteError:
    """A StoreWriteError for `error` raised while `doing` (e.g. 'append frame 7') on `path`."""
    if isinstance(error, StoreWriteError):
        return error
    reason = describe_os_error(error)
    detail = getattr(error, "strerror", None) or str(error)
    return fault_error(path, doing, reason, detail, errno=getattr(error, "errno", None))


def fault_error(
    path: str | os.PathLike[str], doing: str, reason: str, detail: str = "", *, errno: int | None = None
) -> StoreWriteError:
    """A StoreWriteError with the documented reason and what to do about it."""
    detail = f" ({detail})" if detail and detail.lower() != reason.lower() else ""
    advice = _ADVICE.get(reason, "check the store's disk and permissions")
    message = f"{os.fspath(path)}: could not {doing}: {reason}{detail}; {advice}."
    return StoreWriteError(message, path=path, reason=reason, errno=errno)


@dataclass(frozen=True)
class StoreFault:
    """Why a run is degraded: its rows cannot be written to the store right now (cleared once they are)."""

    reason: str
    path: str
    message: str
    since: float

    @classmethod
    def of(cls, error: BaseException, fallback_path: str | os.PathLike[str]) -> StoreFault:
        path = getattr(error, "path", None) or os.fspath(fallback_path)
        return cls(describe_os_error(error), str(path), str(error), time.time())

    def to_json(self, *, unstored_rows: int, dropped_rows: int) -> dict[str, Any]:
        """run.json "degraded" and the comm's RunInfo.degraded (docs/store-format.md)."""
        return {
            "reason": self.reason,
            "path": self.path,
            "message": self.message,
            "since": self.since,
            "unstored_rows": unstored_rows,
            "dropped_rows": dropped_rows,
        }
