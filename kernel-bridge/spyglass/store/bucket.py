"""One bucket and prefix on an S3-compatible object store, with the few operations the team store needs.

Coordination between machines uses only conditional writes: `create` (If-None-Match: *) never
overwrites, `replace` (If-Match: <etag>) only replaces the version the caller read. boto3 is imported here and
nowhere else; endpoint, region and credentials come from the standard AWS chain (environment,
AWS_ENDPOINT_URL, profiles). Error messages name the bucket, the endpoint's host and what to do, and
never a credential.
"""

from __future__ import annotations

import os
import tempfile
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from ..base.errors import BucketAccessDenied, BucketError, BucketUnreachable, ObjectMissing, StoreError
from .store_url import StoreUrl

_CONNECT_TIMEOUT_S = 5
_READ_TIMEOUT_S = 30
_MULTIPART_BYTES = 8 * 1024 * 1024
_UPLOAD_THREADS = 8
_DENIED_CODES = frozenset(
    {"AccessDenied", "InvalidAccessKeyId", "SignatureDoesNotMatch", "InvalidToken", "ExpiredToken", "403"}
)
_MISSING_CODES = frozenset({"NoSuchKey", "404", "NotFound"})
_CONFLICT_CODES = frozenset({"PreconditionFailed", "412", "ConditionalRequestConflict", "409"})
_PROBE_KEY = ".spyglass-access-check"

_clients: dict[tuple[str | None, str | None, str | None], object] = {}
_clients_lock = threading.Lock()


@dataclass(frozen=True)
class ObjectInfo:
    """An object's key (relative to the prefix), size, ETag and user metadata (None from a listing)."""

    key: str
    size: int
    etag: str
    metadata: dict[str, str] | None = None


