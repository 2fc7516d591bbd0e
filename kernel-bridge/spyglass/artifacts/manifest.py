"""The manifest of an artifact version: entry path → digest, size (and `ref` for references).

Its digest (sha256 of the canonical JSON) identifies the version's content: logging a collection again with an
equal manifest digest creates no new version.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from .object_store import hash_bytes
from .safe_paths import check_entry_path

MANIFEST_FORMAT = 1


@dataclass(frozen=True)
class ManifestEntry:
    """One file of an artifact. `ref` is set for references (the bytes are not in the store)."""

    path: str
    digest: str | None
    size: int | None
    ref: str | None = None
    extra: Mapping[str, Any] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {"digest": self.digest, "size": self.size}
        if self.ref is not None:
            data["ref"] = self.ref
        if self.extra:
            data["extra"] = dict(self.extra)
        return data

    @classmethod
    def from_json(cls, path: str, data: Mapping[str, Any]) -> ManifestEntry:
        return cls(
            path=check_entry_path(path),
            digest=data.get("digest"),
            size=data.get("size"),
            ref=data.get("ref"),
            extra=data.get("extra") or {},
        )


class Manifest:
    """An ordered (by path) set of entries."""

    def __init__(self, entries: Mapping[str, ManifestEntry] | None = None) -> None:
        self._entries: dict[str, ManifestEntry] = dict(entries or {})

    def add(self, entry: ManifestEntry) -> None:
        self._entries[entry.path] = entry

    def remove(self, path: str) -> None:
        self._entries.pop(check_entry_path(path))

    def get(self, path: str) -> ManifestEntry | None:
        return self._entries.get(check_entry_path(path))

    def __iter__(self) -> Iterator[ManifestEntry]:
        return iter(sorted(self._entries.values(), key=lambda entry: entry.path))

    def __len__(self) -> int:
        return len(self._entries)

    def __contains__(self, path: object) -> bool:
        return path in self._entries

    @property
    def size(self) -> int:
        return sum(entry.size or 0 for entry in self._entries.values())

    def to_bytes(self) -> bytes:
        """Canonical JSON: sorted keys, no spaces, so equal content gives equal bytes and digest."""
        document = {
            "format": MANIFEST_FORMAT,
            "entries": {entry.path: entry.to_json() for entry in self},
        }
        return json.dumps(document, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()

    @property
    def digest(self) -> str:
        return hash_bytes(self.to_bytes())

    @classmethod
    def from_bytes(cls, data: bytes) -> Manifest:
        document = json.loads(data)
        entries = document.get("entries") or {}
        return cls({path: ManifestEntry.from_json(path, value) for path, value in entries.items()})

    def copy(self) -> Manifest:
        return Manifest(self._entries)
