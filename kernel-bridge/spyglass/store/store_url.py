"""Where a store lives: a local directory, or `s3://bucket/prefix` with a local root that spools and mirrors.

A remote store keeps today's layout twice: in the bucket (the team's source of truth) and in one local root
per store URL, which is the spool of the runs this machine writes and the mirror of the runs written
elsewhere. Every reader and writer works on the local root; the shipper and the mirror move bytes between.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from ..base.errors import InvalidNameError

DEFAULT_STORE_DIR = "spyglass"
CACHE_ENV = "SPYGLASS_CACHE_DIR"
_DEFAULT_CACHE = Path("~/.cache/spyglass/stores")
# S3's bucket naming rules (the common subset every S3-compatible server accepts).
_BUCKET_NAME = re.compile(r"^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$")
_ENDPOINT_ENV = ("AWS_ENDPOINT_URL_S3", "AWS_ENDPOINT_URL")


@dataclass(frozen=True)
class StoreUrl:
    """A parsed store location: `bucket` is None for a local store, whose directory is `local`."""

    bucket: str | None
    prefix: str
    local: Path | None

    @property
    def is_remote(self) -> bool:
        return self.bucket is not None

    def __str__(self) -> str:
        if self.bucket is None:
            return str(self.local)
        return f"s3://{self.bucket}/{self.prefix}" if self.prefix else f"s3://{self.bucket}"


def parse_store_url(dir: str | os.PathLike[str] | None = None) -> StoreUrl:
    """Parse `dir`, else $SPYGLASS_DIR, else ./spyglass; raise InvalidNameError for a malformed s3:// URL."""
    chosen = dir if dir is not None else os.environ.get("SPYGLASS_DIR") or DEFAULT_STORE_DIR
    text = os.fspath(chosen)
    if not text.lower().startswith("s3://"):
        # Absolute now, so a later os.chdir() in the notebook does not move the store.
        return StoreUrl(None, "", Path(os.path.abspath(os.path.expanduser(text))))
    parts = urlsplit(text)
    if parts.username or parts.password or "@" in parts.netloc:
        # Keys in a URL end up in logs and notebook outputs; the AWS credential chain is the only way in.
        raise InvalidNameError(
            "the store URL holds credentials; remove them and use the AWS credential chain "
            "(AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, AWS_PROFILE or ~/.aws/credentials)"
        )
    bucket = parts.netloc
    if not _BUCKET_NAME.match(bucket) or ".." in bucket:
        raise InvalidNameError(
            f"store URL s3://{bucket}: {bucket!r} is not a valid bucket name "
            "(3-63 characters: lowercase letters, digits, '.' and '-')"
        )
    if parts.query or parts.fragment:
        raise InvalidNameError(f"store URL s3://{bucket}/...: '?' and '#' are not allowed in a store URL")
    return StoreUrl(bucket, _clean_prefix(bucket, parts.path), None)


def _clean_prefix(bucket: str, path: str) -> str:
    segments = [segment for segment in path.split("/") if segment]
    for segment in segments:
        if segment in (".", "..") or any(ord(ch) < 0x20 for ch in segment):
            raise InvalidNameError(
                f"store URL s3://{bucket}/{path.strip('/')}: the prefix segment {segment!r} is not allowed"
            )
    return "/".join(segments)


def endpoint_label() -> str:
    """The endpoint's host[:port] as one directory name ('aws' for AWS): two endpoints never share a root."""
    for name in _ENDPOINT_ENV:
        value = os.environ.get(name)
        if value:
            netloc = urlsplit(value).netloc or value
            return re.sub(r"[^A-Za-z0-9.-]", "_", netloc.rsplit("@", 1)[-1])
    return "aws"


def local_root(url: StoreUrl) -> Path:
    """The local directory with `url`'s layout: the store when local, its spool and mirror when remote."""
    if url.local is not None:
        return url.local
    base = Path(os.path.expanduser(os.environ.get(CACHE_ENV) or _DEFAULT_CACHE))
    path = base / endpoint_label() / str(url.bucket)
    for segment in url.prefix.split("/") if url.prefix else ():
        path = path / segment
    return Path(os.path.abspath(path))


def resolve_store_root(dir: str | os.PathLike[str] | None = None) -> Path:
    """The absolute local root of `dir`, else $SPYGLASS_DIR, else ./spyglass (for s3://, its local root)."""
    return local_root(parse_store_url(dir))
