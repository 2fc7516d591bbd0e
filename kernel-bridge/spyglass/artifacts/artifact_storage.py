"""Where a store root's artifacts live: in its directory, or in the bucket of an s3:// store.

Everything above (artifact_store, registry, the Artifact class, the read API, lineage) asks here for the
object store, a collection, or the names under a folder, and works the same on both.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
from pathlib import Path
from typing import Any

from ..base.errors import ObjectMissing
from ..store.remote_root import bucket_of
from .collection import Collection, append_line, read_json_lines
from .object_store import ObjectStore


def objects_for(root: str | os.PathLike[str]) -> ObjectStore:
    """The object store of `root`: its `.objects/`, or the bucket's (cached in `.objects/`)."""
    bucket = bucket_of(root)
    if bucket is None:
        return ObjectStore(root)
    from .bucket_objects import BucketObjectStore

    return BucketObjectStore(root, bucket)


def open_collection(root: str | os.PathLike[str], *parts: str) -> Collection:
    """The collection at `root/parts...` (parts are checked names: project, '.artifacts', artifact name)."""
    path = Path(root).joinpath(*parts)
    bucket = bucket_of(root)
    if bucket is None:
        return Collection(path)
    from .bucket_collection import BucketCollection

    return BucketCollection(path, bucket, "/".join(parts))


def folder_names(root: str | os.PathLike[str], *parts: str) -> list[str]:
    """The sorted names of the folders in `root/parts...`, hidden ones left out."""
    bucket = bucket_of(root)
    if bucket is not None:
        return sorted(name for name in bucket.list_dirs("/".join(parts)) if not name.startswith("."))
    try:
        entries = Path(root).joinpath(*parts).iterdir()
        return sorted(entry.name for entry in entries if entry.is_dir() and not entry.name.startswith("."))
    except FileNotFoundError:
        return []


def add_record(
    root: str | os.PathLike[str], parts: tuple[str, ...], name: str, record: dict[str, Any]
) -> None:
    """Add `record` to the append-only set `name` in `root/parts...` (JSON Lines, or one object each)."""
    bucket = bucket_of(root)
    if bucket is None:
        folder = Path(root).joinpath(*parts)
        folder.mkdir(parents=True, exist_ok=True)
        append_line(folder / f"{name}.jsonl", record)
        return
    identity = hashlib.sha256(json.dumps(record, sort_keys=True).encode()).hexdigest()[:32]
    bucket.create("/".join((*parts, name, f"{identity}.json")), json.dumps(record).encode())


def records(root: str | os.PathLike[str], parts: tuple[str, ...], name: str) -> list[dict[str, Any]]:
    """The records of the set `name` in `root/parts...`, oldest first."""
    bucket = bucket_of(root)
    if bucket is None:
        return read_json_lines(Path(root).joinpath(*parts) / f"{name}.jsonl")
    from .bucket_collection import read_records

    with contextlib.suppress(ObjectMissing):
        return sorted(
            read_records(bucket, "/".join((*parts, name))), key=lambda record: record.get("at") or 0
        )
    return []
