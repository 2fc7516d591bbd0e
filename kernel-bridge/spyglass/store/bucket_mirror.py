"""BucketMirror: pulls a bucket store into its local root, so every reader keeps reading local files.

For a project it reads the project index (runs.parquet + pending records, project_index.py) and writes each
run's run.json: fetched for runs that are running (their heartbeat matters), a stand-in built from the index
row for the others until the run is opened. For a run it fetches run.json when it changed, appends the new
segments of each stream (LIST after the last key; each checked by segment_check.py before it is appended) and
downloads history.parquet once the run has ended. Run directories this machine writes (the spool marker) are
never touched. Calls are rate-limited per run and per project, so readers may call them before every read.
"""

from __future__ import annotations

import copy
import json
import logging
import os
import threading
import time
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..base.errors import BucketAccessDenied, BucketError, InvalidNameError, ObjectMissing
from .bucket import Bucket, ObjectInfo
from .mirror_state import (
    MirrorState,
    adopt_log,
    load_state,
    local_size,
    replace_file,
    save_state,
    truncate_log,
)
from .project_index import ProjectIndex, compact, read_index, record_metadata
from .run_store import LOG_FILE, METADATA_FILE, PARQUET_FILE, SYSTEM_LOG_FILE, validate_name
from .segment_check import BadSegment, CheckedSegment, check_segment, segment_offset
from .segment_shipper import RUN_FILE_DIRS
from .spool import has_marker  # a run directory this machine writes: never mirrored
from .store_url import StoreUrl, local_root

logger = logging.getLogger("spyglass.mirror")

SPOOL_MARKER = (
    ".spool.json"  # a run directory this machine writes (the shipper's); the mirror leaves it alone
)
STREAM_FILES = {"history": LOG_FILE, "system": SYSTEM_LOG_FILE}
RUN_INTERVAL_S = 0.5  # a watched run is pulled at most this often (the page tails every 250 ms)
PROJECT_INTERVAL_S = 1.0
ENDED_INTERVAL_S = 30.0  # an ended run with its Parquet pulled changes only through run.update()
_WORKERS = 16
WRITTEN_ROWS_FILE = ".mirror-index.json"  # in a project directory: the index rows written as run.json
_ENDED = frozenset({"finished", "failed", "crashed", "killed"})
_lock = threading.Lock()
_mirrors: dict[tuple[str, str], BucketMirror] = {}


@dataclass
class RunPull:
    """What one pull of a run did (for tests and logs)."""

    run_json: bool = False
    segments: int = 0
    parquet: bool = False
    bad: list[str] = field(default_factory=list)
    skipped: bool = False  # rate-limited, or a run this machine writes


def mirror_for(url: StoreUrl) -> BucketMirror:
    """The process's one mirror of `url` (shared by the server's handlers, the read API and reports)."""
    root = local_root(url)
    key = (str(url), str(root))
    with _lock:
        mirror = _mirrors.get(key)
        if mirror is None:
            mirror = _mirrors[key] = BucketMirror(url)
    return mirror


