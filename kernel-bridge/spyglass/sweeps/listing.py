"""The sweeps of a project, for pickers (the workspace's sweep panel): `<root>/<project>/.sweeps/*`."""

from __future__ import annotations

import contextlib
import os
from pathlib import Path
from typing import Any

from ..base.errors import InvalidNameError
from ..base.path_confinement import Roots, entries_within
from ..store.remote_root import bucket_of
from ..store.run_store import validate_name
from .errors import SweepNotFoundError
from .store import CONTROL_FILE, SWEEP_FILE, SWEEPS_DIR, SweepStore, read_json


def list_sweeps(store_root: str | Path, project: str, roots: Roots | None = None) -> list[dict[str, Any]]:
    """Every sweep directory of the project, newest first, as {id, name, state, created_at, sweep_dir}.

    Only sweep.json and control.json are read (not the trials), so listing stays cheap; a directory whose
    sweep.json is unreadable is skipped rather than failing the list, and so is one that (or whose files)
    resolves outside `roots` when they are given.
    """
    sweeps_dir = Path(store_root) / project / SWEEPS_DIR
    bucket = bucket_of(store_root)
    if bucket is not None:  # every machine's sweeps: opening one mirrors its sweep.json here
        for sweep_id in bucket.list_dirs(f"{validate_name('project', project)}/{SWEEPS_DIR}"):
            if not (sweeps_dir / sweep_id / SWEEP_FILE).is_file():
                with contextlib.suppress(SweepNotFoundError, InvalidNameError):
                    SweepStore.open(sweeps_dir / validate_name("sweep id", sweep_id)).meta()
    if not sweeps_dir.is_dir():
        return []
    found = []
    keeps = entries_within(sweeps_dir, roots)
    for entry in os.scandir(sweeps_dir):
        path = Path(entry.path)
        inside = keeps(entry, (SWEEP_FILE, CONTROL_FILE))
        meta = read_json(path / SWEEP_FILE) if inside and path.is_dir() else None
        if meta is None:
            continue
        created = meta.get("created_at")
        found.append(
            {
                "id": str(meta.get("id") or path.name),
                "name": meta.get("name") if isinstance(meta.get("name"), str) else None,
                "state": SweepStore.at(path).control_state(),
                "created_at": created if isinstance(created, int | float) else None,
                "sweep_dir": str(path.resolve()),
            }
        )
    found.sort(key=lambda s: s["created_at"] or 0, reverse=True)
    return found
