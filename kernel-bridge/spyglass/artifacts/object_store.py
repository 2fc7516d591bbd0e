"""The content-addressed object store: `<root>/.objects/sha256/<2 hex>/<62 hex>`, shared by every project.

A file is stored once whatever its name, artifact or version. Objects are written to a temporary name,
checked against the expected digest and renamed into place, so a reader never sees a partial object; they are
made read-only because downloads may hardlink them.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import secrets
import shutil
import stat
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from .artifact_errors import ArtifactError

OBJECTS_DIR = ".objects"
ALGORITHM = "sha256"
# Large reads keep hashing at disk speed; hashlib releases the GIL on buffers this big, so threads scale.
BUFFER_SIZE = 1 << 20
_DIGEST_PREFIX = "sha256:"


def hash_file(path: str | os.PathLike[str]) -> tuple[str, int]:
    """Return ("sha256:<hex>", size) of a file, read in a streaming way."""
    with open(path, "rb", buffering=0) as handle:
        file_digest = getattr(hashlib, "file_digest", None)
        if file_digest is not None:  # Python 3.11+: a C loop over a reused buffer
            digest = file_digest(handle, ALGORITHM)
            size = handle.tell()
        else:  # pragma: no cover - Python 3.10
            digest, size = hashlib.sha256(), 0
            buffer = bytearray(BUFFER_SIZE)
            view = memoryview(buffer)
            while count := handle.readinto(buffer):
                digest.update(view[:count])
                size += count
    return _DIGEST_PREFIX + digest.hexdigest(), size


def hash_files(paths: Iterable[str | os.PathLike[str]], workers: int | None = None) -> list[tuple[str, int]]:
    """Hash many files on a few threads (hashing releases the GIL); results in the order given."""
    paths = list(paths)
    workers = workers or min(8, (os.cpu_count() or 1) + 1)
    if len(paths) < 2 or workers < 2:
        return [hash_file(path) for path in paths]
    with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="spyglass-hash") as pool:
        return list(pool.map(hash_file, paths, chunksize=16))


def hash_bytes(data: bytes) -> str:
    return _DIGEST_PREFIX + hashlib.sha256(data).hexdigest()


def hex_of(digest: str) -> str:
    """The hex part of "sha256:<hex>", checked (it becomes a file name)."""
    if not digest.startswith(_DIGEST_PREFIX):
        raise ArtifactError(f"digest {digest!r} is not a sha256 digest ('sha256:<64 hex>')")
    hex_digest = digest[len(_DIGEST_PREFIX) :]
    if len(hex_digest) != 64 or any(ch not in "0123456789abcdef" for ch in hex_digest):
        raise ArtifactError(f"digest {digest!r} is not a sha256 digest ('sha256:<64 hex>')")
    return hex_digest


class ObjectStore:
    """The objects under one store root."""

    def __init__(self, store_root: str | os.PathLike[str]) -> None:
        self.root = Path(store_root) / OBJECTS_DIR / ALGORITHM
        self._temp_dir = Path(store_root) / OBJECTS_DIR / "tmp"

    def path_of(self, digest: str) -> Path:
        hex_digest = hex_of(digest)
        return self.root / hex_digest[:2] / hex_digest[2:]

    def has(self, digest: str) -> bool:
        return self.path_of(digest).is_file()

    def missing(self, digests: Iterable[str]) -> set[str]:
        """The digests of `digests` this store does not hold yet."""
        return {digest for digest in digests if not self.has(digest)}

    def fetch(self, digest: str) -> Path:
        """A local path holding the object's bytes (a bucket store downloads and checks it first)."""
        return self.path_of(digest)

    def fetch_many(self, digests: Iterable[str]) -> None:
        """Make the objects local ahead of reading them (a bucket store downloads them in parallel)."""

    def put_file(
        self, source: str | os.PathLike[str], digest: str, expected: tuple[int, int] | None = None
    ) -> int:
        """Store `source` under `digest` unless already there; return the bytes copied (0 when deduplicated).

        A file changed since it was hashed must not be stored under the old digest. With `expected` (size,
        mtime_ns) taken before hashing, the file's stat is compared before and after a kernel-side copy
        (sendfile); without it, the copy is hashed as it is written.
        """
        target = self.path_of(digest)
        if target.is_file():
            return 0
        temp = self._new_temp()
        try:
            if expected is not None:
                _require_unchanged(source, expected)
                shutil.copyfile(source, temp)
                _require_unchanged(source, expected)
                self._publish(temp, target)
                return expected[0]
            copied = hashlib.sha256()
            size = 0
            with open(source, "rb", buffering=0) as src, open(temp, "wb", buffering=0) as out:
                buffer = bytearray(BUFFER_SIZE)
                view = memoryview(buffer)
                while count := src.readinto(buffer):
                    copied.update(view[:count])
                    out.write(view[:count])
                    size += count
            if _DIGEST_PREFIX + copied.hexdigest() != digest:
                raise _changed(source)
            self._publish(temp, target)
            return size
        finally:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(temp)

    def put_bytes(self, data: bytes) -> str:
        """Store `data` (a manifest, a small JSON value) and return its digest."""
        digest = hash_bytes(data)
        target = self.path_of(digest)
        if not target.is_file():
            temp = self._new_temp()
            try:
                with open(temp, "wb") as out:
                    out.write(data)
                self._publish(temp, target)
            finally:
                with contextlib.suppress(FileNotFoundError):
                    os.unlink(temp)
        return digest

    def read_bytes(self, digest: str) -> bytes:
        try:
            return self.fetch(digest).read_bytes()
        except FileNotFoundError:
            raise ArtifactError(
                f"object {digest} is missing from {self.where}; the store is damaged"
            ) from None

    @property
    def where(self) -> str:
        """Where the objects live, for messages."""
        return str(self.root)

    def _new_temp(self) -> Path:
        self._temp_dir.mkdir(parents=True, exist_ok=True)
        return self._temp_dir / f".{secrets.token_hex(8)}.tmp"

    def _publish(self, temp: Path, target: Path) -> None:
        # Durable before it is named: a version record never points at bytes a crash could still lose.
        fd = os.open(temp, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
        os.chmod(temp, stat.S_IRUSR | stat.S_IRGRP | stat.S_IROTH)
        target.parent.mkdir(parents=True, exist_ok=True)
        # Two writers of the same content race harmlessly: both files hold identical bytes.
        os.replace(temp, target)


def file_stamp(path: str | os.PathLike[str]) -> tuple[int, int]:
    """(size, mtime_ns): taken before hashing, it tells whether the file changed since."""
    info = os.stat(path)
    return info.st_size, info.st_mtime_ns


def put_files(
    store: ObjectStore, items: list[tuple[str, str, tuple[int, int] | None]], workers: int | None = None
) -> tuple[int, int]:
    """Store (source, digest, stamp) items on a few threads; return (bytes copied, files copied)."""
    workers = workers or min(8, (os.cpu_count() or 1) + 1)
    if len(items) < 2:
        sizes = [store.put_file(*item) for item in items]
    else:
        with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="spyglass-store") as pool:
            sizes = list(pool.map(lambda item: store.put_file(*item), items, chunksize=16))
    return sum(sizes), sum(1 for size in sizes if size)


def _require_unchanged(source: str | os.PathLike[str], expected: tuple[int, int]) -> None:
    if file_stamp(source) != tuple(expected):
        raise _changed(source)


def _changed(source: str | os.PathLike[str]) -> ArtifactError:
    return ArtifactError(
        f"{source} changed after it was added to the artifact (its size, time or sha256 differs now); "
        "add it again or stop writing to it before logging"
    )
