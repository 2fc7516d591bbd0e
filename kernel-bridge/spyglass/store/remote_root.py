"""Which bucket a local root mirrors: the inverse of store_url.local_root, for code that holds only a path.

Sweeps and artifacts receive local paths (a sweep directory from the server, a run's directory, a store root
from `sg.Api()`), yet must coordinate through the bucket. A remote store's local root is
`<cache base>/<endpoint label>/<bucket>/<prefix...>`, so the bucket and prefix are read back from the path
under this process's endpoint; a root anywhere else is a local store. No marker file is needed, and a process
pointed at another endpoint never mistakes that endpoint's root for its own.
"""

from __future__ import annotations

import os
import threading
from pathlib import Path
from typing import TYPE_CHECKING

from ..base.errors import InvalidNameError
from .store_url import StoreUrl, local_root, parse_store_url

if TYPE_CHECKING:
    from .bucket import Bucket

_PROBE_BUCKET = "probe-bucket"  # any valid name: local_root(...).parent is this endpoint's directory
_buckets: dict[tuple[str, str], Bucket] = {}
_lock = threading.Lock()


def remote_url_of(root: str | os.PathLike[str]) -> StoreUrl | None:
    """The s3:// store whose local root is `root`, or None when `root` is a local store."""
    endpoint_dir = local_root(StoreUrl(_PROBE_BUCKET, "", None)).parent
    try:
        parts = Path(os.path.abspath(root)).relative_to(endpoint_dir).parts
    except ValueError:
        return None
    if not parts:
        return None
    try:
        return parse_store_url("s3://" + "/".join(parts))
    except InvalidNameError:
        return None


def bucket_of(root: str | os.PathLike[str]) -> Bucket | None:
    """The Bucket behind `root` (one per root and endpoint in this process), or None for a local store."""
    url = remote_url_of(root)
    if url is None:
        return None
    key = (str(url), str(local_root(url)))
    with _lock:
        bucket = _buckets.get(key)
        if bucket is None:
            from .bucket import Bucket  # boto3 is imported only once a remote store is used

            bucket = _buckets[key] = Bucket.for_url(url)
    return bucket


def store_location(root: str | os.PathLike[str]) -> str:
    """What `init(dir=...)` needs to write into the store of `root`: its s3:// URL, or the path itself."""
    url = remote_url_of(root)
    return str(url) if url is not None else os.fspath(root)
