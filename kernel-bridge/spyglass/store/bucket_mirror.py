"""BucketMirror: pulls a bucket store into its local root, so every reader keeps reading local files.

For a project it reads the project index (runs.parquet + pending records, project_index.py) and pulls the
run.json and history of its running runs (their heartbeat matters); the server lists the runs table from the
index rows it returns, and the other readers get stand-in run.json files for the rest (index_stand_ins.py).
For a run it runs the steps of run_pull.py: run.json when it changed, the new segments of each stream, and
history.parquet once the run has ended (a first chart takes its
overview.arrow alone). Run directories this machine writes (the spool marker) are never
touched. Calls are rate-limited per run and per project, so readers may call them before every read.
"""

from __future__ import annotations

import copy
import logging
import os
import threading
import time
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from ..base.errors import BucketAccessDenied, BucketError, InvalidNameError, ObjectMissing
from .bucket import Bucket
from .index_stand_ins import ENDED_STATES, StandIns
from .mirror_state import load_state, save_state
from .project_index import ProjectIndex, compact, read_index
from .run_pull import RunPull, pull_overview, pull_parquet, pull_run_json, pull_stream
from .run_store import OVERVIEW_FILE, PARQUET_FILE, is_valid_name, validate_name
from .segment_shipper import RUN_FILE_DIRS
from .spool import has_marker  # a run directory this machine writes: never mirrored
from .store_url import StoreUrl, local_root

logger = logging.getLogger("spyglass.mirror")

