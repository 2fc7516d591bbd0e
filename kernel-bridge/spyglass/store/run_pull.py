"""The steps of pulling one run of a bucket store into its local directory (bucket_mirror.py runs them).

run.json when its ETag changed; the new segments of a stream (LIST after the last key held, each checked by
segment_check.py before its bytes are appended, a gap waited for rather than skipped); history.parquet once
the run ended (or, for a first chart, its overview.arrow alone); a media, files or code object on first
request. What was pulled is kept in the run's mirror state (mirror_state.py), so the next pull asks only for
what is new.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..base.errors import ObjectMissing
from .bucket import Bucket
from .log_shipping import pull_log
from .mirror_state import MirrorState, local_size, replace_file
from .run_store import METADATA_FILE, OVERVIEW_FILE, PARQUET_FILE
from .segment_format import STREAMS, segments_prefix

logger = logging.getLogger("spyglass.mirror")


@dataclass
class RunPull:
    """What one pull of a run did (for tests and logs)."""

    run_json: bool = False
    segments: int = 0
    parquet: bool = False
    overview: bool = False
    bad: list[str] = field(default_factory=list)
    skipped: bool = False  # rate-limited, or a run this machine writes


def pull_run_json(
    bucket: Bucket, project: str, run_id: str, run_dir: Path, state: MirrorState, pull: RunPull
) -> Any:
    """Fetch run.json when it changed; the run's state as it says (None when there is no run.json yet)."""
    try:
        data, etag = bucket.get_with_etag(f"{project}/{run_id}/{METADATA_FILE}")
    except ObjectMissing:
        return None  # not written yet (or only in the index): keep what is here
    meta = _parse_meta(data)
    if etag != state.run_json_etag:
        run_dir.mkdir(parents=True, exist_ok=True)
        replace_file(run_dir / METADATA_FILE, data)
        state.run_json_etag = etag
        state.indexed_at = meta.get("updated_at")
        pull.run_json = True
    return meta.get("state")


def pull_stream(
    bucket: Bucket, project: str, run_id: str, run_dir: Path, stream: str, state: MirrorState, pull: RunPull
) -> None:
    """Append the stream's segments past the last one held to its framed log, each checked first."""
    prefix = segments_prefix(project, run_id, stream)
    appended, bad = pull_log(bucket, prefix, run_dir / STREAMS[stream], state.stream(stream), state)
    pull.segments += appended
    pull.bad.extend(bad)


def pull_parquet(bucket: Bucket, key: str, run_dir: Path, state: MirrorState, pull: RunPull) -> None:
    """Download an ended run's history.parquet when its ETag is not the one held."""
    state.parquet_checked = state.run_json_etag
    if state.parquet_etag is None and not (run_dir / PARQUET_FILE).exists():
        # A first pull (a chart's 100 runs): one GET, no HEAD before it.
        try:
            state.parquet_etag = bucket.download_with_etag(key, run_dir / PARQUET_FILE)
        except ObjectMissing:
            return
        pull.parquet = True
        return
    head = bucket.head(key)
    if head is None or head.etag == state.parquet_etag:
        return
    if state.parquet_etag is None and local_size(run_dir / PARQUET_FILE) == head.size > 0:
        state.parquet_etag = head.etag  # written here before the run's spool marker was removed
        return
    bucket.download_file(key, run_dir / PARQUET_FILE)
    state.parquet_etag = head.etag
    pull.parquet = True


def pull_overview(bucket: Bucket, key: str, run_dir: Path, state: MirrorState, pull: RunPull) -> None:
    """Download an ended run's overview.arrow (one GET) for a first chart, instead of its history.parquet;
    once per run.json ETag. A run without one in the bucket (older, or too wide to get one) leaves
    overview_etag None, and its history is pulled instead."""
    state.overview_checked = state.run_json_etag
    state.overview_etag = None
    try:
        state.overview_etag = bucket.download_with_etag(key, run_dir / OVERVIEW_FILE)
    except ObjectMissing:
        (run_dir / OVERVIEW_FILE).unlink(missing_ok=True)  # none describes this history: read the rows
        return
    pull.overview = True


def _parse_meta(data: bytes) -> dict[str, Any]:
    try:
        value = json.loads(data)
    except (UnicodeDecodeError, json.JSONDecodeError):
        return {}
    return value if isinstance(value, dict) else {}


__all__ = ["RunPull", "pull_overview", "pull_parquet", "pull_run_json", "pull_stream"]
