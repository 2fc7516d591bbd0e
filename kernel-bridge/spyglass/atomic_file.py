"""Replace a file atomically: readers see either the old content or the new, never a mix or an empty file."""

from __future__ import annotations

import contextlib
import os
import secrets
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

# Temporary files start with a dot and end in .tmp, so globs like '*/history.parquet' or a reader opening
# 'run.json' never pick up a half-written file left behind by a crash.
_TEMP_SUFFIX = ".tmp"


def write_atomic(path: str | os.PathLike[str], data: bytes) -> None:
    """Write `data` to `path` atomically and durably (temp file, fsync, rename, fsync directory)."""
    with atomic_output(path) as out:
        out.write(data)


@contextlib.contextmanager
def atomic_output(path: str | os.PathLike[str]) -> Iterator[BinaryIO]:
    """Yield a binary file whose content replaces `path` atomically when the block exits without error."""
    target = Path(path)
    temp_name = target.with_name(f".{target.name}.{secrets.token_hex(6)}{_TEMP_SUFFIX}")
    # Mode 0o666 lets the umask decide permissions, as for any new file (mkstemp would force 0600 and could
    # hide run.json from a Jupyter server running as another user).
    fd = os.open(temp_name, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o666)
    try:
        with os.fdopen(fd, "wb") as out:
            yield out
            out.flush()
            os.fsync(out.fileno())
        os.replace(temp_name, target)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temp_name)
        raise
    fsync_directory(target.parent)


def fsync_directory(path: str | os.PathLike[str]) -> None:
    """Make a rename or new entry in directory `path` durable (a no-op where directories cannot be opened)."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except (PermissionError, IsADirectoryError):
        return  # Windows cannot open directories; its renames are durable via the journal instead.
    try:
        os.fsync(fd)
    except OSError:
        pass  # Some network filesystems refuse fsync on directories; the rename itself still happened.
    finally:
        os.close(fd)
