"""`spyglass sync`: ship the spools that writers on this machine left unshipped (killed, or the bucket down
until they exited), each under the run's lease, then give the run up as finish() would; trace sessions left
the same way ship their rest too (traces/trace_shipping.py; the outcome's run_id is `.traces/<session id>`).

A run whose writer still lives on this machine is left to it. A run that was live when its writer died is
recorded as "crashed" in run.json before it ships, so the project index shows what readers would derive from
its stale heartbeat. docs/team.md, "Writers".
"""

from __future__ import annotations

import json
import socket
import time
from dataclasses import dataclass
from pathlib import Path

from ..base.atomic_file import write_atomic
from ..base.errors import BucketError, RunLeaseError
from ..store.bucket import Bucket
from ..store.run_state import CRASHED, process_alive
from ..store.run_store import METADATA_FILE
from ..store.spool import SpoolMarker, find_spooled_runs
from ..store.store_url import StoreUrl, local_root
from ..traces.trace_shipping import STREAM, TraceShipper, find_spooled_sessions
from .run_lifecycle import LIVE_STATES
from .run_shipping import RunShipping
from .settings import Settings

SYNC_SECONDS = 30.0  # how long one run's shipping keeps retrying before sync reports it as not shipped


@dataclass(frozen=True)
class SyncOutcome:
    """What `spyglass sync` did with one spooled run: "shipped", "skipped" or "failed", and why."""

    project: str
    run_id: str
    status: str
    detail: str


def sync_spools(
    url: StoreUrl, settings: Settings | None = None, seconds: float = SYNC_SECONDS
) -> list[SyncOutcome]:
    """Ship every spooled run under `url`'s local root; BucketError when the bucket cannot be written."""
    settings = settings or Settings()
    run_dirs = find_spooled_runs(local_root(url))
    sessions = find_spooled_sessions(local_root(url))
    if not run_dirs and not sessions:
        return []
    bucket = RunShipping.connect(url, "", interval=settings.segment_interval, limit_mb=1).bucket
    outcomes = [_sync_session(bucket, url, path, settings.segment_interval, seconds) for path in sessions]
    for run_dir in run_dirs:
        project, run_id = run_dir.parent.name, run_dir.name
        shipping = RunShipping(
            url, bucket, project, interval=settings.segment_interval, limit_mb=settings.spool_limit_mb
        )
        outcomes.append(_sync_one(shipping, run_dir, project, run_id, seconds))
    return outcomes


def _live_writer(marker: SpoolMarker | None) -> str | None:
    # Why a spool is left alone: its writer still lives on this machine (None when it may ship).
    if marker is not None and marker.host == socket.gethostname() and process_alive(marker.pid):
        return f"still being written by process {marker.pid}"
    return None


def _sync_session(bucket: Bucket, url: StoreUrl, path: Path, interval: float, seconds: float) -> SyncOutcome:
    # A trace session whose process died before it shipped everything (trace_shipping.py): the rest ships.
    project, session_id = path.parent.parent.name, f"{path.parent.name}/{path.name}"  # ".traces/<id>"
    writer = _live_writer(SpoolMarker.load(path))
    if writer is not None:
        return SyncOutcome(project, session_id, "skipped", writer)
    shipper = TraceShipper(bucket, str(url), path, interval, background=False)
    before = shipper.marker.shipped.get(STREAM, 0)
    if not shipper.finish(seconds):
        return SyncOutcome(
            project, session_id, "failed", "the bucket did not take it all; the spool keeps it"
        )
    return SyncOutcome(
        project, session_id, "shipped", f"{shipper.marker.shipped.get(STREAM, 0) - before} bytes of calls"
    )


def _sync_one(shipping: RunShipping, run_dir: Path, project: str, run_id: str, seconds: float) -> SyncOutcome:
    marker = SpoolMarker.load(run_dir)
    writer = _live_writer(marker)
    if writer is not None:
        return SyncOutcome(project, run_id, "skipped", writer)
    try:
        shipping.claim(run_id)
        _mark_crashed(run_dir)
        before = dict(marker.shipped) if marker is not None else {}
        shipping.start(run_dir, run_id, background=False)
        if not shipping.finish(parquet=True, seconds=seconds):
            return SyncOutcome(
                project, run_id, "failed", "the bucket did not take it all; the spool keeps it"
            )
    except RunLeaseError as error:
        return SyncOutcome(project, run_id, "skipped", str(error))
    except BucketError as error:
        shipping.abandon()
        return SyncOutcome(project, run_id, "failed", str(error))
    shipped = shipping.shipper.marker.shipped if shipping.shipper is not None else {}
    sent = sum(end - before.get(stream, 0) for stream, end in shipped.items())
    return SyncOutcome(project, run_id, "shipped", f"{sent} bytes of frames")


def _mark_crashed(run_dir: Path) -> None:
    # The writer is gone without marking its run: say so, as readers would from the stale heartbeat.
    path = run_dir / METADATA_FILE
    try:
        meta = json.loads(path.read_bytes())
    except (OSError, ValueError):
        return
    if isinstance(meta, dict) and meta.get("state") in LIVE_STATES:
        meta.update(state=CRASHED, updated_at=time.time())
        write_atomic(path, (json.dumps(meta, indent=2, ensure_ascii=False) + "\n").encode("utf-8"))
