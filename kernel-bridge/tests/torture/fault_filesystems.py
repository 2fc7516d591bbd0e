"""Real faulty file systems for the disk-fault torture: a small tmpfs (disk full, read-only remounts) when
this process may mount (root, as in CI), and what works without mounts: a file size limit (RLIMIT_FSIZE, the
kernel refuses writes past it with EFBIG, as a full disk refuses them) and a directory no one may write to
(mode 0555, and the immutable attribute for root)."""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path


def mount_problem() -> str | None:
    """Why a tmpfs cannot be mounted here (None when it can)."""
    if not hasattr(os, "geteuid") or os.geteuid() != 0:
        return "mounting a tmpfs needs root"
    if shutil.which("mount") is None:
        return "no mount command"
    return None


@contextlib.contextmanager
def small_tmpfs(path: Path, size_mb: int) -> Iterator[Path]:
    """Mount a tmpfs of `size_mb` MiB at `path` for the block; raise RuntimeError naming why it cannot."""
    path.mkdir(parents=True, exist_ok=True)
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={size_mb}m", "tmpfs", str(path)], capture_output=True, text=True
    )
    if done.returncode != 0:
        raise RuntimeError(f"mount -t tmpfs failed: {done.stderr.strip()}")
    try:
        yield path
    finally:
        subprocess.run(["umount", "-l", str(path)], capture_output=True)


def remount(path: Path, mode: str) -> None:
    """Remount the tmpfs at `path` "ro" or "rw"."""
    subprocess.run(["mount", "-o", f"remount,{mode}", str(path)], check=True, capture_output=True)


def fill(path: Path) -> Path:
    """Write zeros into `path`/filler until the file system is full; return the filler (delete it to free)."""
    filler = path / "filler"
    fd = os.open(filler, os.O_WRONLY | os.O_CREAT | os.O_TRUNC)
    try:
        for size in (1 << 20, 65536, 4096, 512, 1):  # unbuffered, down to the last byte that fits
            with contextlib.suppress(OSError):
                while os.write(fd, b"\0" * size):
                    pass
    finally:
        os.close(fd)
    return filler


@contextlib.contextmanager
def unwritable(directory: Path) -> Iterator[None]:
    """No process may create entries in `directory` for the block: mode 0555, and for root (who ignores
    modes) the immutable attribute. Skips the test when neither can be set."""
    if os.geteuid() != 0:
        directory.chmod(0o555)
        try:
            yield
        finally:
            directory.chmod(0o755)
        return
    done = subprocess.run(["chattr", "+i", str(directory)], capture_output=True, text=True)
    if done.returncode != 0:
        import pytest

        pytest.skip(f"root cannot make {directory} unwritable here (chattr +i: {done.stderr.strip()})")
    try:
        yield
    finally:
        subprocess.run(["chattr", "-i", str(directory)], capture_output=True)