RUN_INTERVAL_S = 0.5  # a watched run is pulled at most this often (the page tails every 250 ms)
PROJECT_INTERVAL_S = 1.0
ENDED_INTERVAL_S = 30.0  # an ended run with its Parquet pulled changes only through run.update()
_WORKERS = 16
_lock = threading.Lock()
_mirrors: dict[tuple[str, str], BucketMirror] = {}


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
        self._indexes: dict[str, ProjectIndex] = {}  # the last index read of each project
        # Runs whose last pull found them ended with their Parquet here (sync_run's `ended_too`).
        self._ended: set[tuple[str, str]] = set()
        self._guard = threading.Lock()
        self.stand_ins = StandIns(self.root, self._run_lock)
        self._pool = ThreadPoolExecutor(max_workers=_WORKERS, thread_name_prefix="spyglass-mirror")

    # -- projects -------------------------------------------------------------------------------------------

    def sync_projects(self) -> list[str]:
        """The bucket's project names (each gets its local directory), at most once per PROJECT_INTERVAL_S."""
        if self._recent(("",), PROJECT_INTERVAL_S):
            return _local_dirs(self.root)
        names = []
        for name in self.bucket.list_dirs(""):
            if _valid("project", name):
                (self.root / name).mkdir(parents=True, exist_ok=True)
                names.append(name)
        return sorted(names)

    def sync_project(self, project: str, force: bool = False) -> ProjectIndex | None:
        """sync_index, then a stand-in run.json for each ended run not fetched (index_stand_ins.py), for the
        readers that list run directories (sg.Api(), the CLI, reports)."""
        index = self.sync_index(project, force=force)
        if index is not None and index.exists:
            self.stand_ins.write(project, index, lambda run_id: _valid("run id", run_id))
        return index

    def sync_index(self, project: str, force: bool = False) -> ProjectIndex | None:
        """Pull the project's index and the run.json and history of its running runs; the index read.

        Rate-limited: within PROJECT_INTERVAL_S of the last read it returns that read again (None when there
        was none). A project without an index is listed by its run prefixes instead (runs written before the
        index existed): their run.json are fetched, and the index returned says `exists` False.
        """
        validate_name("project", project)
        if not force and self._recent((project,), PROJECT_INTERVAL_S):
            return self.last_index(project)
        index = self._read_or_compact(project)
        project_dir = self.root / project
        project_dir.mkdir(parents=True, exist_ok=True)
        if not index.exists:
            run_ids = [name for name in self.bucket.list_dirs(project) if _valid("run id", name)]
            self._each(lambda run_id: self.sync_run(project, run_id, streams=(), parquet=False), run_ids)
        else:
            running = [
                run_id
                for run_id, row in index.rows.items()
                if row.get("state") not in ENDED_STATES
                and _valid("run id", run_id)
                and not has_marker(project_dir / run_id)
            ]  # their heartbeat is in run.json, their metric names in their log
            self._each(
                lambda run_id: self.sync_run(project, run_id, streams=("history",), parquet=False), running
            )
            changed = self._ended_since_fetched(project, index)
            self._each(lambda run_id: self.sync_run(project, run_id, streams=(), parquet=False), changed)
        with self._guard:
            self._indexes[project] = index
        return index

    def last_index(self, project: str) -> ProjectIndex | None:
        """The project's index as last read here (what a reader serves while the bucket does not answer)."""
        with self._guard:
            return self._indexes.get(project)

    def _ended_since_fetched(self, project: str, index: ProjectIndex) -> list[str]:
        # Only runs with a directory here can hold a fetched run.json: one scandir, not a stat per index row.
        changed = []
        for run_id in _local_dirs(self.root / project):
            row = index.rows.get(run_id)
            if row is None or row.get("state") not in ENDED_STATES:
                continue
            state = load_state(self.root / project / run_id)
            if state.run_json_etag is not None and (row.get("updated_at") or 0.0) > (state.indexed_at or 0.0):
                changed.append(run_id)
        return changed

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
        ended_too: bool = True,
        overview: bool = False,
    ) -> RunPull:
        """Pull one run: run.json if it changed, history.parquet once it ended, the new segments of `streams`
        (not when `logs_if_parquet` is False and the Parquet is here: readers of ended runs read that).
        Without `ended_too`, a run last pulled ended with its Parquet is not asked again (a zoom window: an
        ended run changes through run.update() or a resume, which the project index tells sync_index).
        With `overview` (a first chart), an ended run whose Parquet is not here gets its overview.arrow
        instead (one GET of ~100 KB, not the history), and neither its Parquet nor its segments; one without
        an overview in the bucket gets its Parquet as before."""
        validate_name("project", project)
        validate_name("run id", run_id)
        pull = RunPull()
        if not ended_too and not force:
            with self._guard:
                if (project, run_id) in self._ended:
                    pull.skipped = True
                    return pull
        run_dir = self.root / project / run_id
        if has_marker(run_dir):
            pull.skipped = True
            return pull
        streams = tuple(streams)
        with self._run_lock(project, run_id):
            state = load_state(run_dir)
            before = copy.deepcopy(state)
            limit = ENDED_INTERVAL_S if state.parquet_etag or state.overview_etag else self.run_interval
            if not force and self._recent((project, run_id, *streams, str(parquet), str(overview)), limit):
                pull.skipped = True
                return pull
            meta_state = pull_run_json(self.bucket, project, run_id, run_dir, state, pull)
            ended_run = parquet and meta_state in ENDED_STATES
            key = f"{project}/{run_id}/"
            overview_only = False
            parquet_here = state.parquet_etag is not None or (run_dir / PARQUET_FILE).is_file()
            if ended_run and overview and not parquet_here:
                if state.overview_checked != state.run_json_etag:
                    pull_overview(self.bucket, key + OVERVIEW_FILE, run_dir, state, pull)
                overview_only = state.overview_etag is not None
            if ended_run and not overview_only and state.parquet_checked != state.run_json_etag:
                pull_parquet(self.bucket, key + PARQUET_FILE, run_dir, state, pull)
            if not overview_only and (logs_if_parquet or not (run_dir / PARQUET_FILE).is_file()):
                for stream in streams:
                    pull_stream(self.bucket, project, run_id, run_dir, stream, state, pull)
            if state != before and run_dir.is_dir():
                save_state(run_dir, state)
            # Ended, with the Parquet checked against the run.json held (a resumed run's new Parquet is not).
            ended = meta_state in ENDED_STATES and state.parquet_etag is not None
            ended = ended and state.parquet_checked == state.run_json_etag
        with self._guard:
            (self._ended.add if ended else self._ended.discard)((project, run_id))
        return pull

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
    if is_valid_name(kind, name):
        return True
    logger.warning("spyglass: %r in the bucket is not a valid %s; it is not mirrored", name, kind)
    return False


def _hidden_or_odd(part: str) -> bool:
    return not part or part.startswith(".") or "\\" in part or "\0" in part


def _local_dirs(directory: Path) -> list[str]:
    try:
        return sorted(e.name for e in os.scandir(directory) if e.is_dir() and not e.name.startswith("."))
    except FileNotFoundError:
        return []


__all__ = ["BucketMirror", "RunPull", "mirror_for"]
