"""Which project and store root a dataset or an evaluation writes to, when the caller does not say.

The order is the one @sg.op calls follow (docs/traces.md "Where calls go"): the current run, else the
session sg.init_traces() opened; a `project=` (and `dir=`) given by the caller wins over both.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from ..store.run_store import resolve_store_root, validate_name
from ..traces.trace_destination import session_for_root_call
from ..tracking import session
from .errors import EvaluationError


def current_run() -> Any:
    """The live run of this process (spyglass.run), or None; a disabled run counts as none."""
    run = session.current_run
    return run if run is not None and getattr(run, "dir", None) else None


def project_and_root(project: str | None, dir: str | os.PathLike[str] | None, what: str) -> tuple[str, Path]:
    """(project, store root) for `what` ("sg.Dataset.save()", ...); EvaluationError when none is known."""
    run = current_run()
    traces = session_for_root_call() if run is None else None
    if project is None:
        if run is not None:
            project = run.project
        elif traces is not None:
            project = traces.project
        else:
            raise EvaluationError(
                f"{what} needs a project: pass project=..., or call sg.init(project=...) or "
                "sg.init_traces(project) first"
            )
    validate_name("project", project)
    if dir is not None:
        return project, resolve_store_root(dir)
    if run is not None:
        return project, Path(run.dir).parent.parent
    if traces is not None:
        return project, traces.path.parents[2]
    return project, resolve_store_root(None)
