"""A collection (an artifact's or a registry's) kept in a bucket, moved only by conditional writes.

    collection.json   kind, name, type, created_at (created once, If-None-Match)
    versions/v<N>.json one record per version, created with If-None-Match, never rewritten
    head.json          {"digests": {hex: N}, "moves": [alias moves], "protected": [aliases]}: replaced
                       with If-Match on the ETag it was read with, so a version number, an alias move or a
                       protection is decided against the state it was computed from, whatever other
                       machines do meanwhile
    usage/<id>.json    one record per (version, run) that used it, created once

A version is visible once head.json names it: its record is written first (the number is taken by the
exclusive create), then head.json is replaced. A writer finding the number taken by a record of the same
content shares it; one that loses head.json to the same content under another number deletes its unnamed
record. Readers need one GET of head.json for every alias and the version list; records never change, so each
is read once per process.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..base.errors import BucketError, ObjectMissing
from .artifact_errors import ArtifactNotFoundError
from .collection import (
    COLLECTION_FILE,
    USAGE_LOG,
    VERSIONS_DIR,
    Collection,
    alias_move,
    check_movable,
    current_aliases,
    dump_json,
)
from .object_store import hex_of
from .safe_paths import check_alias

if TYPE_CHECKING:
    from ..store.bucket import Bucket

HEAD_FILE = "head.json"
USAGE_DIR = USAGE_LOG.removesuffix(".jsonl")
_EMPTY_HEAD: dict[str, Any] = {"format": 1, "digests": {}, "moves": [], "protected": []}
_records: dict[tuple[str, str], dict[str, Any]] = {}  # (bucket url, key) → an immutable record
_records_lock = threading.Lock()


class BucketCollection(Collection):
    """Collection over `bucket` at `key` (path is the matching local directory, for names in messages)."""

    def __init__(self, path: str | Path, bucket: Bucket, key: str) -> None:
        super().__init__(path)
        self.bucket = bucket
        self.key = key

    @property
    def exists(self) -> bool:
        return self.bucket.head(self._key(COLLECTION_FILE)) is not None

    def ensure(self, info: dict[str, Any]) -> dict[str, Any]:
        document = {"format": 1, "created_at": time.time(), **info}
        document.pop("protected_aliases", None)  # they live in head.json, moved with If-Match
        self.bucket.create(self._key(COLLECTION_FILE), dump_json(document))  # None: it exists, keep it
        self.bucket.create(self._key(HEAD_FILE), dump_json(_EMPTY_HEAD))
        return self.info()

    def info(self) -> dict[str, Any]:
        try:
            info = json.loads(self.bucket.get(self._key(COLLECTION_FILE)))
        except ObjectMissing:
            raise ArtifactNotFoundError(f"no collection {self.key} in {self.bucket.url}") from None
        return {**info, "protected_aliases": self._head()[0]["protected"]}

    @contextlib.contextmanager
    def locked(self) -> Iterator[None]:
        yield  # every change is a conditional write: nothing to lock

    # versions

    def version_numbers(self) -> list[int]:
        return _numbers(self._head()[0])

    def read_version(self, number: int) -> dict[str, Any]:
        key = self._key(f"{VERSIONS_DIR}/v{number}.json")
        cached = _records.get((self.bucket.url, key))
        if cached is not None:
            return cached
        numbers = self.version_numbers()
        if number not in numbers:  # an unnamed record (a lost race, a crash) is not a version
            raise ArtifactNotFoundError(
                f"{self.path.name} has no version v{number}; its versions are "
                f"{', '.join(f'v{n}' for n in numbers) or '(none)'}"
            )
        return _remember(self.bucket.url, key, json.loads(self.bucket.get(key)))

    def version_by_digest(self, digest: str) -> int | None:
        return self._head()[0]["digests"].get(hex_of(digest))

    def add_version(self, digest: str, record: dict[str, Any]) -> tuple[int, bool]:
        hex_digest = hex_of(digest)
        mine: int | None = None
        own = (
            False  # whether the record at `mine` is this writer's (else it is shared with a writer in flight)
        )
        while True:
            head, etag = self._head()
            existing = head["digests"].get(hex_digest)
            if existing is not None:
                if (
                    own and mine != existing
                ):  # another machine named this content first: our record names nothing
                    with contextlib.suppress(BucketError):  # left behind, it is skipped like a crash's
                        self.bucket.delete(self._version_key(mine))
                return existing, False
            if mine is None:
                mine, own = self._take_number(max(_numbers(head), default=-1) + 1, record, digest)
            changed = {**head, "digests": {**head["digests"], hex_digest: mine}}
            if self._replace_head(changed, etag):
                return mine, True

    def _take_number(self, number: int, record: dict[str, Any], digest: str) -> tuple[int, bool]:
        """The first free number from `number` with our record created there, (number, True); or the number of
        a writer in flight with the same content, (number, False), so equal content never takes two."""
        while True:
            if (
                self.bucket.create(self._version_key(number), self._version(record, number, digest))
                is not None
            ):
                return number, True
            try:
                other = json.loads(self.bucket.get(self._version_key(number))).get("digest")
            except ObjectMissing:
                continue  # its writer deleted it a moment ago: the number is free again
            if other == digest:
                return number, False
            number += 1  # another version in flight (or left by a crash)

    # aliases

    def alias_history(self) -> list[dict[str, Any]]:
        return list(self._head()[0]["moves"])

    def aliases(self) -> dict[str, int]:
        head = self._head()[0]
        return current_aliases(head["moves"], _numbers(head))

    def set_alias(
        self, alias: str, number: int | None, *, by: str | None = None, force: bool = False
    ) -> bool:
        check_movable(alias)
        while True:
            head, etag = self._head()
            numbers = _numbers(head)
            previous = current_aliases(head["moves"], numbers).get(alias)
            move = alias_move(self.path.name, alias, number, previous, head["protected"], by, force)
            if move is None:
                return False
            if number is not None and number not in numbers:
                self.read_version(number)  # raises the clear "no version" error
            if self._replace_head({**head, "moves": [*head["moves"], move]}, etag):
                return True

    def protected_aliases(self) -> list[str]:
        return list(self._head()[0]["protected"])

    def protect_alias(self, alias: str, protected: bool = True) -> None:
        check_alias(alias)
        while True:
            head, etag = self._head()
            names = set(head["protected"])
            names = names | {alias} if protected else names - {alias}
            if self._replace_head({**head, "protected": sorted(names)}, etag):
                return

    # usage

    def record_use(self, record: dict[str, Any]) -> None:
        identity = f"{record.get('version')}\0{record.get('project')}\0{record.get('run_id')}"
        name = hashlib.sha256(identity.encode()).hexdigest()[:32]
        self.bucket.create(
            self._key(f"{USAGE_DIR}/{name}.json"), dump_json(record)
        )  # once per (version, run)

    def uses(self) -> list[dict[str, Any]]:
        return sorted(read_records(self.bucket, self._key(USAGE_DIR)), key=lambda use: use.get("at") or 0)

    # plumbing

    def _key(self, name: str) -> str:
        return f"{self.key}/{name}"

    def _version_key(self, number: int) -> str:
        return self._key(f"{VERSIONS_DIR}/v{number}.json")

    def _version(self, record: dict[str, Any], number: int, digest: str) -> bytes:
        return dump_json({**record, "version": number, "digest": digest})

    def _head(self) -> tuple[dict[str, Any], str | None]:
        """head.json and its ETag (None: no head yet, a collection made before its first version)."""
        try:
            data, etag = self.bucket.get_with_etag(self._key(HEAD_FILE))
        except ObjectMissing:
            return dict(_EMPTY_HEAD), None
        return {**_EMPTY_HEAD, **json.loads(data)}, etag

    def _replace_head(self, head: dict[str, Any], etag: str | None) -> bool:
        """Write `head` if head.json is still the one read with `etag`; False when another writer changed
        it."""
        key = self._key(HEAD_FILE)
        if etag is None:
            return self.bucket.create(key, dump_json(head)) is not None
        return self.bucket.replace(key, dump_json(head), etag) is not None


def read_records(bucket: Bucket, prefix: str) -> list[dict[str, Any]]:
    """Every JSON record created once under `prefix`/ (each read once per process: records never change)."""
    found = []
    for info in bucket.list(prefix + "/"):
        cached = _records.get((bucket.url, info.key))
        if cached is None:
            with contextlib.suppress(ObjectMissing, ValueError):
                cached = _remember(bucket.url, info.key, json.loads(bucket.get(info.key)))
        if isinstance(cached, dict):
            found.append(cached)
    return found


def _remember(url: str, key: str, record: dict[str, Any]) -> dict[str, Any]:
    with _records_lock:
        _records[(url, key)] = record
    return record


def _numbers(head: dict[str, Any]) -> list[int]:
    return sorted(int(number) for number in head["digests"].values())
