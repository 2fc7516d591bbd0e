"""References: entries recorded by URI and checksum without copying the bytes into the store.

- `file://` — the file (or each file below a directory) is hashed now; `verify()` and `download()` re-read it.
- `s3://`, `gs://`, `http(s)://` — Spyglass never opens the network. The URI is recorded with the digest the
  caller gives (`checksum=` sha256 hex, or an `etag=`), otherwise with no digest; such entries change the
  version only when their URI or given checksum changes, and `verify()` reports them as not checked.
"""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import unquote, urlsplit
from urllib.request import url2pathname

from .artifact_errors import ArtifactError, UnsafePathError
from .manifest import ManifestEntry
from .object_store import hash_files, hex_of
from .safe_paths import check_entry_path

REMOTE_SCHEMES = ("s3", "gs", "http", "https")
LOCAL_SCHEMES = ("file",)


def reference_entries(
    uri: str,
    name: str | None = None,
    *,
    checksum: bool | str | None = True,
    etag: str | None = None,
    size: int | None = None,
    max_objects: int | None = 10_000,
) -> list[ManifestEntry]:
    """The manifest entries for a reference URI (one per file for a `file://` directory).

    `checksum`: a sha256 hex string records that digest for a remote URI; False (as in wandb) skips hashing
    `file://` files (recorded by size only, so verify() cannot check their content).
    """
    max_objects = 10_000 if max_objects is None else max_objects
    if not isinstance(uri, str) or "\0" in uri:
        raise UnsafePathError(f"reference {uri!r} must be a URI string without NUL characters")
    parts = urlsplit(uri)
    scheme = parts.scheme.lower()
    if scheme in LOCAL_SCHEMES:
        return _file_entries(uri, name, max_objects, hashed=checksum is not False)
    if scheme not in REMOTE_SCHEMES:
        raise ArtifactError(
            f"reference {uri!r}: unsupported scheme {scheme or '(none)'!r}; use file://, s3://, gs:// or http(s)://"
        )
    if not parts.netloc:
        raise ArtifactError(f"reference {uri!r} has no bucket or host")
    entry_name = name or _last_segment(parts.path) or parts.netloc
    digest = None
    extra: dict[str, object] = {"checked": False}
    if isinstance(checksum, str):
        digest = "sha256:" + hex_of("sha256:" + checksum.removeprefix("sha256:").lower())
    elif etag is not None:
        digest = f"etag:{etag.strip(chr(34))}"
    if etag is not None:
        extra["etag"] = etag.strip('"')
    return [ManifestEntry(check_entry_path(entry_name), digest, size, ref=uri, extra=extra)]


def local_path_of(uri: str) -> Path:
    parts = urlsplit(uri)
    if parts.netloc not in ("", "localhost"):
        raise ArtifactError(f"reference {uri!r}: file:// URIs on another host are not supported")
    return Path(url2pathname(parts.path))


def _file_entries(uri: str, name: str | None, max_objects: int, *, hashed: bool) -> list[ManifestEntry]:
    local = local_path_of(uri)
    if not local.exists():
        raise ArtifactError(f"reference {uri!r}: {local} does not exist")
    if local.is_file():
        ((digest, size),) = _digests([local], hashed)
        return [ManifestEntry(check_entry_path(name or local.name), digest, size, ref=local.as_uri())]
    files = sorted(p for p in local.rglob("*") if p.is_file())
    if len(files) > max_objects:
        raise ArtifactError(
            f"reference {uri!r} holds more than {max_objects} files; pass max_objects= to allow it"
        )
    digests = _digests(files, hashed)
    prefix = (name.rstrip("/") + "/") if name else ""
    return [
        ManifestEntry(
            check_entry_path(prefix + file.relative_to(local).as_posix()), digest, size, ref=file.as_uri()
        )
        for file, (digest, size) in zip(files, digests, strict=True)
    ]


def _digests(files: list[Path], hashed: bool) -> list[tuple[str | None, int]]:
    if hashed:
        return list(hash_files(files))
    return [(None, os.path.getsize(file)) for file in files]


def _last_segment(path: str) -> str:
    return unquote(path.rstrip("/").rsplit("/", 1)[-1]) if path.strip("/") else ""


def is_local(entry: ManifestEntry) -> bool:
    return entry.ref is not None and urlsplit(entry.ref).scheme.lower() in LOCAL_SCHEMES


def exists_locally(entry: ManifestEntry) -> bool:
    return is_local(entry) and os.path.isfile(local_path_of(entry.ref or ""))
