"""The content-addressed objects of an s3:// store: `.objects/sha256/<2 hex>/<62 hex>` in the bucket, shared
by every project and machine, with the local root's `.objects/` as this machine's checked cache.

Logging copies a file into the local cache first (checked against its digest, as for a local store), then
uploads that read-only copy, so a file changed during the upload can never be stored under the old digest.
An object the bucket holds already is not uploaded again (a HEAD per object, in parallel); large ones go up in
parallel multipart parts. Reading downloads an object into the cache and checks its sha256 before it is named
there: damaged bytes are refused, never used.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING

from ..base.errors import ObjectMissing
from .artifact_errors import VerificationError
from .object_store import ALGORITHM, OBJECTS_DIR, ObjectStore, hash_file, hex_of

if TYPE_CHECKING:
    from ..store.bucket import Bucket

# Below this size one conditional PUT (If-None-Match) stores an object; above it, a parallel multipart upload.
SINGLE_PUT_BYTES = 8 * 1024 * 1024
NETWORK_THREADS = 16  # HEADs and downloads wait on the network, not on the CPU


class BucketObjectStore(ObjectStore):
    """Objects in `bucket`, cached under the local root's `.objects/` (path_of names the cached copy)."""

    def __init__(self, store_root: str | os.PathLike[str], bucket: Bucket) -> None:
        super().__init__(store_root)
        self.bucket = bucket
        self._in_bucket: set[str] = set()  # digests known to be in the bucket (objects are never deleted)

    @property
    def where(self) -> str:
        return f"{self.bucket.url} (endpoint {self.bucket.endpoint})"

    def key_of(self, digest: str) -> str:
        hex_digest = hex_of(digest)
        return f"{OBJECTS_DIR}/{ALGORITHM}/{hex_digest[:2]}/{hex_digest[2:]}"

    def has(self, digest: str) -> bool:
        if digest not in self._in_bucket and self.bucket.head(self.key_of(digest)) is not None:
            self._in_bucket.add(digest)
        return digest in self._in_bucket

    def missing(self, digests: Iterable[str]) -> set[str]:
        unknown = [digest for digest in set(digests) if digest not in self._in_bucket]
        return {
            digest
            for digest, held in zip(unknown, self._parallel(self.has, unknown), strict=True)
            if not held
        }

    def put_file(
        self, source: str | os.PathLike[str], digest: str, expected: tuple[int, int] | None = None
    ) -> int:
        """Cache `source` under `digest` (checked), then upload it; return the bytes uploaded (0: the bucket
        had it)."""
        super().put_file(source, digest, expected)
        return self._upload(digest)

    def put_bytes(self, data: bytes) -> str:
        digest = super().put_bytes(data)
        self._upload(digest)
        return digest

    def fetch(self, digest: str) -> Path:
        """The cached copy of the object, downloaded and checked first if needed; a path that does not exist
        when the bucket lacks the object (callers report it as missing)."""
        cached = self.path_of(digest)
        if cached.is_file():
            return cached
        temp = self._new_temp()
        try:
            try:
                self.bucket.download_file(self.key_of(digest), temp)
            except ObjectMissing:
                return cached
            actual, _ = hash_file(temp)
            if actual != digest:
                problem = f"object {digest} in {self.where} holds bytes with {actual}"
                raise VerificationError(
                    f"{problem}; the bucket's copy is damaged: log the artifact again from its files",
                    [problem],
                )
            self._publish(temp, cached)
        finally:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(temp)
        return cached

    def fetch_many(self, digests: Iterable[str]) -> None:
        wanted = [digest for digest in set(digests) if not self.path_of(digest).is_file()]
        self._parallel(self.fetch, wanted)

    def _upload(self, digest: str) -> int:
        if digest in self._in_bucket:
            return 0
        key, cached = self.key_of(digest), self.path_of(digest)
        size = cached.stat().st_size
        metadata = {"sha256": hex_of(digest)}
        if size < SINGLE_PUT_BYTES:
            uploaded = size if self.bucket.create(key, cached.read_bytes(), metadata) is not None else 0
        elif self.bucket.head(key) is None:
            # Two machines uploading the same large object at once store identical bytes under one key.
            self.bucket.upload_file(key, cached, metadata)
            uploaded = size
        else:
            uploaded = 0
        self._in_bucket.add(digest)
        return uploaded

    def _parallel(self, function, items: list[str]) -> list:
        if len(items) < 2:
            return [function(item) for item in items]
        with ThreadPoolExecutor(max_workers=NETWORK_THREADS, thread_name_prefix="spyglass-objects") as pool:
            return list(pool.map(function, items))
