"""A collection of numbered versions with aliases: an artifact's (`<project>/.artifacts/<name>/`) or a
registry collection's (`.registry/<registry>/<collection>/`).

    collection.json        kind, name, type, created_at, protected_aliases
    versions/v<N>.json     one record per version, never rewritten
    by_digest/<hex>        content digest → version number (so equal content is not versioned twice)
    aliases.jsonl          append-only alias log: each line moves (or removes) one alias
    usage.jsonl            (artifacts) one line per run that used a version

Version numbers are allocated by hard-linking a complete temporary record to `versions/v<N>.json`, which fails
if the name exists, so two processes never get the same number. A lock file serialises the digest check, the
allocation and alias moves within a collection where the platform has `fcntl`.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import secrets
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from ..base.atomic_file import write_atomic
from .artifact_errors import ArtifactError, ArtifactNotFoundError, ProtectedAliasError
from .object_store import hex_of
from .safe_paths import LATEST, check_alias

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows: allocation stays safe by link(); alias moves are last-wins
    fcntl = None  # type: ignore[assignment]

COLLECTION_FILE = "collection.json"
VERSIONS_DIR = "versions"
DIGESTS_DIR = "by_digest"
ALIAS_LOG = "aliases.jsonl"
USAGE_LOG = "usage.jsonl"
_LOCK_FILE = ".lock"
_VERSION_FILE = re.compile(r"^v(\d+)\.json$")
_LINES_CACHE: dict[str, tuple[tuple[int, int], list[dict[str, Any]]]] = {}
_CACHE_LIMIT = 10_000


class Collection:
    """Versions and aliases in one directory."""

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = Path(path)

    @property
    def exists(self) -> bool:
        return (self.path / COLLECTION_FILE).is_file()

    def ensure(self, info: dict[str, Any]) -> dict[str, Any]:
        """Create the collection with `info` if absent; return its stored info."""
        (self.path / VERSIONS_DIR).mkdir(parents=True, exist_ok=True)
        (self.path / DIGESTS_DIR).mkdir(exist_ok=True)
        info_path = self.path / COLLECTION_FILE
        if not info_path.is_file():
            with self.locked():
                if not info_path.is_file():
                    document = {"format": 1, "created_at": time.time(), "protected_aliases": [], **info}
                    write_atomic(info_path, dump_json(document))
        return self.info()

    def info(self) -> dict[str, Any]:
        try:
            return json.loads((self.path / COLLECTION_FILE).read_bytes())
        except FileNotFoundError:
            raise ArtifactNotFoundError(f"no collection at {self.path}") from None

    @contextlib.contextmanager
    def locked(self) -> Iterator[None]:
        if fcntl is None:
            yield
            return
        self.path.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path / _LOCK_FILE, os.O_RDWR | os.O_CREAT, 0o666)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            yield
        finally:
            os.close(fd)  # closing releases the lock

    # versions

    def version_numbers(self) -> list[int]:
        try:
            names = os.listdir(self.path / VERSIONS_DIR)
        except FileNotFoundError:
            return []
        return sorted(int(match.group(1)) for name in names if (match := _VERSION_FILE.match(name)))

    def read_version(self, number: int) -> dict[str, Any]:
        try:
            return json.loads((self.path / VERSIONS_DIR / f"v{number}.json").read_bytes())
        except FileNotFoundError:
            raise ArtifactNotFoundError(
                f"{self.path.name} has no version v{number}; its versions are "
                f"{', '.join(f'v{n}' for n in self.version_numbers()) or '(none)'}"
            ) from None

    def version_by_digest(self, digest: str) -> int | None:
        try:
            return int((self.path / DIGESTS_DIR / hex_of(digest)).read_text())
        except (FileNotFoundError, ValueError):
            return None

    def add_version(self, digest: str, record: dict[str, Any]) -> tuple[int, bool]:
        """Store `record` as the next version unless `digest` has one; return (number, created)."""
        with self.locked():
            existing = self.version_by_digest(digest)
            if existing is not None:
                return existing, False
            numbers = self.version_numbers()
            number = numbers[-1] + 1 if numbers else 0
            versions = self.path / VERSIONS_DIR
            temp = versions / f".{secrets.token_hex(8)}.tmp"
            try:
                while True:
                    document = {**record, "version": number, "digest": digest}
                    temp.write_bytes(dump_json(document))
                    try:
                        os.link(temp, versions / f"v{number}.json")  # fails if another process took `number`
                        break
                    except FileExistsError:
                        number += 1
            finally:
                with contextlib.suppress(FileNotFoundError):
                    os.unlink(temp)
            write_atomic(self.path / DIGESTS_DIR / hex_of(digest), str(number).encode())
            return number, True

    def resolve(self, version_or_alias: str) -> int:
        """The version number named by "v3", "latest" or a custom alias."""
        match = re.fullmatch(r"v(\d+)", version_or_alias)
        if match:
            number = int(match.group(1))
            self.read_version(number)  # raises a clear error for an absent version
            return number
        aliases = self.aliases()
        if version_or_alias in aliases:
            return aliases[version_or_alias]
        raise ArtifactNotFoundError(
            f"{self.path.name} has no alias {version_or_alias!r}; its aliases are "
            f"{', '.join(sorted(aliases)) or '(none)'}"
        )

    # aliases

    def alias_history(self) -> list[dict[str, Any]]:
        """Every alias move in order: {"alias", "version", "previous", "at", "by", "forced"}."""
        return read_json_lines(self.path / ALIAS_LOG)

    def aliases(self) -> dict[str, int]:
        """alias → version number, with `latest` on the highest version."""
        return current_aliases(self.alias_history(), self.version_numbers())

    def aliases_by_version(self) -> dict[int, list[str]]:
        by_version: dict[int, list[str]] = {}
        for alias, number in sorted(self.aliases().items()):
            by_version.setdefault(number, []).append(alias)
        return by_version

    def set_alias(
        self, alias: str, number: int | None, *, by: str | None = None, force: bool = False
    ) -> bool:
        """Point `alias` at version `number` (None removes it), appending the move to the log.

        A protected alias that already points elsewhere moves only with force=True. Returns False when the
        alias already pointed there (nothing is logged).
        """
        check_movable(alias)
        with self.locked():
            previous = self.aliases().get(alias)
            move = alias_move(self.path.name, alias, number, previous, self.protected_aliases(), by, force)
            if move is None:
                return False
            if number is not None:
                self.read_version(number)
            append_line(self.path / ALIAS_LOG, move)
            return True

    def protected_aliases(self) -> list[str]:
        try:
            return list(self.info().get("protected_aliases") or [])
        except ArtifactNotFoundError:
            return []

    def protect_alias(self, alias: str, protected: bool = True) -> None:
        check_alias(alias)
        with self.locked():
            info = self.info()
            names = set(info.get("protected_aliases") or [])
            names = names | {alias} if protected else names - {alias}
            write_atomic(self.path / COLLECTION_FILE, dump_json({**info, "protected_aliases": sorted(names)}))

    # usage

    def record_use(self, record: dict[str, Any]) -> None:
        append_line(self.path / USAGE_LOG, record)

    def uses(self) -> list[dict[str, Any]]:
        return read_json_lines(self.path / USAGE_LOG)


def current_aliases(moves: list[dict[str, Any]], numbers: list[int]) -> dict[str, int]:
    """alias → version after replaying `moves` in order, with `latest` on the highest of `numbers`."""
    current: dict[str, int] = {}
    for move in moves:
        if move.get("version") is None:
            current.pop(move["alias"], None)
        else:
            current[move["alias"]] = int(move["version"])
    if numbers:
        current[LATEST] = max(numbers)
    return current


def check_movable(alias: str) -> None:
    """Refuse an alias that is malformed or is `latest` (which always names the newest version)."""
    check_alias(alias)
    if alias == LATEST:
        raise ArtifactError("'latest' always names the newest version; it cannot be moved by hand")


def alias_move(
    collection: str,
    alias: str,
    number: int | None,
    previous: int | None,
    protected: list[str],
    by: str | None,
    force: bool,
) -> dict[str, Any] | None:
    """The move record of `alias` from `previous` to `number`; None when it already points there.

    ProtectedAliasError when a protected alias would move without force.
    """
    if previous == number:
        return None
    if previous is not None and alias in protected and not force:
        raise ProtectedAliasError(
            f"alias {alias!r} of {collection} is protected and points to v{previous}; "
            f"pass force=True to move it to {'nothing' if number is None else f'v{number}'}"
        )
    move = {"alias": alias, "version": number, "previous": previous, "at": time.time(), "by": by}
    if force:
        move["forced"] = True
    return move


def read_json_lines(path: Path) -> list[dict[str, Any]]:
    """The records of an append-only JSON Lines file (cached while its size and mtime stay the same)."""
    try:
        info = os.stat(path)
    except FileNotFoundError:
        return []
    key = str(path)
    cached = _LINES_CACHE.get(key)
    if cached is not None and cached[0] == (info.st_size, info.st_mtime_ns):
        return list(cached[1])
    text = Path(path).read_text(encoding="utf-8")
    try:  # one parse for the whole file is ~10x faster than one per line (usage logs reach 10^4 lines)
        records = json.loads("[" + ",".join(line for line in text.splitlines() if line.strip()) + "]")
    except json.JSONDecodeError:
        records = []
        for line in text.splitlines():
            with contextlib.suppress(json.JSONDecodeError):  # a torn last line from a crash is skipped
                records.append(json.loads(line))
    if len(_LINES_CACHE) > _CACHE_LIMIT:
        _LINES_CACHE.clear()
    _LINES_CACHE[key] = ((info.st_size, info.st_mtime_ns), records)
    return list(records)


def append_line(path: Path, record: dict[str, Any]) -> None:
    """Append one JSON line with a single write on an O_APPEND descriptor, then fsync."""
    line = json.dumps(record, ensure_ascii=False, separators=(",", ":")).encode() + b"\n"
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o666)
    try:
        os.write(fd, line)
        os.fsync(fd)
    finally:
        os.close(fd)


def dump_json(document: dict[str, Any]) -> bytes:
    """A collection file's bytes: indented JSON, UTF-8, newline-terminated."""
    return (json.dumps(document, indent=1, ensure_ascii=False) + "\n").encode()
