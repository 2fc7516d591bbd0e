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
from ..base.path_confinement import Roots
from ..store.run_store import RunDirectory
from .index import run_directories

T = TypeVar("T")


def requested_runs(
    store_root: str | os.PathLike[str], project: str, run_ids: list[str] | None, roots: Roots | None
) -> tuple[dict[str, Path], list[str]]:
    """(the project's run directories by id, the ids to read): `run_ids` without repeats in the order asked,
    or every run sorted; with `roots`, only runs that stay inside them (run_directories)."""
    by_id = {path.name: path for path in run_directories(store_root, project, roots)}
    return by_id, list(dict.fromkeys(run_ids)) if run_ids else sorted(by_id)


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
