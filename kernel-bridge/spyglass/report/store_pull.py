"""A report over a bucket store (`--store s3://...` or $SPYGLASS_DIR): the runs it shows are pulled first.

The report reads the store's local root like any local store; before it reads a run (or a workspace's
project) it pulls that from the bucket into the mirror. A bucket that cannot be read fails the report with
the bucket's own message rather than leaving its runs out silently.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

from ..base.errors import BucketError, InvalidNameError
from ..store.bucket_mirror import BucketMirror, mirror_for
from ..store.store_url import local_root, parse_store_url
from .errors import ReportError


class StorePull:
    """Pulls what a report reads from the bucket of a bucket store; does nothing for a local store."""

    def __init__(self, mirror: BucketMirror | None = None) -> None:
        self.mirror = mirror

    def run(self, project: str, run_id: str) -> None:
        if self.mirror is not None:
            self._pull(lambda mirror: mirror.sync_run(project, run_id, force=True))

    def project(self, project: str) -> None:
        if self.mirror is not None:
            self._pull(lambda mirror: mirror.sync_project(project, force=True))

    def runs(self, project: str, run_ids: Iterable[str]) -> None:
        if self.mirror is not None:
            self._pull(lambda mirror: mirror.sync_runs(project, list(run_ids), force=True))

    def _pull(self, pull) -> None:  # noqa: ANN001 (a callable of the mirror)
        try:
            pull(self.mirror)
        except InvalidNameError:
            return  # a name no store can hold: the report says the run is missing, as for a local store
        except BucketError as error:
            raise ReportError(f"could not read the runs of the report from the bucket: {error}") from error


def report_store(store: str | os.PathLike[str] | None) -> tuple[Path | None, StorePull]:
    """(the local store root the report reads, its puller) for `store`, else an s3:// $SPYGLASS_DIR."""
    chosen = os.fspath(store) if store is not None else None
    if chosen is None:
        from_env = os.environ.get("SPYGLASS_DIR") or ""
        chosen = from_env if from_env.lower().startswith("s3://") else None
    if chosen is None:
        return None, StorePull()
    url = parse_store_url(chosen)
    if not url.is_remote:
        return Path(chosen), StorePull()
    return local_root(url), StorePull(mirror_for(url))
