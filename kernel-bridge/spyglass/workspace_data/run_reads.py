"""Reading one metric from each run of a project for a workspace request: which runs, and why one is skipped.

Shared by the metric series (series.py) and the histogram strips (histograms.py), so both
answer a missing, deleted or unreadable run the same way.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import pyarrow as pa

from ..base.errors import SpyglassError
from ..base.path_confinement import Roots, escaping_name, real_path
from ..store.run_store import METADATA_FILE, RUN_FILES, RunDirectory, is_valid_name, validate_name
from .index import run_directories

T = TypeVar("T")


def requested_runs(
    store_root: str | os.PathLike[str], project: str, run_ids: list[str] | None, roots: Roots | None
) -> tuple[dict[str, Path], list[str]]:
    """(the project's run directories by id, the ids to read): `run_ids` without repeats in the order asked,
    or every run sorted; with `roots`, only runs that stay inside them (run_directories). Asked runs are
    looked up one by one (a chart of 100 runs costs 100 lookups, not a listing of the whole project)."""
    if not run_ids:
        by_id = {path.name: path for path in run_directories(store_root, project, roots)}
        return by_id, sorted(by_id)
    wanted = list(dict.fromkeys(run_ids))
    project_dir = os.path.join(os.fspath(store_root), validate_name("project", project))
    project_real = real_path(project_dir) if roots is not None else None
    by_id = {}
    for run_id in wanted:
        path = os.path.join(project_dir, run_id)
        # What run_directories would list: a valid, visible name holding a run.json, inside the roots (the
        # project resolved once, a run directory only when it is a link).
        if not (
            is_valid_name("run id", run_id)
            and not run_id.startswith(".")
            and os.path.isfile(os.path.join(path, METADATA_FILE))
        ):
            continue
        if roots is not None and project_real is not None:
            real = real_path(path) if os.path.islink(path) else project_real / run_id
            if escaping_name(path, roots, RUN_FILES, real=real) is not None:
                continue
        by_id[run_id] = Path(path)
    return by_id, wanted


def read_run(path: Path | None, read: Callable[[RunDirectory], T]) -> T | str | None:
    """`read(run)` of the run at `path`; a string saying why it is skipped when it is not in the project or
    cannot be read; None when it was deleted while being read (left out silently)."""
    if path is None:
        return "no such run (deleted?)"
    try:
        return read(RunDirectory(path))
    except FileNotFoundError:
        return None
    except (SpyglassError, OSError, pa.ArrowException, ValueError) as error:
        return f"cannot read history: {error}"
