"""Where logged media and table files go: `<run_dir>/media/<kind>/<key>_<step>_<sha8>.<ext>`, atomically.


Content-addressed within the run: the same bytes logged twice under one key and step land in one file, and a
file once written is never rewritten (readers may hold it open, the browser may cache it by name).
"""

from __future__ import annotations

import hashlib
import os
import re
import secrets
import shutil
from collections.abc import Callable
from pathlib import Path

from ..base.atomic_file import atomic_output, fsync_directory, write_atomic

MEDIA_DIR = "media"
# Characters kept in file names taken from metric keys; anything else (/, spaces, dots) becomes '_'.
_UNSAFE = re.compile(r"[^A-Za-z0-9_\-]+")
_MAX_KEY_CHARS = 80


def safe_key(key: str) -> str:
    """A metric key as a file name part: 'eval/preds' -> 'eval_preds' (cut to 80 characters)."""
    return _UNSAFE.sub("_", key).strip("_")[:_MAX_KEY_CHARS] or "value"


class MediaWriter:
    """Writes the files of logged values into one directory (a run directory, or the store's .tables)."""

    def __init__(self, base_dir: str | os.PathLike[str]) -> None:
        self.base_dir = Path(base_dir)

    def file_name(self, key: str, step: int | None, digest: str, extension: str) -> str:
        step_part = "" if step is None else f"_{step}"
        return f"{safe_key(key)}{step_part}_{digest[:8]}.{extension}"

    def write_bytes(
        self, kind: str, key: str, step: int | None, extension: str, data: bytes | memoryview
    ) -> str:
        """Store `data` and return its path relative to base_dir (media/<kind>/<name>)."""
        digest = hashlib.sha256(data).hexdigest()
        relative = f"{MEDIA_DIR}/{kind}/{self.file_name(key, step, digest, extension)}"
        target = self.base_dir / relative
        if not target.exists():
            target.parent.mkdir(parents=True, exist_ok=True)
            write_atomic(target, bytes(data) if isinstance(data, memoryview) else data)
        return relative

    def write_with(
        self, kind: str, key: str, step: int | None, extension: str, write: Callable[[str], None]
    ) -> str:
        """Store the file that `write(temp_path)` creates (named by its content); return its relative path.

        For large files written by native code (Parquet): no copy of the bytes passes through Python.
        """
        directory = self.base_dir / MEDIA_DIR / kind
        directory.mkdir(parents=True, exist_ok=True)
        temp = directory / f".{safe_key(key)}.{secrets.token_hex(6)}.tmp"
        try:
            write(str(temp))
            with open(temp, "rb+") as file:
                os.fsync(file.fileno())
            name = self.file_name(key, step, _file_digest(temp), extension)
            target = directory / name
            if target.exists():
                temp.unlink()
            else:
                os.replace(temp, target)
                fsync_directory(directory)
        except BaseException:
            temp.unlink(missing_ok=True)
            raise
        return f"{MEDIA_DIR}/{kind}/{name}"

    def copy_file(self, kind: str, key: str, step: int | None, source: str | os.PathLike[str]) -> str:
        """Copy a user's file (kept extension) and return its relative path."""
        digest = _file_digest(source)
        extension = Path(source).suffix.lstrip(".").lower() or "bin"
        relative = f"{MEDIA_DIR}/{kind}/{self.file_name(key, step, digest, _UNSAFE.sub('', extension))}"
        target = self.base_dir / relative
        if not target.exists():
            target.parent.mkdir(parents=True, exist_ok=True)
            with open(source, "rb") as file, atomic_output(target) as out:
                shutil.copyfileobj(file, out, 1 << 20)
        return relative


def _file_digest(path: str | os.PathLike[str]) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as file:
        for block in iter(lambda: file.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()
