"""A run written to an `s3://` store: the bucket checks at init, the lease, the spool and its shipper.

init() connects (a bucket that cannot be reached or written fails init with a clear error, never a thread's
traceback), claims the run's lease (a second live writer gets RunLeaseError), and, to resume a run that this
machine does not hold, pulls it from the bucket first. The Run writes its local directory exactly as for a
local store; start() then ships it in the background, the flusher's writes pass the spool gate, and finish()
ships the rest, history.parquet and the final run.json, folds the project index and gives the lease up.
docs/team.md, "Writers".
"""

from __future__ import annotations

import contextlib
import json
import uuid
import warnings
from pathlib import Path

from ..base.errors import BucketError, StoreError
from ..base.user_warnings import user_stacklevel
from ..store.bucket import Bucket
from ..store.bucket_mirror import mirror_for
from ..store.mirror_state import StreamState, load_state, save_state
from ..store.project_index import compact, put_pending
from ..store.run_lease import RunLease
from ..store.run_store import METADATA_FILE, PARQUET_FILE
from ..store.segment_format import END_KEY, STREAMS, run_prefix, segments_prefix, whole_frames
from ..store.segment_shipper import FINISH_SECONDS, SegmentShipper, ShippingWarning
from ..store.spool import SpoolGate, SpoolMarker, has_marker
from ..store.store_url import StoreUrl, local_root


class RunShipping:
    """Everything a Run written to a bucket has beyond a local run (tracked_run.Run's `shipping`)."""

    def __init__(
        self, url: StoreUrl, bucket: Bucket, project: str, *, interval: float, limit_mb: float
    ) -> None:
        self.url = url
        self.bucket = bucket
        self.project = project
        self.interval = interval
        self.writer = uuid.uuid4().hex
        self.lease: RunLease | None = None
        self.shipper: SegmentShipper | None = None
        self.gate = SpoolGate(limit_mb, self._unshipped, str(url))

    @classmethod
    def connect(cls, url: StoreUrl, project: str, *, interval: float, limit_mb: float) -> RunShipping:
        """Open the bucket and check that this process may write it (BucketError subclasses say why not)."""
        bucket = Bucket.for_url(url)
        bucket.check_access(write=True)
        return cls(url, bucket, project, interval=interval, limit_mb=limit_mb)

    def claim(self, run_id: str) -> None:
        """Take the run's lease (RunLeaseError if another live writer holds it) and, when this machine does
        not hold the run but the bucket does, pull it so that resume sees it as a local run would be seen."""
        self.lease = RunLease(
            self.bucket, self.project, run_id, writer=self.writer, interval=self.interval, store=str(self.url)
        ).acquire()
        run_dir = local_root(self.url) / self.project / run_id
        if not has_marker(run_dir) and self.bucket.head(f"{run_prefix(self.project, run_id)}{METADATA_FILE}"):
            mirror_for(self.url).sync_run(self.project, run_id, parquet=False, force=True)

    def start(self, run_dir: Path, run_id: str, *, background: bool = True) -> None:
        """The Run created its directory and wrote run.json: mark it as this machine's spool and ship it (on
        the shipper's thread; `spyglass sync` ships on its own thread, through finish())."""
        assert self.lease is not None, "claim() the run before start()"
        previous = SpoolMarker.load(run_dir)
        if previous is not None and previous.store == str(self.url):
            shipped = dict(previous.shipped)  # a killed writer's spool: ship what it left
        else:
            shipped = self._shipped_in_bucket(run_id)
        marker = SpoolMarker(self.writer, str(self.url), shipped=shipped)
        marker.save(run_dir)
        self.shipper = SegmentShipper(
            self.bucket,
            self.lease,
            marker,
            run_dir,
            project=self.project,
            run_id=run_id,
            interval=self.interval,
            on_state=self._index_state,
        )
        if background:
            self.shipper.start()

    def admit(self, path: Path, nbytes: int) -> None:
        """The flusher's gate: refuses a write past the spool limit (spool.SpoolGate)."""
        self.gate(path, nbytes)

    def finish(self, *, parquet: bool, seconds: float = FINISH_SECONDS) -> bool:
        """Ship the rest and give the run up; False (with a warning) when it stays in the spool for sync."""
        shipper = self.shipper
        if shipper is None:
            self.abandon()
            return False
        if not shipper.finish(parquet=parquet, seconds=seconds):
            return False
        try:
            hand_to_mirror(shipper, self.bucket, self.project, shipper.run_id)
            compact(self.bucket, self.project)
        except (BucketError, StoreError) as error:  # readers compact too; the pending record is in the bucket
            warnings.warn(
                f"project '{self.project}' in {self.url}: the runs index was not compacted ({error}); "
                "readers fold the run's record in at their next read.",
                ShippingWarning,
                stacklevel=user_stacklevel(),
            )
        return True

    def abandon(self) -> None:
        """init() failed after the claim: give the lease back (best effort)."""
        if self.lease is not None:
            with contextlib.suppress(BucketError):  # else it goes stale and is taken over
                self.lease.release()

    def _unshipped(self) -> int:
        return self.shipper.unshipped_bytes() if self.shipper is not None else 0

    def _index_state(self, run_json: bytes) -> None:
        put_pending(self.bucket, self.project, json.loads(run_json))

    def _shipped_in_bucket(self, run_id: str) -> dict[str, int]:
        """Where each stream's last segment in the bucket ends: a run resumed here continues from there."""
        shipped: dict[str, int] = {}
        for stream in STREAMS:
            last = None
            for info in self.bucket.list(segments_prefix(self.project, run_id, stream)):
                last = info
            if last is not None:
                head = self.bucket.head(last.key)
                metadata = (
                    {name.lower(): value for name, value in (head.metadata or {}).items()} if head else {}
                )
                shipped[stream] = int(metadata.get(END_KEY, "0") or 0)
        return shipped


def hand_to_mirror(shipper: SegmentShipper, bucket: Bucket, project: str, run_id: str) -> None:
    """The run is finished and shipped: record what the bucket holds as the mirror's state of the directory,
    so the mirror continues from there (a later resume elsewhere) instead of pulling the run again."""
    run_dir = shipper.run_dir
    state = load_state(run_dir)
    for stream, end in shipper.marker.shipped.items():
        with open(run_dir / STREAMS[stream], "rb") as file:
            span = whole_frames(file.fileno(), 0, end, end)
        state.streams[stream] = StreamState(shipper.last_keys.get(stream), end, span.next_seq or 0)
    state.run_json_etag = shipper.run_json_etag
    parquet = bucket.head(f"{run_prefix(project, run_id)}{PARQUET_FILE}")
    state.parquet_etag = parquet.etag if parquet is not None else None
    state.parquet_checked = state.run_json_etag
    save_state(run_dir, state)
