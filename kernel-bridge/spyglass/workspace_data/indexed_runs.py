"""The runs of a bucket project as the workspace lists them, straight from the project index rows.

A bucket project's runs table is answered from its index (runs.parquet + pending records: bucket_mirror
reads them) without a file per run: a run is listed from its index row until this machine holds its real
run.json (a run opened, charted or written here, or one running: the mirror pulls those with the index), and
from its local directory after that. The entries are those list_runs (index.py) gives for the same runs in a
local store: the same fields, the same order; a row's metric names are its numeric summary keys, since its
history is pulled only when it is charted.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from ..base.path_confinement import Roots
from ..store.mirror_state import load_state
from ..store.project_index import record_metadata
from ..store.run_store import is_valid_name, validate_name
from ..store.spool import has_marker
from .index import empty_entry, fill_entry, indexed_metrics, project_listing, run_directories, run_entry


def list_indexed_runs(
    store_root: str | os.PathLike[str],
    project: str,
    rows: dict[str, dict[str, Any]],
    now: float | None = None,
    roots: Roots | None = None,
) -> dict[str, Any]:
    """The /runs answer of a bucket project from its index `rows` (run id -> row) and its local directories
    (runs written here before their index record, runs whose run.json was fetched)."""
    project_dir = Path(store_root) / validate_name("project", project)
    local = {path.name: path for path in run_directories(store_root, project, roots)}
    runs = []
    for run_id in sorted(set(rows) | set(local)):
        path = local.get(run_id)
        if path is not None and (run_id not in rows or _holds_run(path)):
            entry = run_entry(path, now=now)
        elif is_valid_name("run id", run_id):
            entry = row_entry(rows[run_id], project, project_dir / run_id, now)
        else:
            entry = None  # a hostile or foreign run id in the index: not a local directory name
        if entry is not None:
            runs.append(entry)
    return project_listing(store_root, project, runs, roots)


def row_entry(row: dict[str, Any], project: str, path: Path, now: float | None = None) -> dict[str, Any]:
    """One run's listing entry from its index row; `path` is where its run directory is (or will be)."""
    meta = record_metadata(row, project)
    entry = empty_entry(path)
    fill_entry(entry, meta, path.name, now)
    entry["metrics"] = indexed_metrics(meta)
    return entry


def _holds_run(path: Path) -> bool:
    # Its real run.json is here (fetched, or written by this machine); a stand-in from an index row is not.
    return has_marker(path) or load_state(path).run_json_etag is not None


__all__ = ["list_indexed_runs", "row_entry"]
