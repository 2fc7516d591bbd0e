"""The server reads a bucket store on the page's behalf: each handler pulls what it is about to read.

With `SPYGLASS_DIR=s3://bucket/prefix` the server serves the store's local root (store_url.local_root) like
any local store; before a handler reads it, the handler asks the mirror here to pull what that read needs: the
project list, a project's index, one run (its run.json and the stream being tailed), or the runs of a chart.
The page only ever sees local paths; credentials stay in this process. A bucket that cannot be reached does
not fail the read: the handler serves what the mirror already holds and the failure is logged (once a minute).
"""

from __future__ import annotations

import asyncio
import logging
import os
import time
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from ..base.errors import BucketError, InvalidNameError
from ..base.path_confinement import Roots
from ..store.bucket_mirror import BucketMirror, mirror_for
from ..store.mirror_state import overview_from_bucket
from ..store.run_store import RunDirectory, is_valid_name
from ..store.store_url import parse_store_url
from ..traces.trace_shipping import pull_trace_sessions
from ..workspace_data.index import list_runs
from ..workspace_data.indexed_runs import dumps, list_indexed_runs
from ..workspace_data.overview_file import open_overview

logger = logging.getLogger("spyglass.server")
_WARN_EVERY_S = 60.0
_warned_at: dict[str, float] = {}


def store_mirror(store_dir: str | None) -> BucketMirror | None:
    """The mirror of $SPYGLASS_DIR when it is an s3:// URL (None for a local store)."""
    if not store_dir or not store_dir.lower().startswith("s3://"):
        return None
    return mirror_for(parse_store_url(store_dir))


def _covering(settings: dict[str, Any], path: Path) -> tuple[BucketMirror, tuple[str, ...]] | None:
    # The mirror whose local root holds `path`, and the path's parts below that root.
    mirror: BucketMirror | None = settings.get("mirror")
    if mirror is None:
        return None
    try:
        parts = Path(os.path.realpath(path)).relative_to(os.path.realpath(mirror.root)).parts
    except ValueError:
        return None
    return mirror, parts


async def pull_projects(settings: dict[str, Any], store_root: Path) -> None:
    """Before listing a store's projects: the bucket's project names."""
    covered = _covering(settings, store_root)
    if covered is not None and not covered[1]:
        await _quietly(covered[0], covered[0].sync_projects)


async def list_project_runs(
    settings: dict[str, Any], store_root: Path, project: str, roots: Roots | None = None
) -> str:
    """The /runs answer: a bucket project's from its index rows (one GET of runs.parquet and one LIST of the
    pending records, plus the run.json and new rows of its running runs; no request or file per ended run);
    a local store's, or a bucket project without an index, from its run directories. As JSON text."""
    covered = _covering(settings, store_root)
    if covered is not None and not covered[1]:
        mirror = covered[0]
        index = await _quietly(mirror, mirror.sync_index, project) or mirror.last_index(project)
        if index is not None and index.exists:
            return await asyncio.to_thread(list_indexed_runs, store_root, project, index.rows, roots=roots)
    return dumps(await asyncio.to_thread(list_runs, store_root, project, roots=roots))


async def pull_runs(
    settings: dict[str, Any],
    store_root: Path,
    project: str,
    run_ids: Iterable[str] | None,
    ended_too: bool = True,
    overview_of: str | None = None,
) -> None:
    """Before reading a metric across runs: each run's new rows (history.parquet alone for an ended run);
    without `ended_too`, not the runs last pulled ended with their Parquet (BucketMirror.sync_run). With
    `overview_of` (a metric's first chart, answered from the stored overviews), an ended run's overview.arrow
    instead of its history; the history after all for a run whose overview does not answer for the metric."""
    covered = _covering(settings, store_root)
    if covered is None or covered[1]:
        return
    mirror = covered[0]
    if run_ids is None:  # every run of the project: those of its index, and any held here
        index = await _quietly(mirror, mirror.sync_index, project)
        try:
            held = {
                e.name for e in os.scandir(store_root / project) if e.is_dir() and not e.name.startswith(".")
            }
        except FileNotFoundError:
            held = set()
        run_ids = sorted(held | set(index.rows if index is not None else ()))
    options = {"streams": ("history",), "logs_if_parquet": False, "ended_too": ended_too}
    run_ids = list(run_ids)
    if overview_of is not None:
        await _quietly(mirror, mirror.sync_runs, project, run_ids, overview=True, **options)
        run_ids = [r for r in run_ids if _overview_lacks(store_root / project / r, overview_of)]
        if not run_ids:
            return
    await _quietly(mirror, mirror.sync_runs, project, run_ids, **options)


def _overview_lacks(run_dir: Path, metric: str) -> bool:
    # An overview pulled alone that cannot answer for `metric` (a column it keeps no levels of): the stored
    # path reads that run's rows, so its history is pulled after all.
    if not is_valid_name("run id", run_dir.name) or not overview_from_bucket(run_dir):
        return False
    stored = open_overview(RunDirectory(run_dir))
    return stored is None or (metric in stored.columns and metric not in stored.metrics)


async def pull_calls(settings: dict[str, Any], store_root: Path, project: str) -> None:
    """Before reading a project's calls: the trace sessions other machines shipped (session.json, a live
    session's new segments, a closed one's calls.parquet), as sg.Api().calls() pulls them."""
    covered = _covering(settings, store_root)
    if covered is not None and not covered[1]:
        mirror = covered[0]
        await _quietly(mirror, pull_trace_sessions, mirror.bucket, store_root, project)


async def pull_run_dir(settings: dict[str, Any], run_path: Path, streams: tuple[str, ...]) -> None:
    """Before reading one run (`<root>/<project>/<run_id>`): run.json and the new segments of `streams`."""
    covered = _covering(settings, run_path)
    if covered is not None and len(covered[1]) == 2:
        mirror, (project, run_id) = covered
        await _quietly(mirror, mirror.sync_run, project, run_id, streams=streams)


async def pull_run_file(settings: dict[str, Any], run_dir: Path, relative: str) -> None:
    """Before serving a run's media file: download it when it is only in the bucket."""
    covered = _covering(settings, run_dir)
    if covered is not None and len(covered[1]) == 2:
        mirror, (project, run_id) = covered
        await _quietly(mirror, mirror.pull_file, project, run_id, relative)


async def _quietly(mirror: BucketMirror, pull: Any, *args: Any, **options: Any) -> Any:
    # The pull's result, or None when the bucket failed it.
    try:
        return await asyncio.to_thread(pull, *args, **options)
    except (BucketError, InvalidNameError) as error:
        # Serve what the mirror holds; say why it may be behind, without flooding the log at 4 polls/s.
        now = time.monotonic()
        if now - _warned_at.get(str(mirror.url), -_WARN_EVERY_S) >= _WARN_EVERY_S:
            _warned_at[str(mirror.url)] = now
            logger.warning(
                "spyglass: serving the local mirror of %s, which may be behind: %s", mirror.url, error
            )