class Bucket:
    """A bucket and key prefix; every key passed in or returned is relative to the prefix."""

    def __init__(self, name: str, prefix: str = "", *, client: object | None = None) -> None:
        self.name = name
        self.prefix = prefix.strip("/")
        self._client = client if client is not None else _shared_client()
        self.endpoint = _endpoint_host(self._client)

    @classmethod
    def for_url(cls, url: StoreUrl) -> Bucket:
        if url.bucket is None:
            raise StoreError(f"{url} is a local store, not an s3:// URL")
        return cls(url.bucket, url.prefix)

    def __repr__(self) -> str:
        return f"Bucket({self.url!r})"

    @property
    def url(self) -> str:
        return f"s3://{self.name}/{self.prefix}" if self.prefix else f"s3://{self.name}"

    # -- reads -----------------------------------------------------------------------------------------------

    def get(self, key: str) -> bytes:
        return self.get_with_etag(key)[0]

    def get_with_etag(self, key: str) -> tuple[bytes, str]:
        answer = self._call("read", key, "get_object", Key=self._full(key))
        return answer["Body"].read(), answer["ETag"]

    def get_with_info(self, key: str) -> tuple[bytes, ObjectInfo]:
        """The object's bytes with its size, ETag and user metadata: one request where get + head take two."""
        answer = self._call("read", key, "get_object", Key=self._full(key))
        data = answer["Body"].read()
        return data, ObjectInfo(key, len(data), answer["ETag"], dict(answer.get("Metadata") or {}))

    def get_range(self, key: str, start: int, end: int) -> bytes:
        """Bytes [start, end) of the object."""
        answer = self._call("read", key, "get_object", Key=self._full(key), Range=f"bytes={start}-{end - 1}")
        return answer["Body"].read()

    def head(self, key: str) -> ObjectInfo | None:
        try:
            answer = self._call("read", key, "head_object", Key=self._full(key))
        except ObjectMissing:
            return None
        return ObjectInfo(key, answer["ContentLength"], answer["ETag"], dict(answer.get("Metadata") or {}))

    def list(self, prefix: str = "", *, start_after: str | None = None) -> Iterator[ObjectInfo]:
        """Every object under `prefix`, in key order, after `start_after` (a relative key) when given."""
        arguments = {"Bucket": self.name, "Prefix": self._full(prefix)}
        if start_after is not None:
            arguments["StartAfter"] = self._full(start_after)
        pages = self._call("list", prefix, "get_paginator", "list_objects_v2").paginate(**arguments)
        for page in self._pages(prefix, pages):
            for item in page.get("Contents", ()):
                yield ObjectInfo(self._relative(item["Key"]), item["Size"], item["ETag"])

    def list_dirs(self, prefix: str = "") -> list[str]:
        """The names of the 'directories' directly under `prefix` (common prefixes with '/')."""
        base = self._full(prefix.rstrip("/") + "/" if prefix else "")
        arguments = {"Bucket": self.name, "Prefix": base, "Delimiter": "/"}
        pages = self._call("list", prefix, "get_paginator", "list_objects_v2").paginate(**arguments)
        names = []
        for page in self._pages(prefix, pages):
            names.extend(item["Prefix"][len(base) :].rstrip("/") for item in page.get("CommonPrefixes", ()))
        return names

    def download_file(self, key: str, path: str | os.PathLike[str]) -> None:
        """Download to `path` through a temporary file, so a failed download never leaves a partial file."""
        target = Path(path)
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, partial = tempfile.mkstemp(prefix=".download-", dir=target.parent)
        os.close(fd)
        try:
            self._call("read", key, "download_file", self.name, self._full(key), partial)
            os.replace(partial, target)
        finally:
            if os.path.exists(partial):
                os.unlink(partial)

    def download_with_etag(self, key: str, path: str | os.PathLike[str]) -> str:
        """Download to `path` with one GET (download_file's transfer manager sends a HEAD first), streamed
        through a temporary file as download_file; the object's ETag."""
        target = Path(path)
        target.parent.mkdir(parents=True, exist_ok=True)
        answer = self._call("read", key, "get_object", Key=self._full(key))
        fd, partial = tempfile.mkstemp(prefix=".download-", dir=target.parent)
        try:
            with os.fdopen(fd, "wb") as out:
                for chunk in answer["Body"].iter_chunks(1 << 20):
                    out.write(chunk)
            os.replace(partial, target)
        finally:
            if os.path.exists(partial):
                os.unlink(partial)
        return answer["ETag"]

    # -- writes ----------------------------------------------------------------------------------------------

    def put(self, key: str, data: bytes, metadata: dict[str, str] | None = None) -> str:
        return self._put(key, data, metadata)

    def create(self, key: str, data: bytes, metadata: dict[str, str] | None = None) -> str | None:
        """Write `key` only if it does not exist: its ETag, or None when another writer created it first."""
        try:
            return self._put(key, data, metadata, IfNoneMatch="*")
        except _Conflict:
            return None

    def replace(self, key: str, data: bytes, etag: str, metadata: dict[str, str] | None = None) -> str | None:
        """Replace `key` only if its ETag is still `etag`: the new ETag, or None if it changed or vanished."""
        try:
            return self._put(key, data, metadata, IfMatch=etag)
        except (_Conflict, ObjectMissing):
            return None

    def _put(self, key: str, data: bytes, metadata: dict[str, str] | None, **condition: str) -> str:
        # One PUT, unconditional or with the If-None-Match / If-Match header of `condition`.
        answer = self._call(
            "write", key, "put_object", Key=self._full(key), Body=data, Metadata=metadata or {}, **condition
        )
        return answer["ETag"]

    def delete(self, key: str) -> None:
        self._call("write", key, "delete_object", Key=self._full(key))

    def upload_file(
        self, key: str, path: str | os.PathLike[str], metadata: dict[str, str] | None = None
    ) -> None:
        """Upload a file, in parallel parts when it is large (multipart above 8 MiB)."""
        from boto3.s3.transfer import TransferConfig

        config = TransferConfig(
            multipart_threshold=_MULTIPART_BYTES,
            multipart_chunksize=_MULTIPART_BYTES,
            max_concurrency=_UPLOAD_THREADS,
        )
        extra = {"Metadata": metadata} if metadata else None
        self._call(
            "write", key, "upload_file", os.fspath(path), self.name, self._full(key), extra, None, config
        )

    def check_access(self, *, write: bool = True) -> None:
        """Fail now, with a clear message, if the bucket cannot be read (and written, when `write`)."""
        for _ in self.list(_PROBE_KEY):
            break
        if write:
            self.put(_PROBE_KEY, b"spyglass checks it may write here\n")

    # -- plumbing --------------------------------------------------------------------------------------------

    def _full(self, key: str) -> str:
        return f"{self.prefix}/{key}" if self.prefix else key

    def _relative(self, key: str) -> str:
        return key[len(self.prefix) + 1 :] if self.prefix else key

    def _pages(self, key: str, pages: Iterator[dict]) -> Iterator[dict]:
        iterator = iter(pages)
        while True:
            try:
                page = self._call("list", key, next, iterator)
            except StopIteration:
                return
            yield page

    def _call(self, action: str, key: str, method: str | object, *args: object, **kwargs: object):
        from boto3.exceptions import S3UploadFailedError
        from botocore.exceptions import (
            BotoCoreError,
            ClientError,
            EndpointConnectionError,
            NoCredentialsError,
        )

        function = getattr(self._client, method) if isinstance(method, str) else method
        if isinstance(method, str) and method.endswith("_object"):
            kwargs.setdefault("Bucket", self.name)
        try:
            return function(*args, **kwargs)
        except StopIteration:
            raise
        except ClientError as error:
            raise self._client_error(action, key, error) from None
        except NoCredentialsError:
            raise BucketAccessDenied(
                f"{self.url} on {self.endpoint}: no credentials found; set AWS_ACCESS_KEY_ID and "
                "AWS_SECRET_ACCESS_KEY, AWS_PROFILE, or ~/.aws/credentials"
            ) from None
        except EndpointConnectionError:
            raise BucketUnreachable(
                f"{self.url}: the endpoint {self.endpoint} did not answer; check AWS_ENDPOINT_URL and that "
                "the object store is running"
            ) from None
        except BotoCoreError as error:
            raise BucketUnreachable(
                f"{self.url} on {self.endpoint}: {type(error).__name__} during {action}"
            ) from None
        except S3UploadFailedError as error:
            # boto3's transfer manager wraps the request's own error; answer as that error would.
            cause = error.__context__
            if isinstance(cause, ClientError):
                raise self._client_error(action, key, cause) from None
            raise BucketError(f"{self.url} on {self.endpoint}: upload of {key!r} failed") from None

    def _client_error(self, action: str, key: str, error: Exception) -> BucketError:
        info = getattr(error, "response", {}).get("Error", {})
        code = str(info.get("Code", ""))
        where = f"{self.url} on {self.endpoint}"
        if code in _CONFLICT_CODES:
            return _Conflict(f"{where}: {key} changed under a conditional write")
        if code in _MISSING_CODES:
            return ObjectMissing(f"{where}: no object {key!r}")
        if code == "NoSuchBucket":
            return BucketError(
                f"{where}: the bucket {self.name!r} does not exist; create it or fix the store URL"
            )
        if code in _DENIED_CODES:
            return BucketAccessDenied(
                f"{where}: {action} access denied ({code}); check the credentials (AWS_PROFILE or "
                "AWS_ACCESS_KEY_ID) and that they may {action} this bucket".replace("{action}", action)
            )
        return BucketError(
            f"{where}: {action} of {key!r} failed ({code or 'no code'}: {info.get('Message', '')})"
        )