class BucketMirror:
    """Pulls `url`'s bucket into local_root(url)."""

    def __init__(
        self, url: StoreUrl, bucket: Bucket | None = None, run_interval: float = RUN_INTERVAL_S
    ) -> None:
        self.url = url
        self.root = local_root(url)
        self.bucket = bucket if bucket is not None else Bucket.for_url(url)
        self.run_interval = run_interval
        self.may_compact = True  # off after the bucket refused a write (a read-only viewer)
        self._locks: dict[tuple[str, str], threading.Lock] = {}
        self._pulled_at: dict[tuple[str, ...], float] = {}
        self._written: dict[str, dict[str, float]] = {}
        self._guard = threading.Lock()
        self._pool = ThreadPoolExecutor(max_workers=_WORKERS, thread_name_prefix="spyglass-mirror")

    # -- projects -------------------------------------------------------------------------------------------

    def sync_projects(self) -> list[str]:
        """The bucket's project names (each gets its local directory), at most once per PROJECT_INTERVAL_S."""
        if self._recent(("",), PROJECT_INTERVAL_S):
            return _local_projects(self.root)
        names = []
        for name in self.bucket.list_dirs(""):
            if _valid("project", name):
                (self.root / name).mkdir(parents=True, exist_ok=True)
                names.append(name)
        return sorted(names)

    def sync_project(self, project: str, force: bool = False) -> ProjectIndex | None:
        """Pull the project's index and write its runs' run.json (real for running runs, else stand-ins).

        Returns the index read, or None when rate-limited. A project without an index is listed by its run
        prefixes instead (runs written before the index existed).
        """
        validate_name("project", project)
        if not force and self._recent((project,), PROJECT_INTERVAL_S):
            return None
        index = self._read_or_compact(project)
        project_dir = self.root / project
        project_dir.mkdir(parents=True, exist_ok=True)
        if not index.exists:
            run_ids = [name for name in self.bucket.list_dirs(project) if _valid("run id", name)]
            self._each(lambda run_id: self.sync_run(project, run_id, streams=(), parquet=False), run_ids)
            return index
        running: list[str] = []
        changed: list[str] = []
        # Rows already written as they are now are skipped without touching the disk (10,000 runs listed
        # again cost one dict lookup each); the record survives restarts in <project>/.mirror-index.json.
        written = self._written_rows(project)
        before = dict(written)
        for run_id, row in index.rows.items():
            updated = row.get("updated_at") or 0.0
            if row.get("state") not in _ENDED:
                if _valid("run id", run_id) and not has_marker(project_dir / run_id):
                    running.append(run_id)  # its heartbeat is in run.json, its metric names in its log
                continue
            if written.get(run_id) == updated or not _valid("run id", run_id):
                continue
            written[run_id] = updated
            if has_marker(project_dir / run_id):
                continue
            state = load_state(project_dir / run_id)
            if state.run_json_etag is not None:
                if updated > (state.indexed_at or 0.0):
                    changed.append(run_id)  # ended since its run.json was fetched
            else:
                self._write_stand_in(project_dir / run_id, row, project)
        if written != before:
            replace_file(project_dir / WRITTEN_ROWS_FILE, json.dumps(written).encode("utf-8"))
        self._each(
            lambda run_id: self.sync_run(project, run_id, streams=("history",), parquet=False), running
        )
        self._each(lambda run_id: self.sync_run(project, run_id, streams=(), parquet=False), changed)
        return index

    def _read_or_compact(self, project: str) -> ProjectIndex:
        index = read_index(self.bucket, project)
        if index.pending and self.may_compact:
            try:
                return compact(self.bucket, project)
            except BucketAccessDenied:
                self.may_compact = False  # a viewer's credentials: the writers compact at finish
            except BucketError as error:
                logger.warning("spyglass: the index of %s/%s was not compacted: %s", self.url, project, error)
        return index

    def _write_stand_in(self, run_dir: Path, row: dict[str, Any], project: str) -> None:
        with self._run_lock(project, run_dir.name):
            if load_state(run_dir).run_json_etag is not None:
                return  # checked again under the lock: a pull fetched the real run.json meanwhile
            run_dir.mkdir(parents=True, exist_ok=True)
            replace_file(run_dir / METADATA_FILE, _json_bytes(record_metadata(row, project)))

    def _written_rows(self, project: str) -> dict[str, float]:
        """Per run, the index row's updated_at last written here (kept in memory, loaded once per project)."""
        with self._guard:
            rows = self._written.get(project)
            if rows is None:
                try:
                    loaded = json.loads((self.root / project / WRITTEN_ROWS_FILE).read_bytes())
                except (OSError, ValueError):
                    loaded = {}
                rows = self._written[project] = loaded if isinstance(loaded, dict) else {}
        return rows

    # -- runs -----------------------------------------------------------------------------------------------

    def sync_runs(self, project: str, run_ids: Iterable[str], **options: Any) -> list[RunPull]:
        """sync_run for each run, in parallel."""
        return self._each(lambda run_id: self.sync_run(project, run_id, **options), list(run_ids))

    def sync_run(
        self,
        project: str,
        run_id: str,
        streams: Iterable[str] = ("history", "system"),
        parquet: bool = True,
        logs_if_parquet: bool = True,
        force: bool = False,
    ) -> RunPull:
        """Pull one run: run.json if it changed, history.parquet once it ended, the new segments of `streams`
        (not when `logs_if_parquet` is False and the Parquet is here: readers of ended runs read that)."""
        validate_name("project", project)
        validate_name("run id", run_id)
        run_dir = self.root / project / run_id
        pull = RunPull()
        if has_marker(run_dir):
            pull.skipped = True
            return pull
        streams = tuple(streams)
        with self._run_lock(project, run_id):
            state = load_state(run_dir)
            before = copy.deepcopy(state)
            limit = ENDED_INTERVAL_S if state.parquet_etag else self.run_interval
            if not force and self._recent((project, run_id, *streams, str(parquet)), limit):
                pull.skipped = True
                return pull
            meta_state = self._pull_run_json(project, run_id, run_dir, state, pull)
            if parquet and meta_state in _ENDED and state.parquet_checked != state.run_json_etag:
                self._pull_parquet(f"{project}/{run_id}/{PARQUET_FILE}", run_dir, state, pull)
            if logs_if_parquet or not (run_dir / PARQUET_FILE).is_file():
                for stream in streams:
                    self._pull_stream(project, run_id, run_dir, stream, state, pull)
            if state != before and run_dir.is_dir():
                save_state(run_dir, state)
        return pull

    def _pull_run_json(
        self, project: str, run_id: str, run_dir: Path, state: MirrorState, pull: RunPull
    ) -> Any:
        try:
            data, etag = self.bucket.get_with_etag(f"{project}/{run_id}/{METADATA_FILE}")
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

    def _pull_stream(
        self, project: str, run_id: str, run_dir: Path, stream: str, state: MirrorState, pull: RunPull
    ) -> None:
        progress = state.stream(stream)
        path = run_dir / STREAM_FILES[stream]
        if progress.last_key is None and progress.end == 0:
            adopt_log(path, progress)  # a run this machine wrote and shipped (its spool marker is gone)
        elif local_size(path) != progress.end:  # a pull cut short after appending: drop the unrecorded part
            truncate_log(path, progress.end)
        prefix = f"{project}/{run_id}/segments/{stream}/"
        for info in self.bucket.list(prefix, start_after=progress.last_key):
            start = segment_offset(info.key)
            if start is None:
                continue
            if start + info.size <= progress.end:
                progress.last_key = info.key  # held already (an adopted spool)
                continue
            if start > progress.end or f"{info.key} {info.etag}" in state.bad_segments:
                return  # a gap (the segment before it is missing or was refused): wait, do not skip rows
            if start < progress.end:  # an adopted spool ends inside this segment: take the segment's bytes
                truncate_log(path, start)
                adopt_log(path, progress)
            try:
                checked = self._fetch_segment(info, start, progress.next_seq)
            except BadSegment as error:
                state.bad_segments[f"{info.key} {info.etag}"] = str(error)
                pull.bad.append(str(error))
                logger.warning("spyglass: %s: %s", self.url, error)
                return
            run_dir.mkdir(parents=True, exist_ok=True)
            with open(path, "ab") as file:
                file.write(checked.data)
            progress.last_key, progress.next_seq = info.key, checked.next_seq
            progress.end = start + len(checked.data)
            pull.segments += 1

    def _fetch_segment(self, info: ObjectInfo, start: int, next_seq: int) -> CheckedSegment:
        try:
            data, got = self.bucket.get_with_info(info.key)  # bytes and metadata in one request
        except ObjectMissing:
            raise BadSegment(f"segment {info.key}: listed but gone") from None
        return check_segment(data, start, next_seq, got.metadata, info.key)

    def _pull_parquet(self, key: str, run_dir: Path, state: MirrorState, pull: RunPull) -> None:
        head = self.bucket.head(key)
        state.parquet_checked = state.run_json_etag
        if head is None or head.etag == state.parquet_etag:
            return
        if state.parquet_etag is None and local_size(run_dir / PARQUET_FILE) == head.size > 0:
            state.parquet_etag = head.etag  # written here before the run's spool marker was removed
            return
        self.bucket.download_file(key, run_dir / PARQUET_FILE)
        state.parquet_etag = head.etag
        pull.parquet = True

    def pull_file(self, project: str, run_id: str, relative: str) -> bool:
        """Download a run's file (`media/...`, `files/...`, `code/...`) when it is not here yet (media are
        never rewritten); False when there is nothing to pull (here already, a spool, not in the bucket)."""
        validate_name("project", project)
        validate_name("run id", run_id)
        parts = relative.split("/")
        if len(parts) < 2 or parts[0] not in RUN_FILE_DIRS or any(_hidden_or_odd(part) for part in parts):
            raise InvalidNameError(f"{relative!r} is not a path to a run's media, files or code")
        run_dir = self.root / project / run_id
        target = run_dir.joinpath(*parts)
        if has_marker(run_dir) or target.exists():
            return False
        try:
            self.bucket.download_file(f"{project}/{run_id}/{relative}", target)
        except ObjectMissing:
            return False
        return True

    # -- plumbing -------------------------------------------------------------------------------------------

    def _each(self, work: Any, items: list[str]) -> list[Any]:
        if len(items) <= 1:
            return [work(item) for item in items]
        return list(self._pool.map(work, items))

    def _run_lock(self, project: str, run_id: str) -> threading.Lock:
        with self._guard:
            return self._locks.setdefault((project, run_id), threading.Lock())

    def _recent(self, key: tuple[str, ...], interval: float) -> bool:
        now = time.monotonic()
        with self._guard:
            last = self._pulled_at.get(key)
            if last is not None and now - last < interval:
                return True
            self._pulled_at[key] = now
        return False


def _valid(kind: str, name: str) -> bool:
    # A hostile or foreign key in the bucket is not mirrored (it could not be a local directory name).
    try:
        validate_name(kind, name)
    except InvalidNameError:
        logger.warning("spyglass: %r in the bucket is not a valid %s; it is not mirrored", name, kind)
        return False
    return True


def _hidden_or_odd(part: str) -> bool:
    return not part or part.startswith(".") or "\\" in part or "\0" in part


def _local_projects(root: Path) -> list[str]:
    try:
        return sorted(e.name for e in os.scandir(root) if e.is_dir() and not e.name.startswith("."))
    except FileNotFoundError:
        return []


def _parse_meta(data: bytes) -> dict[str, Any]:
    try:
        value = json.loads(data)
    except (UnicodeDecodeError, json.JSONDecodeError):
        return {}
    return value if isinstance(value, dict) else {}


def _json_bytes(value: dict[str, Any]) -> bytes:
    # Compact: json's C encoder (indent= falls back to the pure-Python one, 5x slower on 10,000 stand-ins).
    return (json.dumps(value, ensure_ascii=False, allow_nan=False) + "\n").encode("utf-8")


__all__ = ["BucketMirror", "RunPull", "mirror_for"]
