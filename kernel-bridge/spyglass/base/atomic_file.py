"""Replace a file atomically: readers see either the old content or the new, never a mix or an empty file.

`output_file`/`write_output` are for files a user names (reports, exports, layouts): they also refuse a
destination that is a symlink (a link planted there, even a dangling one, would otherwise decide where the
bytes land) and, given roots, a directory outside them.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import stat
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import BinaryIO

from .errors import SpyglassError
from .path_confinement import Roots, is_within, real_path

# Temporary files start with a dot and end in .tmp, so globs like '*/history.parquet' or a reader opening
# 'run.json' never pick up a half-written file left behind by a crash.
_TEMP_SUFFIX = ".tmp"
_NEW_FILE = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_BINARY", 0)
# Where the platform can, an output is created relative to its directory's descriptor, opened once after the
# checks: swapping a directory of the path for a symlink in between cannot move the write elsewhere.
_DIR_FD = os.open in os.supports_dir_fd and os.rename in os.supports_dir_fd and os.stat in os.supports_dir_fd


class UnsafeOutputError(SpyglassError):
    """An output's destination is a symlink or not a regular file, or its directory lies outside the roots."""


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
    fd = os.open(temp_name, _NEW_FILE, 0o666)
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


def write_output(path: str | os.PathLike[str], data: bytes, *, within: Roots | None = None) -> Path:
    """Write a user-named output atomically, never through a symlink; see `output_file`. Returns the path."""
    with output_file(path, within=within) as out:
        out.write(data)
    return Path(path)


@contextlib.contextmanager
def output_file(path: str | os.PathLike[str], *, within: Roots | None = None) -> Iterator[BinaryIO]:
    """Like `atomic_output`, for a file a user or a request names.

    UnsafeOutputError when `path` is a symlink (dangling or not) or anything but a regular file, or, with
    `within`, when its directory's real path is not inside those roots. The temporary file is created beside
    it without following links, then renamed over it.
    """
    target = Path(path)
    directory = real_path(target.parent)
    if within is not None and not is_within(directory, within):
        raise UnsafeOutputError(
            f"refusing to write {os.fspath(path)!r}: its directory {str(directory)!r} is outside the "
            "allowed roots"
        )
    dir_fd = os.open(directory, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0)) if _DIR_FD else None
    name, temp = (target.name, f".{target.name}.{secrets.token_hex(6)}{_TEMP_SUFFIX}")
    if dir_fd is None:
        name, temp = os.fspath(directory / name), os.fspath(directory / temp)
    try:
        _refuse_link(name, dir_fd, os.fspath(path))
        fd = os.open(temp, _NEW_FILE, 0o666, dir_fd=dir_fd)
        try:
            with os.fdopen(fd, "wb") as out:
                yield out
                out.flush()
                os.fsync(out.fileno())
            # rename replaces the directory entry itself: a link swapped in meanwhile is replaced, not
            # followed.
            os.replace(temp, name, src_dir_fd=dir_fd, dst_dir_fd=dir_fd)
        except BaseException:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(temp, dir_fd=dir_fd)
            raise
        if dir_fd is not None:
            with contextlib.suppress(OSError):
                os.fsync(dir_fd)
        else:
            fsync_directory(directory)
    finally:
        if dir_fd is not None:
            os.close(dir_fd)


def output_directory(path: str | os.PathLike[str], *, within: Roots | None = None) -> Path:
    """Create the directory `path` (and parents) for outputs; UnsafeOutputError when it is a symlink or not a
    directory, or, with `within`, when it resolves outside those roots."""
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    _refuse_link(os.fspath(target), None, os.fspath(path), kind=stat.S_ISDIR)
    if within is not None and not is_within(real_path(target), within):
        raise UnsafeOutputError(
            f"refusing to write into {os.fspath(path)!r}: it is outside the allowed roots"
        )
    target.mkdir(exist_ok=True)
    return target


def _refuse_link(
    name: str, dir_fd: int | None, shown: str, kind: Callable[[int], bool] = stat.S_ISREG
) -> None:
    try:
        info = os.stat(name, dir_fd=dir_fd, follow_symlinks=False)
    except FileNotFoundError:
        return
    if stat.S_ISLNK(info.st_mode):
        raise UnsafeOutputError(
            f"refusing to write {shown!r}: it is a symbolic link, and an output is never written through "
            "one; remove the link or choose another output path"
        )
    if not kind(info.st_mode):
        expected = "directory" if kind is stat.S_ISDIR else "regular file"
        raise UnsafeOutputError(f"refusing to write {shown!r}: it exists and is not a {expected}")


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