class _Conflict(BucketError):
    """A conditional write lost (412/409); `create` and `replace` turn it into None."""


def _shared_client() -> object:
    """One boto3 client per endpoint, region and profile: clients are thread-safe and costly to build."""
    import boto3
    from botocore.config import Config

    endpoint = os.environ.get("AWS_ENDPOINT_URL_S3") or os.environ.get("AWS_ENDPOINT_URL")
    cache_key = (endpoint, os.environ.get("AWS_PROFILE"), os.environ.get("AWS_ACCESS_KEY_ID"))
    with _clients_lock:
        client = _clients.get(cache_key)
        if client is None:
            config = Config(
                connect_timeout=_CONNECT_TIMEOUT_S,
                read_timeout=_READ_TIMEOUT_S,
                retries={"max_attempts": 3, "mode": "standard"},
                max_pool_connections=_UPLOAD_THREADS * 2,
                # Self-hosted servers (SeaweedFS, Ceph) are addressed by path; AWS picks its own style.
                s3={"addressing_style": "path" if endpoint else "auto"},
            )
            client = boto3.session.Session().client("s3", config=config)
            _clients[cache_key] = client
    return client


def _endpoint_host(client: object) -> str:
    url = getattr(getattr(client, "meta", None), "endpoint_url", "") or ""
    return urlsplit(url).netloc.rsplit("@", 1)[-1] or "the default AWS endpoint"
